"""Embedded JSON: Schema, ModelMetrics and PriorModelMetrics are strings holding JSON documents,
and OffCondition is a small expression. Their shapes come from AWS documentation and samples."""
from __future__ import annotations

import datetime as _dt
import json
import re

import msgspec

from l4e_contract.findings import WARNING
from l4e_contract.rules.fused import helper
from l4e_contract.rules.registry import check_that, rule

METRICS_MEMBERS = ("ModelMetrics", "PriorModelMetrics")
_UNSEEN = object()


# Embedded documents are parsed by msgspec's JSON decoder (C, about twice as fast as the json
# module's scanner: most of a metrics document's cost is its parse), which gives what the json
# module gives: the same values and types, integers of any size included. Whatever it refuses (not
# JSON, NaN, a lone surrogate, 1e400, deep nesting) goes to the json module, which decides, in its
# own words. tests/test_embedded_parse.py holds the two to the same.
_fast_decode = msgspec.json.Decoder().decode
_FAST_ERRORS = (msgspec.MsgspecError, RecursionError, ValueError)  # ValueError: text with a lone surrogate


# json.loads(text) is decode(text) after a BOM test, and decode skips whitespace, scans, skips
# whitespace and checks nothing is left. A document that starts with its value and ends with it
# needs only the scan: the C scanner's own call. Anything else goes to json.loads, which
# gives the same value or the same error.
def _no_constant(name: str):
    # NaN and Infinity are not JSON: the file loader refuses them too
    raise ValueError(f"{name} is not JSON")


_decoder = json.decoder.JSONDecoder(parse_constant=_no_constant)
_scan = _decoder.scan_once


def _parse(text: str):
    """(value, problem) of an embedded JSON document."""
    try:
        return _fast_decode(text), None
    except _FAST_ERRORS:
        return _parse_with_json(text)


def _parse_with_json(text: str):
    """(value, problem) of an embedded JSON document, by the json module alone."""
    try:
        value, end = _scan(text, 0)
        if end == len(text):
            return value, None
    except (StopIteration, ValueError, RecursionError):
        pass
    try:
        return _decoder.decode(text), None
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

class SchemaFacts:
    """What the Schema rules (and the sensor-name rules) read of the parsed Schema, from one walk."""

    __slots__ = ("problem", "sensors", "column_findings")

    def __init__(self, problem, sensors, column_findings):
        self.problem = problem                  # the first shape problem, or None
        self.sensors = sensors                  # {'component\\sensor'} of its sensor columns; None if unusable
        self.column_findings = column_findings  # embedded.schema-column-types' messages


def _schema_walk(doc) -> SchemaFacts:
    if not isinstance(doc, dict):
        return SchemaFacts("is not a JSON object", None, ())
    comps = doc.get("Components")
    if not isinstance(comps, list) or not comps:
        return SchemaFacts("has no Components list", None, ())
    sensors = set()
    findings = []
    for i, comp in enumerate(comps):
        # the first problem in document order; once there is one, nothing else is read of the Schema
        if not isinstance(comp, dict):
            return SchemaFacts(f"Components[{i}] is not an object", None, ())
        name = comp.get("ComponentName")
        if not isinstance(name, str) or not name:
            return SchemaFacts(f"Components[{i}] has no ComponentName", None, ())
        cols = comp.get("Columns")
        if not isinstance(cols, list) or not cols:
            return SchemaFacts(f"Components[{i}] has no Columns list", None, ())
        prefix = name + "\\"
        add = sensors.add
        datetimes, odd = 0, None
        for j, col in enumerate(cols):
            # subscripts, not get: a column that is not an object with both keys raises, and is named below
            try:
                col_name, kind = col["Name"], col["Type"]
            except (TypeError, KeyError, IndexError):
                col_name = kind = None
            if isinstance(col, dict) and isinstance(col_name, str) and isinstance(kind, str):
                if kind == "DATETIME":
                    datetimes += 1
                else:
                    add(prefix + col_name)
                    if kind != "DOUBLE":
                        odd = {kind} if odd is None else odd | {kind}
                continue
            return SchemaFacts(f"Components[{i}].Columns[{j}] is not {{Name, Type}} with string values", None, ())
        if datetimes != 1:
            findings.append(f"component {name!r} has {datetimes} DATETIME columns, not 1")
        if odd:
            findings.append(f"component {name!r} has columns of type {', '.join(sorted(odd))}")
    return SchemaFacts(None, sensors, findings)


_SCHEMA_KEY = ("facts", "Schema")


