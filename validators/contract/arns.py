"""ARNs of the resources a DescribeModel response names.

    model:          arn:<partition>:lookoutequipment:<region>:<account>:model/<name>/<uuid>
    dataset:        arn:<partition>:lookoutequipment:<region>:<account>:dataset/<name>/<uuid>
    model version:  <model ARN>/model-version/<n>
"""
from __future__ import annotations

from typing import NamedTuple


class Arn(NamedTuple):
    partition: str
    service: str
    region: str
    account: str
    resource: str
    resource_type: str  # the resource's first part: model, dataset, key, role...
    resource_name: str | None  # the name after the type: model/<name>/..., dataset/<name>/...

    @property
    def location(self) -> tuple[str, str, str]:
        return self.partition, self.region, self.account


# tuple.__new__ directly: Arn(...) is a Python-level __new__, and every response has several ARNs
_new = tuple.__new__


def parse(text) -> Arn | None:
    if not isinstance(text, str):
        return None
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    kind, slash, rest = parts[5].partition("/")
    return _new(Arn, (parts[1], parts[2], parts[3], parts[4], parts[5], kind,
                      rest.partition("/")[0] if slash else None))


VERSION_MARK = "/model-version/"


def split_version_arn(text) -> tuple[str, str] | None:
    """(model ARN, version text) of a model version ARN, or None."""
    if not isinstance(text, str) or VERSION_MARK not in text:
        return None
    model, _, number = text.rpartition(VERSION_MARK)
    return model, number
