"""ARNs of the resources a DescribeModel response names.

    model:          arn:<partition>:lookoutequipment:<region>:<account>:model/<name>/<uuid>
    dataset:        arn:<partition>:lookoutequipment:<region>:<account>:dataset/<name>/<uuid>
    model version:  <model ARN>/model-version/<n>
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import NamedTuple

from l4e_contract.contract import committed, paths, patterns
from l4e_contract.contract.generate import anchored


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


# --- whole shapes ------------------------------------------------------------------
#
# Each `*_problem` function says what is wrong with the whole shape of a value the schema's (anchored)
# pattern already accepts, or None. The pattern holds the characters; these hold the parts a pattern
# from botocore leaves open (`model/.+` takes any number of path segments, spaces, a version suffix).

# one path segment of a resource id: no '/', no whitespace or control character (the service's ids are UUIDs)
_SEGMENT = re.compile(r"[^/\s\x00-\x1f\x7f]+\Z")
# a KMS key id (a UUID, or mrk- and hex for a multi-Region key): KeyIdType has no pattern; an id has no ':' or '/'
_KEY_ID = re.compile(r"[A-Za-z0-9-]+\Z")
_NAME_DEFINITIONS = {"model": "ModelName", "dataset": "DatasetName"}


def _fits_name(kind: str, name: str) -> bool:
    """Is `name` a name of the schema's ModelName / DatasetName (botocore's pattern and bounds)?"""
    node = committed.definition(_NAME_DEFINITIONS[kind])
    return (node.get("minLength", 0) <= len(name) <= node.get("maxLength", len(name))
            and patterns.search(node["pattern"], name))


def fits_shape(shape: str, text: str) -> bool | None:
    """Does `text` fit a related shape of contracts/source.json (bounds, and its pattern held to the whole
    value)? None where source.json does not have the shape (then nothing is claimed)."""
    fact = _source().get("related_shapes", {}).get(shape)
    if fact is None:
        return None
    if not fact.get("min", 0) <= len(text) <= fact.get("max", len(text)):
        return False
    return "pattern" not in fact or patterns.search(anchored(fact["pattern"]), text)


def _alias_ok(alias: str) -> bool:
    """alias/<name>, of KMS's AliasNameType (which admits ':' and '/'), with no empty part."""
    return (alias.startswith("alias/") and fits_shape("kms.AliasNameType", alias) is not False
            and "//" not in alias and not alias.endswith("/"))


def edge_problem(text: str) -> str | None:
    """Whitespace or a control character at either end (a pattern ending in .+ admits a trailing space)."""
    if text and (not text[0].isprintable() or text[0].isspace() or not text[-1].isprintable() or text[-1].isspace()):
        return "has whitespace or a control character at an end"
    return None


def _segments_problem(kind: str, rest: str, expected: str) -> str | None:
    parts = rest.split("/")
    if "" in parts:
        return f"has an empty path segment (a double slash or a trailing '/'); expected {expected}"
    if len(parts) != 2:
        return f"has {len(parts)} path segments after {kind}/; expected {expected}"
    name, rid = parts
    if not _fits_name(kind, name):
        return f"names {kind} {name!r}, which is not a {kind} name; expected {expected}"
    if not _SEGMENT.match(rid):
        return f"has an id with whitespace or a control character; expected {expected}"
    return None


def resource_problem(text: str, kind: str) -> str | None:
    """Problem with a Lookout for Equipment model or dataset ARN: its resource is exactly <kind>/<name>/<id>."""
    expected = f"{kind}/<name>/<id>"
    edge = edge_problem(text)
    if edge:
        return f"{edge}; expected {expected}"
    parsed = parse(text)
    if parsed is None:
        return None  # not an ARN at all: the schema's pattern says so
    if kind == "model" and VERSION_MARK in parsed.resource:
        return "is a model version ARN (<model ARN>/model-version/<n>), not a model ARN"
    return _segments_problem(kind, parsed.resource.partition("/")[2], expected)


def version_problem(text: str) -> str | None:
    """Problem with a model version ARN: exactly <model ARN>/model-version/<n>."""
    expected = "model/<name>/<id>/model-version/<n>"
    edge = edge_problem(text)
    if edge:
        return f"{edge}; expected {expected}"
    parts = split_version_arn(text)
    if parts is None:
        return None
    model, number = parts
    if not number.isdigit() or not number.isascii():
        return None  # the schema's pattern ends in [0-9]+
    parsed = parse(model)
    if parsed is None or parsed.resource_type != "model":
        return None
    if VERSION_MARK in model:
        return f"has model-version twice; expected {expected}"
    return _segments_problem("model", parsed.resource.partition("/")[2], expected)


