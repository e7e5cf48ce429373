"""Embedded JSON: Schema, ModelMetrics and PriorModelMetrics are strings holding JSON documents,
and OffCondition is a small expression. Their shapes come from AWS documentation and samples."""
from __future__ import annotations

import datetime as _dt
import json
import re

from l4e_contract.report import WARNING
from l4e_contract.rules.registry import rule

METRICS_MEMBERS = ("ModelMetrics", "PriorModelMetrics")


def _parse(text: str):
    """(value, problem) of an embedded JSON document."""
    try:
        return json.loads(text), None
    except ValueError as exc:
        return None, f"is not JSON ({exc.__class__.__name__}: {str(exc)[:80]})"
    except RecursionError:
        return None, "nests too deeply to parse"


def embedded(ctx, member: str):
    """The parsed document in `member`, parsed once per response: several rules read each one."""
    key = ("embedded", member)
    if key not in ctx.memo:
        text = ctx.str(member)
        # "" breaks the model's minLength 1: schema.minLength names it, once
        ctx.memo[key] = (None, None) if not text else _parse(text)
    return ctx.memo[key]


def _is_num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# --- Schema ---------------------------------------------------------------

def _schema_problems(doc):
    if not isinstance(doc, dict):
        yield "is not a JSON object"
        return
    comps = doc.get("Components")
    if not isinstance(comps, list) or not comps:
        yield "has no Components list"
        return
    for i, comp in enumerate(comps):
        where = f"Components[{i}]"
        if not isinstance(comp, dict):
            yield f"{where} is not an object"
            continue
        if not isinstance(comp.get("ComponentName"), str) or not comp.get("ComponentName"):
            yield f"{where} has no ComponentName"
        cols = comp.get("Columns")
        if not isinstance(cols, list) or not cols:
            yield f"{where} has no Columns list"
            continue
        for j, col in enumerate(cols):
            if not isinstance(col, dict) or not isinstance(col.get("Name"), str) or not isinstance(col.get("Type"), str):
                yield f"{where}.Columns[{j}] is not {{Name, Type}} with string values"


@rule("embedded.schema-json",
      description='Schema is JSON: {"Components": [{"ComponentName", "Columns": [{"Name", "Type"}]}]}.',
      source="documentation: 'A JSON description of the data ... including names, column names, and data types'; "
             "shape from AWS documentation and samples")
def schema_json(ctx):
    doc, problem = embedded(ctx, "Schema")
    if problem:
        yield "/Schema", f"Schema {problem}"
    elif doc is not None:
        p = _schema_problem(ctx)
        if p is not None:
            yield "/Schema", f"Schema {p}"


@rule("embedded.schema-column-types", severity=WARNING,
      description="Each Schema component has one DATETIME column (the timestamp) and DOUBLE sensor columns.",
      source="AWS documentation and samples: Type DATETIME for the timestamp column, DOUBLE for sensors; other types unseen")
def schema_column_types(ctx):
    doc, problem = embedded(ctx, "Schema")
    if problem or doc is None or _schema_problem(ctx) is not None:
        return
    for comp in doc["Components"]:
        types = [c["Type"] for c in comp["Columns"]]
        if types.count("DATETIME") != 1:
            yield "/Schema", f"component {comp['ComponentName']!r} has {types.count('DATETIME')} DATETIME columns, not 1"
        odd = sorted({t for t in types if t not in ("DATETIME", "DOUBLE")})
        if odd:
            yield "/Schema", f"component {comp['ComponentName']!r} has columns of type {', '.join(odd)}"


def _schema_problem(ctx) -> str | None:
    """The first shape problem of the parsed Schema (None if it has none), worked out once per response."""
    key = ("embedded-problem", "Schema")
    if key not in ctx.memo:
        doc, _ = embedded(ctx, "Schema")
        ctx.memo[key] = None if doc is None else next(_schema_problems(doc), None)
    return ctx.memo[key]


