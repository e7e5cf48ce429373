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

    @property
    def resource_type(self) -> str:
        return self.resource.split("/", 1)[0]

    @property
    def resource_name(self) -> str | None:
        """The name after the type: model/<name>/..., dataset/<name>/..."""
        parts = self.resource.split("/")
        return parts[1] if len(parts) > 1 else None

    @property
    def location(self) -> tuple[str, str, str]:
        return self.partition, self.region, self.account


def parse(text) -> Arn | None:
    if not isinstance(text, str) or not text.startswith("arn:"):
        return None
    parts = text.split(":", 5)
    if len(parts) != 6:
        return None
    return Arn(*parts[1:])


VERSION_MARK = "/model-version/"


def split_version_arn(text) -> tuple[str, str] | None:
    """(model ARN, version text) of a model version ARN, or None."""
    if not isinstance(text, str) or VERSION_MARK not in text:
        return None
    model, _, number = text.rpartition(VERSION_MARK)
    return model, number