@helper
def schema_facts(ctx) -> SchemaFacts | None:
    """The Schema's facts, worked out once per response; None if Schema is absent, empty or not JSON."""
    facts = ctx.memo.get(_SCHEMA_KEY, _UNSEEN)  # a default, not KeyError: raising costs more than the lookup
    if facts is _UNSEEN:
        text = ctx.str("Schema")
        facts = _clean_schema(text) if text else None
        if facts is None:
            doc, problem = embedded(ctx, "Schema")
            facts = None if problem or doc is None else _schema_walk(doc)
        ctx.memo[_SCHEMA_KEY] = facts
    return facts


@helper
def schema_problem(ctx) -> str | None:
    """What is wrong with the Schema: not JSON, or its first shape problem; None if nothing (or no Schema)."""
    facts = schema_facts(ctx)
    if facts is not None:  # then the Schema is JSON
        return facts.problem
    return embedded(ctx, "Schema")[1]


check_that("embedded.schema-json", needs=("Schema",), holds="schema_problem(ctx) is None",
           pointer="/Schema", message=lambda ctx: f"Schema {schema_problem(ctx)}",
           description='Schema is JSON: {"Components": [{"ComponentName", "Columns": [{"Name", "Type"}]}]}.',
           source="documentation: 'A JSON description of the data ... including names, column names, and data types'; "
                  "shape from AWS documentation and samples")


@rule("embedded.schema-column-types", severity=WARNING, needs=("Schema",),
      holds="(_f := schema_facts(ctx)) is None or not _f.column_findings",
      description="Each Schema component has one DATETIME column (the timestamp) and DOUBLE sensor columns.",
      source="AWS documentation and samples: Type DATETIME for the timestamp column, DOUBLE for sensors; other types unseen")
def schema_column_types(ctx):
    facts = schema_facts(ctx)
    if facts is not None:
        for message in facts.column_findings:
            yield "/Schema", message


@helper
def sensors(ctx) -> set[str] | None:
    """'component\\sensor' names of the Schema's sensor columns, or None if Schema is unusable."""
    facts = schema_facts(ctx)
    return None if facts is None else facts.sensors


# --- ModelMetrics / PriorModelMetrics --------------------------------------
#
# Four rules read each metrics document. One walk (`metrics_facts`) finds, for all of them,
# the first shape problem, every range out of order, the count findings and the first
# diagnostic naming no sensor; each rule reports its part.

class MetricsFacts:
    __slots__ = ("problem", "order", "counts", "sensor")

    def __init__(self):
        self.problem = None  # embedded.metrics-json: the first shape problem (after "is not JSON")
        self.order = []      # embedded.metrics-range-order: messages, in document order
        self.counts = []     # embedded.metrics-counts: messages
        self.sensor = None   # embedded.metrics-sensor-names: the first message, if any


_fromisoformat = _dt.datetime.fromisoformat


def _known_float_diagnostics(diags, known) -> bool:
    """The usual diagnostics, told apart cheaply: each an object naming a sensor of the Schema, with a
    float value. Anything else (an int value too) is read by the loop in _ranges, which says what."""
    try:
        for d in diags:
            if d["name"] not in known or d["value"].__class__ is not float:
                return False
    except (TypeError, KeyError, IndexError):  # not an object, a key missing, an unhashable name, no Schema
        return False
    return True