def sensors(ctx) -> set[str] | None:
    """'component\\sensor' names of the Schema's sensor columns, or None if Schema is unusable."""
    key = ("sensors", "Schema")
    if key not in ctx.memo:
        doc, problem = embedded(ctx, "Schema")
        ctx.memo[key] = None if problem or doc is None or _schema_problem(ctx) is not None else {
            f"{c['ComponentName']}\\{col['Name']}" for c in doc["Components"] for col in c["Columns"]
            if col["Type"] != "DATETIME"}
    return ctx.memo[key]


# --- ModelMetrics / PriorModelMetrics --------------------------------------

def _range_problems(items, where, with_diagnostics):
    if not isinstance(items, list):
        yield f"{where} is not a list"
        return
    for i, r in enumerate(items):
        at = f"{where}[{i}]"
        if not isinstance(r, dict) or not isinstance(r.get("start"), str) or not isinstance(r.get("end"), str):
            yield f"{at} is not {{start, end}} with text values"
            continue
        if with_diagnostics and "diagnostics" in r and not _diagnostics_ok(r["diagnostics"]):
            yield f"{at}.diagnostics is not a list of {{name, value}}"


def _diagnostics_ok(diags) -> bool:
    """A list of {name: text, value: number}; a loop, not all(...): metrics hold hundreds of them."""
    if not isinstance(diags, list):
        return False
    for d in diags:
        if not isinstance(d, dict) or not isinstance(d.get("name"), str):
            return False
        v = d.get("value")
        if v.__class__ is not float and not _is_num(v):
            return False
    return True


def _counts_problems(obj, where, ints, nums):
    if not isinstance(obj, dict):
        yield f"{where} is not an object"
        return
    for k in ints:
        if k in obj and not _is_int(obj[k]):
            yield f"{where}.{k} is not an integer"
    for k in nums:
        if k in obj and not _is_num(obj[k]):
            yield f"{where}.{k} is not a number"


def _metrics_problems(doc):
    if not isinstance(doc, dict):
        yield "is not a JSON object"
        return
    if "labeled_ranges" in doc:
        yield from _range_problems(doc["labeled_ranges"], "labeled_ranges", False)
    if "predicted_ranges" in doc:
        yield from _range_problems(doc["predicted_ranges"], "predicted_ranges", True)
    if "labeled_event_metrics" in doc:
        yield from _counts_problems(doc["labeled_event_metrics"], "labeled_event_metrics",
                                    ("num_labeled", "num_identified"), ("total_warning_time_in_seconds",))
    if "unknown_event_metrics" in doc:
        yield from _counts_problems(doc["unknown_event_metrics"], "unknown_event_metrics",
                                    ("num_identified",), ("total_duration_in_seconds",))


@rule("embedded.metrics-json",
      description="ModelMetrics and PriorModelMetrics are JSON objects whose known keys have the documented shape; new keys are allowed.",
      source="documentation: 'the JSON content of the metrics created when evaluating the model'; keys from AWS documentation")
def metrics_json(ctx):
    for m in METRICS_MEMBERS:
        doc, problem = embedded(ctx, m)
        if problem:
            yield f"/{m}", f"{m} {problem}"
        elif doc is not None:
            for p in _metrics_problems(doc):
                yield f"/{m}", f"{m}: {p}"
                break


def _naive_time(text):
    try:
        return _dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


@rule("embedded.metrics-range-order",
      description="Every labeled and predicted range in the metrics starts no later than it ends, in ISO text.",
      source="logic: a range; AWS documentation: range times are ISO 8601 text")
