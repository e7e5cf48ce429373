"""Generate the response schema from botocore's service model, then apply the documented deviations.

    l4e-contract schema --regenerate

botocore is imported only here (and by the commands that talk to AWS), so
`validate` starts without it.
"""
from __future__ import annotations

import copy
import json

from l4e_contract.contract import paths

SERVICE = "lookoutequipment"
OPERATION = "DescribeModel"
SCHEMA_ID = "urn:l4e-contract:lookoutequipment:2020-12-15:DescribeModel:response"

# How botocore's scalar types are written in JSON (the wire form).
_SCALARS = {
    "string": "string",
    "integer": "integer",
    "long": "integer",
    "boolean": "boolean",
    "float": "number",
    "double": "number",
}

# The range of botocore's integer types: the model's `integer` is a 32-bit and `long` a 64-bit signed
# integer (Smithy's types, which botocore's shapes keep); a value outside cannot be a member's value.
INTEGER_RANGES = {
    "integer": (-2**31, 2**31 - 1),
    "long": (-2**63, 2**63 - 1),
}

# A timestamp is the one type whose JSON differs between the HTTP body and boto3's dict.
TIMESTAMP_DEFS = {
    "Timestamp": {
        "description": "A point in time: epoch seconds in the wire form, RFC 3339 text with an offset in the parsed form.",
        "anyOf": [{"$ref": "#/$defs/WireTimestamp"}, {"$ref": "#/$defs/ParsedTimestamp"}],
    },
    "WireTimestamp": {
        "description": "The JSON 1.0 protocol's timestamp: seconds since the epoch, possibly fractional.",
        "type": "number",
    },
    "ParsedTimestamp": {
        "description": "boto3's datetime dumped to JSON (isoformat() or str()): RFC 3339 with an offset.",
        "type": "string",
        "format": "date-time",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
    },
}


class ModelUnavailable(RuntimeError):
    """The installed botocore has no lookoutequipment model (a release after the service ended may drop it)."""


def service_model():
    import botocore.session
    from botocore.exceptions import UnknownServiceError

    try:
        return botocore.session.get_session().get_service_model(SERVICE)
    except UnknownServiceError:
        import botocore

        raise ModelUnavailable(f"botocore {botocore.__version__} has no {SERVICE} service model; "
                               f"the committed schema came from {_committed_version()}") from None


def _committed_version() -> str:
    try:
        return json.loads(paths.source_path().read_text(encoding="utf-8"))["botocore_version"]
    except (OSError, ValueError, KeyError):
        return "an unknown botocore"


def botocore_version() -> str:
    import botocore

    return botocore.__version__


def _shape_schema(shape, defs: dict) -> dict:
    """A $ref to the shape's definition, creating the definition on first sight."""
    if shape.type_name == "timestamp":
        return {"$ref": "#/$defs/Timestamp"}
    name = shape.name
    if name not in defs:
        defs[name] = {}  # placeholder first: recursive shapes stop here
        defs[name] = _define(shape, defs)
    return {"$ref": f"#/$defs/{name}"}


def _define(shape, defs: dict) -> dict:
    meta = shape.metadata
    t = shape.type_name
    if t == "structure":
        out = {"type": "object", "properties": {m: _shape_schema(s, defs) for m, s in shape.members.items()}}
        if shape.required_members:
            out["required"] = list(shape.required_members)
        return out
    if t == "list":
        out = {"type": "array", "items": _shape_schema(shape.member, defs)}
        if "min" in meta:
            out["minItems"] = meta["min"]
        if "max" in meta:
            out["maxItems"] = meta["max"]
        return out
    if t == "map":
        return {"type": "object", "additionalProperties": _shape_schema(shape.value, defs)}
    if t not in _SCALARS:
        raise ValueError(f"shape {shape.name}: type {t} has no JSON Schema mapping here")
    out = {"type": _SCALARS[t]}
    if t == "string":
        if shape.enum:
            out["enum"] = list(shape.enum)
        if "min" in meta:
            out["minLength"] = meta["min"]
        if "max" in meta:
            out["maxLength"] = meta["max"]
        if "pattern" in meta:
            out["pattern"] = meta["pattern"]
    elif t in ("integer", "long", "float", "double"):
        low, high = INTEGER_RANGES.get(t, (None, None))
        if "min" in meta or low is not None:
            out["minimum"] = meta.get("min", low)
        if "max" in meta or high is not None:
            out["maximum"] = meta.get("max", high)
    return out


def generate_raw(model=None) -> dict:
    """The schema exactly as botocore's model says it, with no deviation applied."""
    model = model or service_model()
    output = model.operation_model(OPERATION).output_shape
    defs: dict = {}
    properties = {m: _shape_schema(s, defs) for m, s in output.members.items()}
    # boto3 adds ResponseMetadata to every parsed response; it is not part of the body.
    properties["ResponseMetadata"] = {"type": "object"}
    defs.update(copy.deepcopy(TIMESTAMP_DEFS))
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"{output.name} ({model.metadata['serviceId']} {OPERATION}, API {model.api_version})",
        "type": "object",
        "properties": properties,
        "$defs": dict(sorted(defs.items())),
    }
    if output.required_members:
        schema["required"] = list(output.required_members)
    return schema


