"""Embedded JSON: Schema, ModelMetrics and PriorModelMetrics are strings holding JSON documents,
and OffCondition is a small expression. Their shapes come from AWS documentation and samples."""
from __future__ import annotations

import datetime as _dt
import json
import re

from l4e_contract.contract import committed
from l4e_contract.contract.timestamps import describe
from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import check_that, rule

METRICS_MEMBERS = ("ModelMetrics", "PriorModelMetrics")
_UNSEEN = object()


def _no_constant(name: str):
    # NaN and Infinity are not JSON: the file loader refuses them too
    raise ValueError(f"{name} is not JSON")


_decoder = json.decoder.JSONDecoder(parse_constant=_no_constant)


def _parse(text: str):
    """(value, problem) of an embedded JSON document."""
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


def schema_facts(ctx) -> SchemaFacts | None:
    """The Schema's facts, worked out once per response; None if Schema is absent, empty or not JSON."""
    facts = ctx.memo.get(_SCHEMA_KEY, _UNSEEN)  # a default, not KeyError: raising costs more than the lookup
    if facts is _UNSEEN:
        doc, problem = embedded(ctx, "Schema")
        facts = ctx.memo[_SCHEMA_KEY] = None if problem or doc is None else _schema_walk(doc)
    return facts


def schema_problem(ctx) -> str | None:
    """What is wrong with the Schema: not JSON, or its first shape problem; None if nothing (or no Schema)."""
    facts = schema_facts(ctx)
    if facts is not None:  # then the Schema is JSON
        return facts.problem
    return embedded(ctx, "Schema")[1]


check_that("embedded.schema-json", lambda ctx: schema_problem(ctx) is None, needs=("Schema",),
           pointer="/Schema", message=lambda ctx: f"Schema {schema_problem(ctx)}",
           description='Schema is JSON: {"Components": [{"ComponentName", "Columns": [{"Name", "Type"}]}]}.',
           source="documentation: 'A JSON description of the data ... including names, column names, and data types'; "
                  "shape from AWS documentation and samples")


@rule("embedded.schema-column-types", severity=WARNING, needs=("Schema",),
      description="Each Schema component has one DATETIME column (the timestamp) and DOUBLE sensor columns.",
      source="AWS documentation and samples: Type DATETIME for the timestamp column, DOUBLE for sensors; other types unseen")
def schema_column_types(ctx):
    facts = schema_facts(ctx)
    if facts is not None:
        for message in facts.column_findings:
            yield "/Schema", message


def sensors(ctx) -> set[str] | None:
    """'component\\sensor' names of the Schema's sensor columns, or None if Schema is unusable."""
    facts = schema_facts(ctx)
    return None if facts is None else facts.sensors


# --- ModelMetrics / PriorModelMetrics --------------------------------------
#
# Several rules read each metrics document. One walk (`metrics_facts`) finds, for all of them,
# whether it is an object, the first shape problem of a known key, every range out of order, the
# ranges' times, the count findings, the first diagnostic naming no sensor and each range's sum of
# diagnostics; each rule reports its part.
#
# What real trainings wrote (aws-samples notebooks, 2021-2022; docs/evidence/model-metrics.md):
# range times are ISO text with no offset (read as UTC, as the service's data times are), ranges may
# be zero-length, each predicted range's diagnostics name every sensor with fractions summing to 1,
# and newer models add keys (data_start_time, labels_present, model_version_metrics...): new keys
# are allowed.

class MetricsFacts:
    __slots__ = ("problem", "shape", "order", "ranges", "counts", "sensor", "sums")

    def __init__(self):
        self.problem = None  # embedded.metrics-json: "is not a JSON object"
        self.shape = None    # embedded.metrics-shape: the first known key of another shape than the samples'
        self.order = []      # embedded.metrics-range-order: messages, in document order
        self.ranges = []     # (key, index, start, end): each range whose two times read as ISO text
        self.counts = []     # embedded.metrics-counts: messages
        self.sensor = None   # embedded.metrics-sensor-names: the first message, if any
        self.sums = []       # (index, sum of its diagnostics' values): each predicted range with numbers only


_fromisoformat = _dt.datetime.fromisoformat