def _ranges(facts: MetricsFacts, m: str, key: str, items, with_diagnostics: bool, known) -> None:
    if not isinstance(items, list):
        facts.problem = facts.problem or f"{key} is not a list"
        return
    # locals, written back at the end: metrics hold hundreds of diagnostics
    problem, sensor, order = facts.problem, facts.sensor, facts.order
    for i, r in enumerate(items):
        if not isinstance(r, dict):
            problem = problem or f"{key}[{i}] is not {{start, end}} with text values"
            continue
        start, end = r.get("start"), r.get("end")
        texts = isinstance(start, str) and isinstance(end, str)
        if texts:
            # datetime.fromisoformat (C) is the definition of "ISO 8601 text" here; it is also what
            # tells a real date from a well-shaped unreal one, so comparing the texts cannot replace it
            try:
                t0 = _fromisoformat(start)
            except (TypeError, ValueError):
                t0 = None
            try:
                t1 = _fromisoformat(end)
            except (TypeError, ValueError):
                t1 = None
            if t0 is None or t1 is None:
                order.append(f"{m}: {key}[{i}] has a time that is not ISO 8601 text")
            elif (t0.tzinfo is None) != (t1.tzinfo is None):
                order.append(f"{m}: {key}[{i}] mixes times with and without an offset")
            elif t0 > t1:
                order.append(f"{m}: {key}[{i}] ends ({end}) before it starts ({start})")
        else:
            problem = problem or f"{key}[{i}] is not {{start, end}} with text values"
        if not with_diagnostics:
            continue
        diags = r.get("diagnostics", _UNSEEN)
        if diags is _UNSEEN:
            continue
        if not isinstance(diags, list):
            if texts:
                problem = problem or f"{key}[{i}].diagnostics is not a list of {{name, value}}"
            continue
        if _known_float_diagnostics(diags, known):
            continue  # every one {name: a sensor of the Schema, value: a float}: nothing to say
        shape_ok = True
        for d in diags:
            if not isinstance(d, dict):
                shape_ok = False
                continue
            name = d.get("name")
            if not isinstance(name, str):
                shape_ok = False
                continue
            v = d.get("value")
            if v.__class__ is not float and not _is_num(v):
                shape_ok = False
            # a name of the Schema holds a backslash, so only other names need the two tests
            if sensor is None and (known is None or name not in known):
                if "\\" not in name:
                    sensor = f"{m}: diagnostic {name[:80]!r} is not component\\sensor"
                elif known is not None:
                    sensor = f"{m}: diagnostic {name[:80]!r} is not a sensor of the Schema"
        if not shape_ok and texts:
            problem = problem or f"{key}[{i}].diagnostics is not a list of {{name, value}}"
    facts.problem, facts.sensor = problem, sensor


def _counts_problem(obj, where, ints, nums) -> str | None:
    if not isinstance(obj, dict):
        return f"{where} is not an object"
    for k in ints:
        if k in obj and not _is_int(obj[k]):
            return f"{where}.{k} is not an integer"
    for k in nums:
        if k in obj and not _is_num(obj[k]):
            return f"{where}.{k} is not a number"
    return None


def _metrics_walk(m: str, doc, known) -> MetricsFacts:
    facts = MetricsFacts()
    if not isinstance(doc, dict):
        facts.problem = "is not a JSON object"
        return facts
    if "labeled_ranges" in doc:
        _ranges(facts, m, "labeled_ranges", doc["labeled_ranges"], False, known)
    if "predicted_ranges" in doc:
        _ranges(facts, m, "predicted_ranges", doc["predicted_ranges"], True, known)
    lem = doc.get("labeled_event_metrics")
    if "labeled_event_metrics" in doc and facts.problem is None:
        facts.problem = _counts_problem(lem, "labeled_event_metrics",
                                        ("num_labeled", "num_identified"), ("total_warning_time_in_seconds",))
    if "unknown_event_metrics" in doc and facts.problem is None:
        facts.problem = _counts_problem(doc["unknown_event_metrics"], "unknown_event_metrics",
                                        ("num_identified",), ("total_duration_in_seconds",))
    if isinstance(lem, dict):
        labeled, identified = lem.get("num_labeled"), lem.get("num_identified")
        if _is_int(labeled) and _is_int(identified) and identified > labeled:
            facts.counts.append(f"{m}: num_identified ({identified}) exceeds num_labeled ({labeled})")
        ranges = doc.get("labeled_ranges")
        if _is_int(labeled) and isinstance(ranges, list) and labeled != len(ranges):
            facts.counts.append(f"{m}: num_labeled is {labeled} but there are {len(ranges)} labeled_ranges")
    return facts


# --- The clean path --------------------------------------------------------
#
# Nearly every embedded document is well formed and gives the rules nothing to say, and reading one
# as dicts and walking it cost more than all the other rules together. msgspec decodes such a
# document straight into the typed structs below, checking each type in C as it goes, and a short
# loop checks what types cannot say (range order, sensor names, counts). The answer is yes or
# "ask the walks": anything unusual (a key these structs do not name, a wrong type, an int where
# a float is usual...) fails the decode, and the walks above decide and word what they find.
#
# The decode refuses every key the structs do not name, so it skips no part of the text: it accepts
# no text the json module would refuse (a number too long for int(), say), and nests no deeper
# than _parse does. tests/test_embedded_clean.py holds the two paths to the same facts, every field
# of them by name: a fact added to a walk (for a new rule) must be refused here too where it says
# anything, or the clean path would answer for it.

class _Column(msgspec.Struct, forbid_unknown_fields=True):
    Name: str
    Type: str


