"""What changed between two sets of recordings (yesterday's nightly and today's), and between
the committed schema and the installed botocore model.

Responses are matched by model: the recording envelope's region and model when
there is one, else the region and name read from ModelArn, else ModelName.
Each matched pair is compared with deepdiff, after timestamps of either form
are read as epoch seconds (a recording kept in parsed form is not a change).

Findings, per model and summarised per member:
  models added / removed
  member-added / member-removed / type-changed / value-changed (per model)
  members never seen before in OLD, or no longer seen in NEW (across the set)
  enum values never seen before in OLD (and whether the contract knows them)
Timestamps change on every retraining, so their value changes are "volatile":
listed apart and not counted as drift (or left out with ignore_volatile).
"""
from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

from l4e_contract.contract import arns
from l4e_contract.contract import committed
from l4e_contract.load.files import LoadError, iter_json_files, load_file, unwrap_recording
from l4e_contract.contract.schema_check import json_type, short
from l4e_contract.contract.timestamps import to_epoch

MEMBER_ADDED, MEMBER_REMOVED = "member-added", "member-removed"
TYPE_CHANGED, VALUE_CHANGED = "type-changed", "value-changed"
_KINDS = {
    "dictionary_item_added": MEMBER_ADDED,
    "dictionary_item_removed": MEMBER_REMOVED,
    "iterable_item_added": MEMBER_ADDED,
    "iterable_item_removed": MEMBER_REMOVED,
    "type_changes": TYPE_CHANGED,
    "values_changed": VALUE_CHANGED,
}
# boto3's per-call metadata (request id, retries) is not part of the response
IGNORED_MEMBERS = ("ResponseMetadata",)


@dataclass
class Recording:
    key: str  # "region/model", or "model" when the region is unknown
    name: str
    source: str
    body: dict


@dataclass
class RecordingSet:
    folder: str
    models: dict[str, Recording] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (source, one-line reason)
    notes: list[str] = field(default_factory=list)


@dataclass
class Change:
    model: str
    kind: str
    pointer: str
    old: object = None
    new: object = None
    volatile: bool = False

    def to_dict(self) -> dict:
        out = {"model": self.model, "kind": self.kind, "pointer": self.pointer, "volatile": self.volatile}
        if self.kind == TYPE_CHANGED:
            out["old_type"], out["new_type"] = json_type(self.old), json_type(self.new)
        if self.kind in (TYPE_CHANGED, VALUE_CHANGED, MEMBER_REMOVED):
            out["old"] = _shown(self.old)
        if self.kind in (TYPE_CHANGED, VALUE_CHANGED, MEMBER_ADDED):
            out["new"] = _shown(self.new)
        return out

    def __str__(self) -> str:
        if self.kind == VALUE_CHANGED:
            return f"{self.model}: {self.pointer} changed {short(self.old)} -> {short(self.new)}"
        if self.kind == TYPE_CHANGED:
            return (f"{self.model}: {self.pointer} changed type {json_type(self.old)} -> {json_type(self.new)} "
                    f"({short(self.old)} -> {short(self.new)})")
        if self.kind == MEMBER_ADDED:
            return f"{self.model}: {self.pointer} added ({short(self.new)})"
        return f"{self.model}: {self.pointer} removed (was {short(self.old)})"


def _shown(value):
    """Values go into the JSON document as they are, unless they are long."""
    if isinstance(value, str) and len(value) > 200:
        return short(value)
    if isinstance(value, (dict, list)) and len(repr(value)) > 200:
        return short(value)
    return value




@dataclass
class Drift:
    old: RecordingSet
    new: RecordingSet
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    compared: int = 0
    changes: list[Change] = field(default_factory=list)
    new_members: list[str] = field(default_factory=list)
    vanished_members: list[str] = field(default_factory=list)
    new_enum_values: list[dict] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def lasting(self) -> list[Change]:
        return [c for c in self.changes if not c.volatile]

    @property
    def volatile(self) -> list[Change]:
        return [c for c in self.changes if c.volatile]

    @property
    def drifted(self) -> bool:
        return bool(self.added or self.removed or self.lasting or self.new_members or self.vanished_members
                     or self.new_enum_values)

    def per_member(self, volatile: bool = False) -> dict[str, dict[str, int]]:
        """pointer -> {kind: number of models}, member paths with list indices folded to '*'."""
        out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for c in self.changes:
            if c.volatile == volatile:
                out[_pattern(c.pointer)][c.kind] += 1
        return {k: dict(v) for k, v in sorted(out.items())}

    def to_dict(self, ignore_volatile: bool = False) -> dict:
        doc = {
            "old": self.old.folder,
            "new": self.new.folder,
            "models": {"compared": self.compared, "added": self.added, "removed": self.removed},
            "changes": [c.to_dict() for c in self.lasting],
            "members": self.per_member(),
            "new_members": self.new_members,
            "vanished_members": self.vanished_members,
            "new_enum_values": self.new_enum_values,
            "errors": [{"source": s, "error": e} for s, e in self.errors],
            "notes": self.old.notes + self.new.notes,
            "drift": self.drifted,
        }
        if not ignore_volatile:
            doc["volatile"] = {"changes": [c.to_dict() for c in self.volatile], "members": self.per_member(True)}
        return doc


