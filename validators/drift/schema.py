"""Name what changed between two versions of the schema, in the words a reader wants:
new member, removed member, new enum value, changed bound or pattern."""
from __future__ import annotations

_BOUNDS = ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "pattern", "type", "format")


def schema_changes(old: dict, new: dict) -> list[str]:
    changes: list[str] = []
    _members(changes, "response", old.get("properties", {}), new.get("properties", {}))
    if set(old.get("required", [])) != set(new.get("required", [])):
        changes.append(f"required members: {sorted(old.get('required', []))} -> {sorted(new.get('required', []))}")
    old_defs, new_defs = old.get("$defs", {}), new.get("$defs", {})
    for name in sorted(set(old_defs) | set(new_defs)):
        a, b = old_defs.get(name), new_defs.get(name)
        if a is None:
            changes.append(f"new shape {name}")
        elif b is None:
            changes.append(f"removed shape {name}")
        else:
            _shape(changes, name, a, b)
    for key in sorted(set(old) | set(new)):
        if key not in ("properties", "required", "$defs") and old.get(key) != new.get(key):
            changes.append(f"top-level {key}: {old.get(key)!r} -> {new.get(key)!r}")
    return changes


def _members(changes, where, a: dict, b: dict):
    for m in b:
        if m not in a:
            changes.append(f"new member {m} in {where}")
    for m in a:
        if m not in b:
            changes.append(f"removed member {m} from {where}")
    for m in a:
        if m in b and a[m] != b[m]:
            changes.append(f"member {m} of {where}: {a[m]!r} -> {b[m]!r}")


def _shape(changes, name, a: dict, b: dict):
    ea, eb = a.get("enum"), b.get("enum")
    if ea != eb:
        ea, eb = ea or [], eb or []
        for v in eb:
            if v not in ea:
                changes.append(f"new enum value {v!r} in {name}")
        for v in ea:
            if v not in eb:
                changes.append(f"removed enum value {v!r} from {name}")
    for k in _BOUNDS:
        if a.get(k) != b.get(k):
            changes.append(f"{k} of {name}: {a.get(k)!r} -> {b.get(k)!r}")
    if a.get("properties") != b.get("properties"):
        _members(changes, name, a.get("properties", {}), b.get("properties", {}))
    if set(a.get("required", [])) != set(b.get("required", [])):
        changes.append(f"required members of {name}: {sorted(a.get('required', []))} -> {sorted(b.get('required', []))}")
    rest = {k for k in set(a) | set(b) if k not in (*_BOUNDS, "enum", "properties", "required")}
    for k in sorted(rest):
        if a.get(k) != b.get(k):
            changes.append(f"{k} of {name} changed")