def role_problem(text: str) -> str | None:
    """Problem with an IAM role ARN: role/<path/>name, with IAM's role name and path (botocore's iam model:
    roleNameType, pathType)."""
    parsed = parse(text)
    if parsed is None or parsed.resource_type != "role":
        return None
    rest = parsed.resource.partition("/")[2]
    inner, slash, name = rest.rpartition("/")
    if fits_shape("iam.roleNameType", name) is False:
        return (f"role name {name[:80]!r} is not an IAM role name (1-64 of letters, digits and _+=,.@-; "
                "IAM roleNameType)")
    if slash and fits_shape("iam.pathType", f"/{inner}/") is False:
        return (f"role path '/{inner[:80]}/' is not an IAM path ('/' or '/' + printable ASCII + '/'; IAM pathType)"
                + ("; it has a double slash" if inner == "" else ""))
    return None


def kms_arn_problem(text: str) -> str | None:
    """Problem with a KMS key or alias ARN: arn:<partition>:kms:<region>:<account>:key/<key id> or :alias/<name>."""
    edge = edge_problem(text)
    if edge:
        return f"{edge}; expected arn:<partition>:kms:<region>:<account>:key/<key id> or alias/<name>"
    parsed = parse(text)
    if parsed is None:
        return "is not an ARN (arn:<partition>:kms:<region>:<account>:key/<key id>)"
    if parsed.service != "kms":
        return f"is an ARN of service {parsed.service!r}, not a KMS key (kms)"
    if not re.fullmatch(r"[0-9]{12}", parsed.account):
        return f"account {parsed.account!r} is not 12 digits"
    if parsed.resource_type == "key":
        key = parsed.resource.partition("/")[2]
        if not _KEY_ID.match(key):
            return f"key id {key[:80]!r} is not one segment of letters, digits and '-'"
        return None
    if parsed.resource_type == "alias":
        if not _alias_ok(parsed.resource):
            return f"alias {parsed.resource[:80]!r} is not alias/<name> of letters, digits, '/', '_' and '-'"
        return None
    return f"resource {parsed.resource[:80]!r} is neither key/<key id> nor alias/<name>"


def kms_identifier_problem(text: str) -> str | None:
    """Problem with a KMS key identifier where the model allows any: a key id, an alias name, or their ARNs."""
    if text.startswith("arn:"):
        return kms_arn_problem(text)
    if text.startswith("alias/"):
        if not _alias_ok(text):
            return f"alias {text[:80]!r} is not alias/<name> of letters, digits, '/', '_' and '-'"
        return None
    if not _KEY_ID.match(text):
        return (f"{text[:80]!r} is neither a key id, an alias name (alias/<name>), nor a key or alias ARN")
    return None


# --- partitions and regions (botocore's endpoint data, committed in contracts/source.json) ---

@lru_cache(maxsize=1)
def _source() -> dict:
    """contracts/source.json, as `l4e-contract schema --regenerate` wrote it from botocore."""
    try:
        with open(paths.source_path(), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


@lru_cache(maxsize=1)
def partitions() -> dict[str, dict]:
    """partition -> {"regionRegex": ..., "regions": [...]}, from botocore's endpoint data (not to be changed:
    it is read once, and asked of every ARN)."""
    return _source().get("partitions", {})


@lru_cache(maxsize=None)
def _region_form(partition: str):
    entry = partitions().get(partition)
    # botocore's regionRegex is Python syntax (\- outside a class); ASCII: \w and \d as botocore means them
    return re.compile(entry["regionRegex"], re.ASCII) if entry else None


def known_partition(partition: str) -> bool:
    return partition in partitions()


def region_problem(partition: str, region: str) -> str | None:
    """Problem with the region of a regional ARN: empty, or not of its partition's form."""
    if region == "":
        return "has an empty region"
    form = _region_form(partition)
    if form is not None and (not form.match(region) or not region.isprintable()):
        return f"region {region[:40]!r} is not a region of partition {partition!r} (form {form.pattern})"
    return None