# --- loading and matching -------------------------------------------------------------------------


def model_key(body: dict, meta: dict | None) -> tuple[str | None, str | None]:
    """(region, model name) of a response: envelope metadata first, then ModelArn, then ModelName."""
    region = name = None
    if isinstance(meta, dict):
        region = meta.get("region") if isinstance(meta.get("region"), str) else None
        name = meta.get("model") if isinstance(meta.get("model"), str) else None
    arn = arns.parse(body.get("ModelArn"))
    if arn is not None:
        region = region or arn.region or None
        parts = arn.resource.split("/")
        if not name and len(parts) >= 2 and parts[0] == "model" and parts[1]:
            name = parts[1]
    if not name and isinstance(body.get("ModelName"), str) and body["ModelName"]:
        name = body["ModelName"]
    return region, name


def normalize(body: dict) -> dict:
    """Timestamps as epoch seconds whatever their form; boto3's per-call metadata dropped."""
    out = {k: v for k, v in body.items() if k not in IGNORED_MEMBERS}
    for m in committed.timestamp_members():
        if m in out:
            epoch = to_epoch(out[m])
            if epoch is not None:
                out[m] = epoch
    return out


def _is_parsed(body: dict) -> bool:
    return any(isinstance(body.get(m), str) for m in committed.timestamp_members())


def load_set(folder: str) -> RecordingSet:
    """Every *.json below `folder`, keyed by model; unreadable files become one-line errors."""
    rs = RecordingSet(folder=str(folder))
    if not os.path.isdir(folder):
        rs.errors.append((str(folder), "no such folder" if not os.path.exists(folder) else "not a folder"))
        return rs
    parsed_form: dict[str, bool] = {}
    for path, problem in iter_json_files([str(folder)], empty_folders=True):
        if problem:
            rs.errors.append((path, problem))
            continue
        try:
            doc = load_file(path)
        except LoadError as exc:
            rs.errors.append((path, str(exc)))
            continue
        body, meta = unwrap_recording(doc)
        if not isinstance(body, dict):
            rs.errors.append((path, "not a DescribeModel response (a JSON object)"))
            continue
        region, name = model_key(body, meta)
        if not name:
            rs.errors.append((path, "cannot tell which model it is (no envelope, ModelArn or ModelName)"))
            continue
        key = f"{region}/{name}" if region else name
        is_parsed = _is_parsed(body)
        if key in rs.models:
            # The same model in both forms (wire/ and parsed/): the wire form is what was sent.
            if parsed_form[key] and not is_parsed:
                rs.notes.append(f"{key}: {rs.models[key].source} ignored, {path} is the wire form")
            else:
                rs.notes.append(f"{key}: {path} ignored, already read from {rs.models[key].source}")
                continue
        rs.models[key] = Recording(key, name, path, normalize(body))
        parsed_form[key] = is_parsed
    return rs


def match(old: RecordingSet, new: RecordingSet) -> tuple[list[tuple[Recording, Recording]], list[str], list[str]]:
    """Pairs by key, then leftovers by model name alone when that name is unambiguous on both sides."""
    pairs = [(old.models[k], new.models[k]) for k in sorted(set(old.models) & set(new.models))]
    left_old = {k: r for k, r in old.models.items() if k not in new.models}
    left_new = {k: r for k, r in new.models.items() if k not in old.models}
    by_name_old = defaultdict(list)
    by_name_new = defaultdict(list)
    for r in left_old.values():
        by_name_old[r.name].append(r)
    for r in left_new.values():
        by_name_new[r.name].append(r)
    for name in sorted(set(by_name_old) & set(by_name_new)):
        if len(by_name_old[name]) == 1 and len(by_name_new[name]) == 1:
            a, b = by_name_old[name][0], by_name_new[name][0]
            pairs.append((a, b))
            del left_old[a.key], left_new[b.key]
    return pairs, sorted(left_new), sorted(left_old)


# --- comparing -------------------------------------------------------------------------------------


MAX_DEPTH = 64  # a DescribeModel response nests 3 levels; deepdiff on thousands is slow, then fails


def too_deep(value, limit: int = MAX_DEPTH) -> bool:
    """True when `value` nests more than `limit` levels (checked without recursion)."""
    stack = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if level > limit:
            return True
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return False


def _pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _pattern(pointer: str) -> str:
    return "/".join("*" if p.isdigit() else p for p in pointer.split("/"))