def load_deviations() -> list[dict]:
    with open(paths.deviations_path(), encoding="utf-8") as fh:
        return json.load(fh)["deviations"]


def _pointer_parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")] if pointer else []


def _parent(doc: dict, path: str) -> tuple[dict, str]:
    *parents, last = _pointer_parts(path)
    target = doc
    for part in parents:
        target = target[part]
    return target, last


def apply_patch(doc: dict, ops: list[dict]) -> dict:
    """The subset of RFC 6902 the deviations use: add, replace and move, on object members.

    move keeps botocore's value under another name (a bound the contract does not hold, kept for
    the rule that warns past it), so it follows the model when the schema is regenerated."""
    for op in ops:
        if op["op"] not in ("add", "replace", "move"):
            raise ValueError(f"deviation patch: unsupported op {op['op']}")
        target, last = _parent(doc, op["path"])
        if op["op"] == "move":
            source, name = _parent(doc, op["from"])
            if name not in source:
                raise KeyError(f"deviation patch: nothing at {op['from']} to move (has botocore changed?)")
            target[last] = source.pop(name)
            continue
        if op["op"] == "replace" and last not in target:
            raise KeyError(f"deviation patch: nothing at {op['path']} to replace (has botocore changed?)")
        target[last] = copy.deepcopy(op["value"])
    return doc


def anchored(pattern: str) -> str:
    """The pattern held to the whole value: ^(?:pattern)$, unless it is already ^...$ with no alternative.

    ECMA-262 (like Smithy and JSON Schema) searches: an unanchored pattern accepts any text around a
    match. The group keeps an alternation whole, and the meaning of the pattern is otherwise unchanged.
    """
    if pattern.startswith("^") and pattern.endswith("$") and "|" not in pattern:
        return pattern
    return f"^(?:{pattern})$"


def apply_anchors(doc: dict, definitions: list[str]) -> dict:
    """Anchor the pattern of each named $defs entry (deviation anchored-patterns)."""
    for name in definitions:
        node = doc["$defs"].get(name)
        if node is None or "pattern" not in node:
            raise KeyError(f"deviation anchor: no pattern in $defs/{name} to anchor (has botocore changed?)")
        node["pattern"] = anchored(node["pattern"])
    return doc


def apply_deviation(doc: dict, deviation: dict) -> dict:
    """A deviation is an RFC 6902 patch, or a list of $defs whose patterns it anchors, or both (patch first)."""
    apply_patch(doc, deviation.get("patch", []))
    return apply_anchors(doc, deviation.get("anchor", []))


def generate(model=None, deviations=None) -> dict:
    schema = generate_raw(model)
    for dev in deviations if deviations is not None else load_deviations():
        apply_deviation(schema, dev)
    schema["$defs"] = dict(sorted(schema["$defs"].items()))
    return schema


def dumps(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def partitions() -> dict[str, dict]:
    """partition -> {"regionRegex", "regions"} from botocore's endpoint data (endpoints.json), as the
    arn.* rules read it from contracts/source.json: validate imports no botocore."""
    import botocore.session

    endpoints = botocore.session.get_session().get_component("data_loader").load_data("endpoints")
    return {p["partition"]: {"regionRegex": p["regionRegex"], "regions": sorted(p["regions"])}
            for p in endpoints["partitions"]}


# Shapes of other services that a DescribeModel member names: an IAM role's name and path, a KMS alias.
# Their bounds and patterns are read from botocore's models of those services, as the response's own are.
RELATED_SHAPES = {
    "iam.roleNameType": ("iam", "roleNameType"),
    "iam.pathType": ("iam", "pathType"),
    "kms.AliasNameType": ("kms", "AliasNameType"),
}


def related_shapes() -> dict[str, dict]:
    """name -> {"min", "max", "pattern"} of RELATED_SHAPES, from botocore's iam and kms models."""
    import botocore.session

    session = botocore.session.get_session()
    out = {}
    for name, (service, shape) in RELATED_SHAPES.items():
        meta = session.get_service_model(service).shape_for(shape).metadata
        out[name] = {k: meta[k] for k in ("min", "max", "pattern") if k in meta}
    return out


def source_record() -> dict:
    """contracts/source.json: where the schema came from, the partitions the ARN rules hold regions to, and
    the IAM and KMS shapes they hold role names, role paths and aliases to."""
    return {
        "service": SERVICE,
        "operation": OPERATION,
        "api_version": service_model().api_version,
        "botocore_version": botocore_version(),
        "schema": paths.SCHEMA_NAME,
        "partitions": partitions(),
        "related_shapes": related_shapes(),
    }


def write(schema: dict | None = None) -> None:
    schema = schema or generate()
    paths.schema_path().write_text(dumps(schema), encoding="utf-8")
    paths.source_path().write_text(json.dumps(source_record(), indent=2) + "\n", encoding="utf-8")