def _ranges(facts: MetricsFacts, m: str, key: str, items, with_diagnostics: bool, known) -> None:
    if not isinstance(items, list):
        facts.shape = facts.shape or f"{key} is not a list"
        return
    # locals, written back at the end: metrics hold hundreds of diagnostics
    problem, sensor, order = facts.shape, facts.sensor, facts.order
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
                facts.ranges.append((key, i, t0, t1))
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
        shape_ok = True
        total = 0.0
        for d in diags:
            if not isinstance(d, dict):
                shape_ok = False
                continue
            name = d.get("name")
            if not isinstance(name, str):
                shape_ok = False
                continue
            v = d.get("value")
            if _is_num(v):
                total += v
            else:
                shape_ok = False
            # a name of the Schema holds a backslash, so only other names need the two tests
            if sensor is None and (known is None or name not in known):
                if "\\" not in name:
                    sensor = f"{m}: diagnostic {name[:80]!r} is not component\\sensor"
                elif known is not None:
                    sensor = f"{m}: diagnostic {name[:80]!r} is not a sensor of the Schema"
        if not shape_ok and texts:
            problem = problem or f"{key}[{i}].diagnostics is not a list of {{name, value}}"
        elif shape_ok and diags:
            facts.sums.append((i, total))
    facts.shape, facts.sensor = problem, sensor


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
    if "labeled_event_metrics" in doc and facts.shape is None:
        facts.shape = _counts_problem(lem, "labeled_event_metrics",
                                      ("num_labeled", "num_identified"), ("total_warning_time_in_seconds",))
    if "unknown_event_metrics" in doc and facts.shape is None:
        facts.shape = _counts_problem(doc["unknown_event_metrics"], "unknown_event_metrics",
                                      ("num_identified",), ("total_duration_in_seconds",))
    if isinstance(lem, dict):
        labeled, identified = lem.get("num_labeled"), lem.get("num_identified")
        if _is_int(labeled) and _is_int(identified) and identified > labeled:
            facts.counts.append(f"{m}: num_identified ({identified}) exceeds num_labeled ({labeled})")
        ranges = doc.get("labeled_ranges")
        if _is_int(labeled) and isinstance(ranges, list) and labeled != len(ranges):
            facts.counts.append(f"{m}: num_labeled is {labeled} but there are {len(ranges)} labeled_ranges")
    return facts


def metrics_facts(ctx, m: str) -> tuple[str | None, MetricsFacts | None]:
    """(parse problem, facts) of one metrics member, worked out once per response.

    Facts are None when the member is absent, empty or not JSON."""
    key = ("facts", m)
    found = ctx.memo.get(key, _UNSEEN)
    if found is _UNSEEN:
        doc, problem = embedded(ctx, m)
        found = ctx.memo[key] = (problem, None if problem or doc is None else _metrics_walk(m, doc, sensors(ctx)))
    return found


@rule("embedded.metrics-json", needs_any=METRICS_MEMBERS,
      description="ModelMetrics and PriorModelMetrics are JSON objects.",
      source="documentation: ModelMetrics is 'the JSON content of the metrics created when evaluating the model'; "
             "PriorModelMetrics is a 'JSON-formatted object'")
def metrics_json(ctx):
    for m in METRICS_MEMBERS:
        problem, facts = metrics_facts(ctx, m)
        if problem:
            yield f"/{m}", f"{m} {problem}"
        elif facts is not None and facts.problem is not None:
            yield f"/{m}", f"{m} {facts.problem}"


@rule("embedded.metrics-shape", severity=WARNING, needs_any=METRICS_MEMBERS,
      description="The metrics' known keys have the shapes real trainings wrote (ranges of {start, end} text, "
                  "diagnostics of {name, value}, integer counts, number durations); new keys are allowed.",
      source="samples: AWS documentation examples and aws-samples notebook outputs; the shapes are not specified")
def metrics_shape(ctx):
    for m in METRICS_MEMBERS:
        _, facts = metrics_facts(ctx, m)
        if facts is not None and facts.shape is not None:
            yield f"/{m}", f"{m}: {facts.shape}"


@rule("embedded.metrics-range-order", needs_any=METRICS_MEMBERS,
      description="Every labeled and predicted range in the metrics starts no later than it ends, in ISO text.",
      source="logic: a range; AWS documentation: range times are ISO 8601 text")
def metrics_range_order(ctx):
    for m in METRICS_MEMBERS:
        _, facts = metrics_facts(ctx, m)
        if facts is not None:
            for message in facts.order:
                yield f"/{m}", message


@rule("embedded.metrics-counts", severity=WARNING, needs_any=METRICS_MEMBERS,
      description="labeled_event_metrics: num_identified <= num_labeled = the number of labeled_ranges.",
      source="inference: identified labeled events are a subset of the labeled events, one per labeled range")
def metrics_counts(ctx):
    for m in METRICS_MEMBERS:
        _, facts = metrics_facts(ctx, m)
        if facts is not None:
            for message in facts.counts:
                yield f"/{m}", message