def diff_pair(key: str, old: dict, new: dict) -> list[Change]:
    from deepdiff import DeepDiff

    volatile = set(committed.timestamp_members())
    tree = DeepDiff(old, new, view="tree")
    changes = []
    for dd_kind, items in tree.items():
        kind = _KINDS.get(dd_kind)
        if kind is None:
            continue
        for item in items:
            parts = item.path(output_format="list")
            if kind == VALUE_CHANGED and isinstance(item.t1, dict) and isinstance(item.t2, dict):
                # deepdiff calls an object emptied (or filled) a changed value: name the members
                changes += [Change(key, MEMBER_REMOVED, _pointer([*parts, k]), v, None)
                            for k, v in item.t1.items() if k not in item.t2]
                changes += [Change(key, MEMBER_ADDED, _pointer([*parts, k]), None, v)
                            for k, v in item.t2.items() if k not in item.t1]
                continue
            old_v = None if kind == MEMBER_ADDED else item.t1
            new_v = None if kind == MEMBER_REMOVED else item.t2
            is_volatile = kind == VALUE_CHANGED and len(parts) == 1 and parts[0] in volatile
            changes.append(Change(key, kind, _pointer(parts), old_v, new_v, is_volatile))
    return sorted(changes, key=lambda c: (c.pointer, c.kind))


def member_paths(body, path: str = "") -> set[str]:
    """Every member path of a response, list indices folded to '*'."""
    out = set()
    if isinstance(body, dict):
        for k, v in body.items():
            p = f"{path}/{str(k).replace('~', '~0').replace('/', '~1')}"
            out.add(p)
            out |= member_paths(v, p)
    elif isinstance(body, list):
        for v in body:
            out |= member_paths(v, f"{path}/*")
    return out


def enum_values(body, node: dict | None = None, path: str = "") -> list[tuple[str, str, tuple]]:
    """(member path, value, the contract's enum) for every string whose schema has an enum."""
    node = committed.resolve(node if node is not None else committed.schema())
    out = []
    if isinstance(body, str) and "enum" in node:
        out.append((path, body, tuple(node["enum"])))
    elif isinstance(body, dict) and "properties" in node:
        for k, v in body.items():
            sub = node["properties"].get(k)
            if sub is not None:
                out += enum_values(v, sub, f"{path}/{k}")
    elif isinstance(body, list) and "items" in node:
        for v in body:
            out += enum_values(v, node["items"], f"{path}/*")
    return out


def compare_sets(old: RecordingSet, new: RecordingSet) -> Drift:
    drift = Drift(old, new, errors=[*old.errors, *new.errors])
    pairs, drift.added, drift.removed = match(old, new)
    for a, b in pairs:
        key = a.key if a.key == b.key else f"{a.key} -> {b.key}"
        deep = next((r for r in (a, b) if too_deep(r.body)), None)
        if deep is not None:
            drift.errors.append((deep.source, f"{key}: nests more than {MAX_DEPTH} levels deep, not compared"))
            continue
        try:
            drift.changes += diff_pair(key, a.body, b.body)
            drift.compared += 1
        except RecursionError:
            drift.errors.append((b.source, f"{key}: nests too deeply to compare"))

    try:
        seen_old = set().union(*(member_paths(r.body) for r in old.models.values()))
        seen_new = set().union(*(member_paths(r.body) for r in new.models.values()))
    except RecursionError:
        seen_old = seen_new = set()
        drift.errors.append((new.folder, "a response nests too deeply to list its members"))
    if old.models and new.models:
        drift.new_members = sorted(seen_new - seen_old)
        drift.vanished_members = sorted(seen_old - seen_new)

    old_values = defaultdict(set)
    for r in old.models.values():
        for path, value, _ in enum_values(r.body):
            old_values[path].add(value)
    fresh: dict[tuple[str, str], dict] = {}
    for r in new.models.values():
        for path, value, known in enum_values(r.body):
            if value not in old_values[path]:
                entry = fresh.setdefault((path, value), {"pointer": path, "value": value,
                                                         "in_contract": value in known, "models": []})
                entry["models"].append(r.key)
    drift.new_enum_values = [fresh[k] for k in sorted(fresh)]
    return drift


def compare_folders(old_folder: str, new_folder: str) -> Drift:
    return compare_sets(load_set(old_folder), load_set(new_folder))


# --- the schema against botocore ----------------------------------------------------------------------


def schema_drift(committed: dict | None = None, generated: dict | None = None) -> dict:
    """The committed schema against one generated from the installed botocore model."""
    import json

    from l4e_contract.contract import generate as schema_gen
    from l4e_contract.contract import paths
    from l4e_contract.contract.committed import schema as committed_schema
    from l4e_contract.drift.schema import schema_changes

    committed = committed if committed is not None else committed_schema()
    generated = generated if generated is not None else schema_gen.generate()
    try:
        source = json.loads(paths.source_path().read_text(encoding="utf-8")).get("botocore_version")
    except (OSError, ValueError):
        source = None
    changes = schema_changes(committed, generated)
    return {"committed_botocore": source, "installed_botocore": schema_gen.botocore_version(),
            "changes": changes, "drift": bool(changes)}
