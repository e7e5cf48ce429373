"""The schema's keywords as catalogue entries: `schema.<keyword>` for each keyword the schema uses.

Listed from the schema itself, so the catalogue (and the self-test's coverage
table) follows the schema when it is regenerated.
"""
from __future__ import annotations

from l4e_contract.contract import committed
from l4e_contract.findings import ERROR, WARNING
from l4e_contract.rules.registry import Rule

# keyword -> what it checks; keywords absent from the schema are not listed
_ABOUT = {
    "type": "Every member has the JSON type of its botocore shape.",
    "enum": "Enum members hold one of the model's values.",
    "required": "Required members are present (the model's, and deviation required-identity).",
    "pattern": "Strings match the model's pattern, with ECMA-262 semantics.",
    "minLength": "Strings are at least the model's min length (in code points).",
    "maxLength": "Strings are at most the model's max length (in code points).",
    "minimum": "Integers are at least the model's min.",
    "maximum": "Numbers are at most the model's max.",
    "minItems": "Lists hold at least the model's min items.",
    "maxItems": "Lists hold at most the model's max items.",
}
_ANNOTATIONS = {"$schema", "$id", "$ref", "$defs", "title", "description", "properties", "items",
                "additionalProperties", "format", "anyOf",
                # botocore's bound the contract does not hold (deviation metrics-longer-than-the-model)
                "x-botocore-maxLength"}

FORM_OBJECT = Rule("form.object", ERROR, "A response is a JSON object.",
                   "model: DescribeModel's output is a structure", lambda ctx: ())
TIMESTAMP = Rule("schema.timestamp", ERROR,
                 "Timestamps are epoch seconds (wire form) or RFC 3339 text with an offset (parsed form).",
                 "model: timestamp shape; JSON 1.0 protocol (epoch seconds); boto3 (aware datetimes)", lambda ctx: ())
UNKNOWN = Rule("schema.unknown-member", WARNING,
               "Members the contract does not know are reported (the API grows): a warning, an error with --strict.",
               "model: the output shape's members", lambda ctx: ())


def keywords_in_use(node=None, found=None) -> set[str]:
    found = set() if found is None else found
    node = committed.schema() if node is None else node
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in ("properties", "$defs", "enum"):
                found.add(k)
            if k in ("properties", "$defs"):
                for sub in v.values():
                    keywords_in_use(sub, found)
            elif k == "enum":
                continue
            else:
                keywords_in_use(v, found)
    elif isinstance(node, list):
        for sub in node:
            keywords_in_use(sub, found)
    if isinstance(node, dict) and "enum" in node:
        found.add("enum")
    return found


def schema_rules() -> list[Rule]:
    used = keywords_in_use()
    unknown = used - set(_ABOUT) - _ANNOTATIONS - {"required"}
    if unknown:
        raise ValueError(f"schema keywords with no catalogue entry: {sorted(unknown)}")
    out = [FORM_OBJECT]
    out += [Rule(f"schema.{k}", ERROR, _ABOUT[k], "model (botocore service model)", lambda ctx: ())
            for k in sorted(used & set(_ABOUT))]
    out += [TIMESTAMP, UNKNOWN]
    return out