class _Component(msgspec.Struct, forbid_unknown_fields=True):
    ComponentName: str
    Columns: list[_Column]


class _Schema(msgspec.Struct, forbid_unknown_fields=True):
    Components: list[_Component]


_decode_schema = msgspec.json.Decoder(_Schema).decode


def _clean_schema(text: str) -> SchemaFacts | None:
    """The facts of a Schema with nothing to say (each component named, one DATETIME column, the
    others DOUBLE), as _schema_walk gives them; None for any other text: the walk decides."""
    try:
        components = _decode_schema(text).Components
    except _FAST_ERRORS:
        return None
    if not components:
        return None
    sensors = set()
    add = sensors.add
    for component in components:
        name, columns = component.ComponentName, component.Columns
        if not name or not columns:
            return None
        prefix = name + "\\"
        datetimes = 0
        for column in columns:
            kind = column.Type
            if kind == "DOUBLE":
                add(prefix + column.Name)
            elif kind == "DATETIME":
                datetimes += 1
            else:
                return None
        if datetimes != 1:
            return None
    return SchemaFacts(None, sensors, ())


_Unset = msgspec.UnsetType
_UNSET = msgspec.UNSET


class _Range(msgspec.Struct, forbid_unknown_fields=True):
    start: str
    end: str


class _Diagnostic(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    value: float  # an int too (as a float): the walk asks for a number, and reads no more of it


class _PredictedRange(msgspec.Struct, forbid_unknown_fields=True):
    start: str
    end: str
    diagnostics: list[_Diagnostic] | _Unset = _UNSET


class _LabeledEvents(msgspec.Struct, forbid_unknown_fields=True):
    num_labeled: int | _Unset = _UNSET
    num_identified: int | _Unset = _UNSET
    total_warning_time_in_seconds: float | _Unset = _UNSET


class _UnknownEvents(msgspec.Struct, forbid_unknown_fields=True):
    num_identified: int | _Unset = _UNSET
    total_duration_in_seconds: float | _Unset = _UNSET


class _Metrics(msgspec.Struct, forbid_unknown_fields=True):
    labeled_ranges: list[_Range] | _Unset = _UNSET
    labeled_event_metrics: _LabeledEvents | _Unset = _UNSET
    predicted_ranges: list[_PredictedRange] | _Unset = _UNSET
    unknown_event_metrics: _UnknownEvents | _Unset = _UNSET


_decode_metrics = msgspec.json.Decoder(_Metrics).decode

# what metrics_facts keeps for a clean document: never written to (tuples, not lists)
_CLEAN_METRICS = (None, MetricsFacts())
_CLEAN_METRICS[1].order = _CLEAN_METRICS[1].counts = ()


def _in_order(ranges) -> bool:
    """Each range's times are ISO 8601 text, both with an offset or both without, start <= end."""
    for r in ranges:
        start, end = _fromisoformat(r.start), _fromisoformat(r.end)
        if (start.tzinfo is None) != (end.tzinfo is None) or start > end:
            return False
    return True


def _clean_metrics(text: str, known) -> bool:
    """True when _metrics_walk would find nothing at all in this metrics document (given the
    Schema's sensors, `known`); False means: ask the walk."""
    try:
        doc = _decode_metrics(text)
        labeled, predicted = doc.labeled_ranges, doc.predicted_ranges
        if labeled is not _UNSET and not _in_order(labeled):
            return False
        if predicted is not _UNSET:
            if not _in_order(predicted):
                return False
            for r in predicted:
                if r.diagnostics is not _UNSET:
                    for d in r.diagnostics:
                        if d.name not in known:  # TypeError when there is no Schema to know them by
                            return False
    except (*_FAST_ERRORS, TypeError):  # ValueError: a time that is not ISO text
        return False
    events = doc.labeled_event_metrics
    if events is not _UNSET and events.num_labeled is not _UNSET:
        if events.num_identified is not _UNSET and events.num_identified > events.num_labeled:
            return False
        if labeled is not _UNSET and events.num_labeled != len(labeled):
            return False
    return True


@helper
def metrics_facts(ctx, m: str) -> tuple[str | None, MetricsFacts | None]:
    """(parse problem, facts) of one metrics member, worked out once per response.

    Facts are None when the member is absent, empty or not JSON."""
    key = ("facts", m)
    found = ctx.memo.get(key, _UNSEEN)
    if found is _UNSEEN:
        text = ctx.str(m)
        if text and _clean_metrics(text, sensors(ctx)):
            found = _CLEAN_METRICS
        else:
            doc, problem = embedded(ctx, m)
            found = (problem, None if problem or doc is None else _metrics_walk(m, doc, sensors(ctx)))
        ctx.memo[key] = found
    return found


def _every_metrics(test: str) -> str:
    """`holds` of a metrics rule: `test` of each metrics document's facts `_f` (None when absent, empty or not JSON)."""
    return " and ".join(f"((_f := metrics_facts(ctx, {m!r})[1]) is None or {test})" for m in METRICS_MEMBERS)


@rule("embedded.metrics-json", needs_any=METRICS_MEMBERS,
      holds=" and ".join(f"not metrics_facts(ctx, {m!r})[0]" for m in METRICS_MEMBERS) + " and "
            + _every_metrics("_f.problem is None"),
      description="ModelMetrics and PriorModelMetrics are JSON objects whose known keys have the documented shape; new keys are allowed.",
      source="documentation: 'the JSON content of the metrics created when evaluating the model'; keys from AWS documentation")
def metrics_json(ctx):
    for m in METRICS_MEMBERS:
        problem, facts = metrics_facts(ctx, m)
        if problem:
            yield f"/{m}", f"{m} {problem}"
        elif facts is not None and facts.problem is not None:
            yield f"/{m}", f"{m}: {facts.problem}"


@rule("embedded.metrics-range-order", needs_any=METRICS_MEMBERS, holds=_every_metrics("not _f.order"),
      description="Every labeled and predicted range in the metrics starts no later than it ends, in ISO text.",
      source="logic: a range; AWS documentation: range times are ISO 8601 text")
def metrics_range_order(ctx):
    for m in METRICS_MEMBERS:
        _, facts = metrics_facts(ctx, m)
        if facts is not None:
            for message in facts.order:
                yield f"/{m}", message


@rule("embedded.metrics-counts", severity=WARNING, needs_any=METRICS_MEMBERS, holds=_every_metrics("not _f.counts"),
      description="labeled_event_metrics: num_identified <= num_labeled = the number of labeled_ranges.",
      source="inference: identified labeled events are a subset of the labeled events, one per labeled range")
def metrics_counts(ctx):
    for m in METRICS_MEMBERS:
        _, facts = metrics_facts(ctx, m)
        if facts is not None:
            for message in facts.counts:
                yield f"/{m}", message


@rule("embedded.metrics-sensor-names", severity=WARNING, needs_any=METRICS_MEMBERS,
      holds=_every_metrics("_f.sensor is None"),
      description="Diagnostics in predicted_ranges name sensors of the Schema as component\\sensor.",
      source="AWS documentation: diagnostics name is 'component\\sensor'")
def metrics_sensor_names(ctx):
    for m in METRICS_MEMBERS:
        _, facts = metrics_facts(ctx, m)
        if facts is not None and facts.sensor is not None:
            yield f"/{m}", facts.sensor
            return  # one diagnostic is enough: the others are usually named the same way


# --- OffCondition ----------------------------------------------------------

_OFF = re.compile(r"\A([^\\<>]+)\\([^\\<>]+?)\s*([<>])\s*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\Z")


@helper
def off_condition_sensor(text) -> str | None:
    """The component\\sensor an off condition names; None if `text` is not an off condition."""
    m = _OFF.match(text.strip()) if isinstance(text, str) else None
    return f"{m.group(1)}\\{m.group(2)}" if m else None


check_that("embedded.off-condition", needs=("OffCondition",),
           # "" is schema.minLength's finding
           holds="not isinstance(_o := d.get('OffCondition'), str) or not _o or off_condition_sensor(_o) is not None",
           pointer="/OffCondition",
           message=lambda ctx: (f"{ctx.str('OffCondition')[:80]!r} is not component\\sensor<value "
                                "or component\\sensor>value"),
           description="OffCondition is component\\sensor<value or component\\sensor>value.",
           source="AWS documentation: the off condition names one sensor, a < or >, and a number")

check_that("embedded.off-condition-sensor", severity=WARNING, needs=("OffCondition", "Schema"),
           holds="(_k := sensors(ctx)) is None or (_n := off_condition_sensor(d.get('OffCondition'))) is None "
                 "or _n in _k",
           pointer="/OffCondition",
           message=lambda ctx: f"{off_condition_sensor(ctx.str('OffCondition'))[:80]!r} is not a sensor of the Schema",
           description="The sensor of OffCondition is a sensor of the Schema.",
           source="documentation: the asset 'associated with this sensor' is shut off; the sensor is one of the model's inputs")