def metrics_range_order(ctx):
    for m in METRICS_MEMBERS:
        doc, problem = embedded(ctx, m)
        if problem or not isinstance(doc, dict):
            continue
        for key in ("labeled_ranges", "predicted_ranges"):
            items = doc.get(key)
            if not isinstance(items, list):
                continue
            for i, r in enumerate(items):
                if not isinstance(r, dict) or not isinstance(r.get("start"), str) or not isinstance(r.get("end"), str):
                    continue
                start, end = _naive_time(r["start"]), _naive_time(r["end"])
                if start is None or end is None:
                    yield f"/{m}", f"{m}: {key}[{i}] has a time that is not ISO 8601 text"
                elif (start.tzinfo is None) != (end.tzinfo is None):
                    yield f"/{m}", f"{m}: {key}[{i}] mixes times with and without an offset"
                elif start > end:
                    yield f"/{m}", f"{m}: {key}[{i}] ends ({r['end']}) before it starts ({r['start']})"


@rule("embedded.metrics-counts", severity=WARNING,
      description="labeled_event_metrics: num_identified <= num_labeled = the number of labeled_ranges.",
      source="inference: identified labeled events are a subset of the labeled events, one per labeled range")
def metrics_counts(ctx):
    for m in METRICS_MEMBERS:
        doc, problem = embedded(ctx, m)
        if problem or not isinstance(doc, dict) or not isinstance(doc.get("labeled_event_metrics"), dict):
            continue
        lem = doc["labeled_event_metrics"]
        labeled, identified = lem.get("num_labeled"), lem.get("num_identified")
        if _is_int(labeled) and _is_int(identified) and identified > labeled:
            yield f"/{m}", f"{m}: num_identified ({identified}) exceeds num_labeled ({labeled})"
        ranges = doc.get("labeled_ranges")
        if _is_int(labeled) and isinstance(ranges, list) and labeled != len(ranges):
            yield f"/{m}", f"{m}: num_labeled is {labeled} but there are {len(ranges)} labeled_ranges"


@rule("embedded.metrics-sensor-names", severity=WARNING,
      description="Diagnostics in predicted_ranges name sensors of the Schema as component\\sensor.",
      source="AWS documentation: diagnostics name is 'component\\sensor'")
def metrics_sensor_names(ctx):
    known = sensors(ctx)
    for m in METRICS_MEMBERS:
        doc, problem = embedded(ctx, m)
        if problem or not isinstance(doc, dict) or not isinstance(doc.get("predicted_ranges"), list):
            continue
        for r in doc["predicted_ranges"]:
            for d in (r.get("diagnostics") or []) if isinstance(r, dict) and isinstance(r.get("diagnostics"), list) else []:
                name = d.get("name") if isinstance(d, dict) else None
                if not isinstance(name, str):
                    continue
                if "\\" not in name:
                    yield f"/{m}", f"{m}: diagnostic {name[:80]!r} is not component\\sensor"
                    return
                if known is not None and name not in known:
                    yield f"/{m}", f"{m}: diagnostic {name[:80]!r} is not a sensor of the Schema"
                    return


# --- OffCondition ----------------------------------------------------------

_OFF = re.compile(r"\A([^\\<>]+)\\([^\\<>]+?)\s*([<>])\s*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\Z")


@rule("embedded.off-condition",
      description="OffCondition is component\\sensor<value or component\\sensor>value.",
      source="AWS documentation: the off condition names one sensor, a < or >, and a number")
def off_condition(ctx):
    text = ctx.str("OffCondition")
    if text and not _OFF.match(text.strip()):  # "" is schema.minLength's finding
        yield "/OffCondition", f"{text[:80]!r} is not component\\sensor<value or component\\sensor>value"


@rule("embedded.off-condition-sensor", severity=WARNING,
      description="The sensor of OffCondition is a sensor of the Schema.",
      source="documentation: the asset 'associated with this sensor' is shut off; the sensor is one of the model's inputs")
def off_condition_sensor(ctx):
    text, known = ctx.str("OffCondition"), sensors(ctx)
    m = _OFF.match(text.strip()) if text is not None else None
    if m and known is not None:
        name = f"{m.group(1)}\\{m.group(2)}"
        if name not in known:
            yield "/OffCondition", f"{name[:80]!r} is not a sensor of the Schema"
