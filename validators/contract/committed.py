"""The committed schema, loaded once, and the facts the rules read from it.

Rules and strategies take enum values, bounds and member lists from here,
never from copies: the schema itself was generated from botocore's model.
"""
from __future__ import annotations

import json
from functools import lru_cache

from l4e_contract.contract import paths

TIMESTAMP_REF = "#/$defs/Timestamp"


@lru_cache(maxsize=1)
def schema() -> dict:
    with open(paths.schema_path(), encoding="utf-8") as fh:
        return json.load(fh)


def resolve(node: dict) -> dict:
    """Follow local $refs ("#/$defs/Name") to the definition."""
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"only local $defs refs are used, not {ref}")
        node = schema()["$defs"][ref[len("#/$defs/"):]]
    return node


def definition(name: str) -> dict:
    return schema()["$defs"][name]


def member(name: str) -> dict:
    """The resolved schema of a top-level response member."""
    return resolve(schema()["properties"][name])


def enum(name: str) -> list[str]:
    """Enum values of a top-level member (e.g. "Status"), as the model lists them."""
    return list(member(name)["enum"])


@lru_cache(maxsize=1)
def timestamp_members() -> tuple[str, ...]:
    return tuple(m for m, s in schema()["properties"].items() if s.get("$ref") == TIMESTAMP_REF)


@lru_cache(maxsize=1)
def required_members() -> tuple[str, ...]:
    return tuple(schema().get("required", ()))


def known_members(node: dict) -> frozenset[str]:
    return frozenset(resolve(node).get("properties", {}))