@rule("embedded.metrics-sensor-names", severity=WARNING, needs_any=METRICS_MEMBERS,
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


def off_condition_sensor(text) -> str | None:
    """The component\\sensor an off condition names; None if `text` is not an off condition."""
    m = _OFF.match(text.strip()) if isinstance(text, str) else None
    return f"{m.group(1)}\\{m.group(2)}" if m else None


def _off_condition_readable(ctx) -> bool:
    text = ctx.str("OffCondition")
    # "" is schema.minLength's finding
    return not text or off_condition_sensor(text) is not None


check_that("embedded.off-condition", _off_condition_readable, severity=WARNING, needs=("OffCondition",),
           pointer="/OffCondition",
           message=lambda ctx: (f"{ctx.str('OffCondition')[:80]!r} is not component\\sensor<value "
                                "or component\\sensor>value"),
           description="OffCondition is component\\sensor<value or component\\sensor>value.",
           source="samples: the grammar comes from an aws-samples docstring (one sensor, a < or >, and a number); "
                  "the API documents OffCondition only as a string")

def _off_condition_sensor_known(ctx) -> bool:
    known, sensor = sensors(ctx), off_condition_sensor(ctx.doc.get("OffCondition"))
    return known is None or sensor is None or sensor in known


check_that("embedded.off-condition-sensor", _off_condition_sensor_known, severity=WARNING,
           needs=("OffCondition", "Schema"),
           pointer="/OffCondition",
           message=lambda ctx: f"{off_condition_sensor(ctx.str('OffCondition'))[:80]!r} is not a sensor of the Schema",
           description="The sensor of OffCondition is a sensor of the Schema.",
           source="documentation: the asset 'associated with this sensor' is shut off; the sensor is one of the model's inputs")


@rule("embedded.metrics-size", severity=WARNING, needs_any=METRICS_MEMBERS,
      description="ModelMetrics and PriorModelMetrics are no longer than botocore's maximum (50,000 characters).",
      source="model: the ModelMetrics shape's max length; real trainings wrote longer ones (deviation "
             "metrics-longer-than-the-model), so past it a client that enforces the model's length would refuse "
             "the response: a warning")
def metrics_size(ctx):
    limit = committed.definition("ModelMetrics")["x-botocore-maxLength"]
    for m in METRICS_MEMBERS:
        text = ctx.str(m)
        if text is not None and len(text) > limit:
            yield f"/{m}", (f"{m} is {len(text):,} characters, longer than botocore's maximum of {limit:,} "
                            "(real trainings write such metrics: a client holding the model's length would refuse it)")


# --- ModelMetrics against the rest of the response -------------------------------------------------

def _as_utc(moment: _dt.datetime) -> float:
    """Epoch seconds of a range time; one without an offset is UTC, as the service's data times are."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=_dt.timezone.utc)).timestamp()


@rule("embedded.metrics-in-evaluation-window", severity=WARNING,
      needs=("ModelMetrics", "EvaluationDataStartTime", "EvaluationDataEndTime"),
      description="Every labeled and predicted range of ModelMetrics lies inside the evaluation data range "
                  "(range times without an offset read as UTC).",
      source="documentation: ModelMetrics 'show an aggregated summary of the model's performance within the "
             "evaluation time range'; reading offset-less times as UTC is an inference")
def metrics_in_evaluation_window(ctx):
    start, end = ctx.time("EvaluationDataStartTime"), ctx.time("EvaluationDataEndTime")
    _, facts = metrics_facts(ctx, "ModelMetrics")
    if start is None or end is None or start > end or facts is None:  # a reversed window is time.evaluation-data-range's
        return
    for key, i, t0, t1 in facts.ranges:
        try:
            outside = _as_utc(t0) < start or _as_utc(t1) > end
        except (OverflowError, OSError, ValueError):  # year 1 or 9999 with an offset: no epoch seconds
            outside = True
        if outside:
            yield "/ModelMetrics", (f"ModelMetrics: {key}[{i}] ({t0.isoformat()} to {t1.isoformat()}) is not inside "
                                    f"the evaluation data range ({describe(start)} to {describe(end)})")
            return  # one is enough: the others usually share the cause


# Real diagnostics are fractions written with a few decimals; 51 of them rounded to 5 decimals stray
# from 1 by far less than this.
DIAGNOSTICS_SUM_TOLERANCE = 0.01


@rule("embedded.metrics-diagnostics-sum", severity=WARNING, needs_any=METRICS_MEMBERS,
      description=f"The diagnostics values of each predicted range sum to 1 (within {DIAGNOSTICS_SUM_TOLERANCE}).",
      source="samples: in real trainings' metrics each predicted range's diagnostics give every sensor's share "
             "of the anomaly, fractions that sum to 1 (docs/evidence/model-metrics.md)")
def metrics_diagnostics_sum(ctx):
    for m in METRICS_MEMBERS:
        _, facts = metrics_facts(ctx, m)
        for i, total in facts.sums if facts is not None else ():
            if abs(total - 1.0) > DIAGNOSTICS_SUM_TOLERANCE:
                yield f"/{m}", f"{m}: the diagnostics of predicted_ranges[{i}] sum to {total:.6g}, not 1"
                break  # one range per document: the others usually share the cause
