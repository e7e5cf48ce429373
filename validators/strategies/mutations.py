"""Mutations: for each rule id, a way to break a valid response so that exactly that rule fires.

A mutation names the rule it breaks, the valid responses it starts from (keyword arguments of
`draw_model`/`build`), and a function that changes one (or the few members that must change together
for only that rule to notice). Most work on the wire form before it is written in the form asked
for; those about the timestamp forms themselves (`late`) work on the written form.

The self-test checks every mutation against `validate`: its rule, and nothing else, is reported.
A rule in the catalogue with no mutation here is a blind spot, and the self-test fails.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Callable

from hypothesis import strategies as st

from l4e_contract.contract import committed
from l4e_contract.contract.timestamps import CLOCK_ROUNDING, END_OF_SUPPORT, to_epoch
from l4e_contract.strategies import values as v
from l4e_contract.strategies.lifecycle import IMPORTED, LIFECYCLES, RETRAINING, WITH_VERSION, sampling_rates


@dataclass(frozen=True)
class Mutation:
    rule: str
    how: str
    mutate: Callable  # (draw, doc, facts) -> doc; late ones: (draw, doc, facts, form) -> doc
    base: dict = field(default_factory=dict)
    late: bool = False
    forms: tuple[str, ...] | None = None  # the only forms the breakage exists in


MUTATIONS: dict[str, Mutation] = {}


def mutation(rule: str, how: str, *, late: bool = False, forms=None, **base):
    def register(fn):
        if rule in MUTATIONS:
            raise ValueError(f"two mutations for {rule}")
        MUTATIONS[rule] = Mutation(rule, how, fn, base, late, forms)
        return fn
    return register


SUCCESS_STAGES = tuple(s for s, (status, _) in LIFECYCLES.items() if status == "SUCCESS")
VERSIONED = tuple(sorted(WITH_VERSION))
WITH_PREVIOUS = ("rolled_back", "retrained", "retraining_canceled", "retraining_failed", "retraining_in_progress")
TRAINED_HERE = tuple(s for s in VERSIONED if s not in IMPORTED)
NO_REASON_RETRAINING = tuple(s for s in sorted(RETRAINING) if LIFECYCLES[s][1] != "FAILED")


# --- helpers on a wire-form document ---------------------------------------------------

def ms(doc, m) -> int:
    return round(doc[m] * 1000)


def put(doc, m, value_ms: int):
    doc[m] = v.wire_time(value_ms, False)


_SEEDS = st.integers(0, 2**32 - 1)
_STEPS = st.integers(0, v.DAY_MS)
# past the few seconds of clock rounding that orderings between service events tolerate
_DELTAS = st.integers(int(CLOCK_ROUNDING * 1000) + 1, 30 * v.DAY_MS)


def rnd(draw) -> random.Random:
    return random.Random(draw(_SEEDS))


def delta(draw) -> int:
    """A positive step, so that an order is broken, never only equalled."""
    return draw(_DELTAS)


def pick(draw, doc, candidates):
    present = [c for c in candidates if _get(doc, c) is not _MISSING]
    if not present:
        raise ValueError(f"none of {candidates} in the base response")  # a base that cannot hold the breakage
    return draw(st.sampled_from(present))


_MISSING = object()


def _get(doc, path):
    node = doc
    for p in path.split("/"):
        if not isinstance(node, dict) or p not in node:
            return _MISSING
        node = node[p]
    return node


def _set(doc, path, value):
    *parents, last = path.split("/")
    node = doc
    for p in parents:
        node = node[p]
    node[last] = value


def _delete(doc, path):
    *parents, last = path.split("/")
    node = doc
    for p in parents:
        node = node[p]
    del node[last]


def _reembed(doc, member, change):
    """Parse the JSON text in `member`, change it, write it back compact."""
    inner = json.loads(doc[member])
    inner = change(inner)
    doc[member] = json.dumps(inner)
    return doc


# --- schema level ---------------------------------------------------------------------

@mutation("form.object", "the response is not a JSON object", late=True)
def _not_object(draw, doc, facts, form):
    how = draw(st.sampled_from(["list", "text", "null", "number"]))
    return {"list": lambda: [doc], "text": lambda: json.dumps(doc, default=str)[:200],
            "null": lambda: None, "number": lambda: 200}[how]()


def _typed_members():
    """Top-level members whose schema is a plain JSON type with no enum (an enum rejects other types too)."""
    out = {}
    for m in committed.schema()["properties"]:
        node = committed.member(m)
        if m != "ResponseMetadata" and node.get("type") in ("string", "integer", "object") and "enum" not in node:
            out[m] = node["type"]
    return out


_WRONG = {"string": [7, True, None, ["x"]], "integer": ["1", 1.5, True, None], "object": ["x", [], 3]}


@mutation("schema.type", "a member holds a value of the wrong JSON type")
def _wrong_type(draw, doc, facts):
    members = _typed_members()
    m = pick(draw, doc, sorted(members))
    wrong = draw(st.sampled_from(_WRONG[members[m]]))
    if isinstance(wrong, float):
        wrong = doc[m] + 0.5  # above the minimum, not an integer
    doc[m] = wrong
    return doc


@mutation("schema.enum", "an enum member holds a value outside the model's enum", scheduler=True)
def _outside_enum(draw, doc, facts):
    # members no semantic rule reads, so only the enum notices
    path = draw(st.sampled_from(["DataPreProcessingConfiguration/TargetSamplingRate", "RetrainingSchedulerStatus"]))
    if path.startswith("DataPreProcessingConfiguration"):
        doc.setdefault("DataPreProcessingConfiguration", {"TargetSamplingRate": sampling_rates()[0]})
    value = _get(doc, path)
    _set(doc, path, draw(st.sampled_from([value.lower(), value + "_", value.title()])))
    return doc


def _required_paths(doc):
    """Paths of present members the schema requires, at any depth."""
    out = []

    def walk(node, schema_node, prefix):
        sch = committed.resolve(schema_node)
        if not isinstance(node, dict):
            return
        out.extend(prefix + r for r in sch.get("required", ()) if r in node)
        for k, sub in sch.get("properties", {}).items():
            if k in node:
                walk(node[k], sub, prefix + k + "/")

    walk(doc, committed.schema(), "")
    return out


@mutation("schema.required", "a required member is missing", labels="s3", diagnostics=True)
def _missing_required(draw, doc, facts):
    _delete(doc, draw(st.sampled_from(_required_paths(doc))))
    return doc


@mutation("schema.pattern", "a string breaks the model's pattern (its length still fits)",
          labels="s3", diagnostics=True, role=True, dataset=True)
def _off_pattern(draw, doc, facts):
    path = pick(draw, doc, ["LabelsInputConfiguration/S3InputConfiguration/Bucket",
                            "ModelDiagnosticsOutputConfiguration/S3OutputConfiguration/Bucket",
                            "LabelsInputConfiguration/S3InputConfiguration/Prefix",
                            "RoleArn", "DatasetArn"])
    value = _get(doc, path)
    if path.endswith("Bucket"):
        value = "A" + value[1:]  # upper case: the model's bucket names are lower case
    elif path.endswith("Prefix"):
        value = value[:-1] if value else "labels"  # neither '' nor ending in '/'
    elif path == "RoleArn":
        value = value.replace(":role/", ":user/", 1)
    else:
        value = value.replace(":dataset/", ":datasets/", 1)  # the dataset-name rule reads only dataset/ ARNs
    _set(doc, path, value)
    return doc


def _unpatterned_with_min():
    """Top-level strings with a minimum length and no pattern: "" breaks only minLength."""
    return sorted(m for m in committed.schema()["properties"]
                  if committed.member(m).get("type") == "string" and committed.member(m).get("minLength", 0) >= 1
                  and "pattern" not in committed.member(m))


@mutation("schema.minLength", "a string is shorter than the model's minimum",
          lifecycles=VERSIONED, off_condition=True)
def _too_short(draw, doc, facts):
    doc[pick(draw, doc, _unpatterned_with_min())] = ""
    return doc


@mutation("schema.maxLength", "a string is one character longer than the model's maximum",
          lifecycles=("failed", "retraining_failed", *VERSIONED), off_condition=True)
def _too_long(draw, doc, facts):
    m = pick(draw, doc, ["FailedReason", "LatestScheduledRetrainingFailedReason", "OffCondition"])
    hi = committed.member(m)["maxLength"]
    if m.endswith("Reason"):
        unit = draw(st.text(min_size=1, max_size=3))
        doc[m] = (doc[m] + unit * (hi + 1))[:hi + 1]
    else:
        doc[m] = doc[m].rstrip() + " " * (hi + 1 - len(doc[m].rstrip()))  # whitespace: still the same JSON/expression
    return doc


@mutation("schema.minimum", "a version number is 0 (its ARN agrees)", lifecycles=VERSIONED)
def _below_minimum(draw, doc, facts):
    n = pick(draw, doc, ["ActiveModelVersion", "PreviousActiveModelVersion"])
    doc[n] = committed.member(n)["minimum"] - 1
    doc[n + "Arn"] = v.version_arn(doc["ModelArn"], doc[n])
    return doc


@mutation("schema.timestamp", "a timestamp is not one: no offset, or not a number or text", late=True)
def _not_a_timestamp(draw, doc, facts, form):
    m = pick(draw, doc, list(committed.timestamp_members()))
    value = doc[m]
    if form == "parsed":
        naive = value[:19] if value[10] in "Tt " else value
        doc[m] = draw(st.sampled_from([naive, True, None]))
    elif form == "boto3":
        doc[m] = draw(st.sampled_from([value.replace(tzinfo=None), True, None]))
    else:
        doc[m] = draw(st.sampled_from([True, None, {"$date": value}, [value]]))
    return doc


@mutation("schema.unknown-member", "a member the contract does not know", labels="s3")
def _unknown_member(draw, doc, facts):
    where = draw(st.sampled_from(["", "LabelsInputConfiguration", "LabelsInputConfiguration/S3InputConfiguration"]))
    node = doc if not where else _get(doc, where)
    known = committed.known_members(committed.schema() if not where else _schema_at(where))
    name = "New" + v.name(rnd(draw), "ModelName")
    while name in known:
        name += "_"
    node[name] = draw(st.sampled_from(["x", 1, {"a": 1}, [1]]))
    return doc


def _schema_at(path):
    node = committed.schema()
    for p in path.split("/"):
        node = committed.resolve(node)["properties"][p]
    return node


# --- the timestamp forms ------------------------------------------------------------

def _other_form(value, form):
    """The same instant in another form than the document's."""
    if form == "wire":
        return v.to_datetime(value, v.UTC).isoformat()
    if form == "parsed":
        return to_epoch(value)
    return value.timestamp()  # boto3: a datetime becomes epoch seconds


@mutation("form.timestamp-form", "one timestamp is in another form than the rest", late=True)
def _mixed_forms(draw, doc, facts, form):
    m = pick(draw, doc, list(committed.timestamp_members()))
    doc[m] = _other_form(doc[m], form)
    return doc


@mutation("form.timestamp-valid", "RFC 3339 text of the right shape names no real instant",
          late=True, forms=("parsed",))
def _unreal_instant(draw, doc, facts, form):
    m = pick(draw, doc, list(committed.timestamp_members()))
    text = doc[m]
    how = draw(st.sampled_from(["month", "day", "hour", "offset"]))
    if how == "month":
        text = text[:5] + "13" + text[7:]
    elif how == "day":
        text = text[:8] + "32" + text[10:]
    elif how == "hour":
        text = text[:11] + "25" + text[13:]
    else:
        text = (text[:-6] if text[-6] in "+-" else text.rstrip("Zz")) + "+24:00"
    doc[m] = text
    return doc


# --- ARNs ---------------------------------------------------------------------------

@mutation("arn.model-name", "ModelName is not the name in ModelArn")
def _model_name(draw, doc, facts):
    doc["ModelName"] = v.other_name(doc["ModelName"], "ModelName")
    return doc


@mutation("arn.dataset-name", "DatasetName is not the name in DatasetArn", dataset=True)
def _dataset_name(draw, doc, facts):
    doc["DatasetName"] = v.other_name(doc["DatasetName"], "DatasetName")
    return doc


def _rehome(arn: str, *, partition=None, region=None, account=None) -> str:
    parts = arn.split(":", 5)
    if partition is not None:
        parts[1] = partition
    if region is not None:
        parts[3] = region
    if account is not None:
        parts[4] = account
    return ":".join(parts)


@mutation("arn.same-home", "DatasetArn is in another account or region than the model", dataset=True)
def _dataset_elsewhere(draw, doc, facts):
    home = facts["home"]
    if draw(st.booleans()):
        doc["DatasetArn"] = _rehome(doc["DatasetArn"], account=v.other_account(home[2]))
    else:
        doc["DatasetArn"] = _rehome(doc["DatasetArn"], region=v.other_region(home))
    return doc


@mutation("arn.partition", "a role, key or source version ARN is in another partition", kms=True, role=True)
def _other_partition(draw, doc, facts):
    m = pick(draw, doc, ["RoleArn", "ServerSideKmsKeyId", "SourceModelVersionArn"])
    doc[m] = _rehome(doc[m], partition=v.other_partition(facts["home"][0]))
    return doc


@mutation("arn.role-account", "RoleArn is in another account", role=True)
def _role_account(draw, doc, facts):
    doc["RoleArn"] = _rehome(doc["RoleArn"], account=v.other_account(facts["home"][2]))
    return doc


@mutation("arn.kms-region", "the KMS key is in another region", kms=True)
def _kms_region(draw, doc, facts):
    doc["ServerSideKmsKeyId"] = _rehome(doc["ServerSideKmsKeyId"], region=v.other_region(facts["home"]))
    return doc


@mutation("arn.source-version-region", "the source model version is in another region", lifecycles=tuple(IMPORTED))
def _source_region(draw, doc, facts):
    doc["SourceModelVersionArn"] = _rehome(doc["SourceModelVersionArn"], region=v.other_region(facts["home"]))
    return doc


# --- embedded documents -------------------------------------------------------------

@mutation("embedded.metrics-counts", "num_labeled disagrees with labeled_ranges, or more identified than labeled",
          lifecycles=VERSIONED)
def _metrics_counts(draw, doc, facts):
    def change(m):
        lem = m["labeled_event_metrics"]
        if draw(st.booleans()):
            lem["num_labeled"] = len(m["labeled_ranges"]) + 1
        else:
            lem["num_identified"] = lem["num_labeled"] + draw(st.integers(1, 3))
        return m
    return _reembed(doc, "ModelMetrics", change)


@mutation("embedded.metrics-json", "ModelMetrics is not JSON, or not an object", lifecycles=VERSIONED)
def _metrics_json(draw, doc, facts):
    if draw(st.booleans()):
        text = json.dumps(json.loads(doc["ModelMetrics"]))
        doc["ModelMetrics"] = text[:draw(st.integers(1, len(text) - 1))]
        return doc
    return _reembed(doc, "ModelMetrics", lambda m: [m])


@mutation("embedded.metrics-shape", "a known key of ModelMetrics has another shape than real trainings wrote",
          lifecycles=VERSIONED)
def _metrics_shape(draw, doc, facts):
    return _reembed(doc, "ModelMetrics", draw(st.sampled_from([
        lambda m: {**m, "predicted_ranges": {"start": "x"}},
        lambda m: {**m, "unknown_event_metrics": {"num_identified": "1"}},
    ])))


def _evaluation_start(doc) -> str:
    """A zero-length range at the start of the evaluation window: inside it, whatever else changes."""
    return v.iso_naive(ms(doc, "EvaluationDataStartTime"))


@mutation("embedded.metrics-size", "ModelMetrics one character longer than botocore's maximum", lifecycles=VERSIONED)
def _metrics_too_long(draw, doc, facts):
    limit = committed.definition("ModelMetrics")["x-botocore-maxLength"]
    doc["ModelMetrics"] = v.metrics_text(json.loads(doc["ModelMetrics"]), pad_to=limit + 1)  # JSON whitespace
    return doc


@mutation("embedded.metrics-in-evaluation-window", "a predicted range lies before the evaluation data",
          lifecycles=VERSIONED, inline_schema=True)
def _outside_window(draw, doc, facts):
    before = v.iso_naive(ms(doc, "EvaluationDataStartTime") - delta(draw))
    diagnostics = [{"name": n, "value": s} for n, s in zip(facts["sensors"], v.shares(rnd(draw), len(facts["sensors"])))]

    def change(m):
        m["predicted_ranges"].append({"start": before, "end": before, "diagnostics": diagnostics})
        return m
    return _reembed(doc, "ModelMetrics", change)


@mutation("embedded.metrics-diagnostics-sum", "a predicted range's diagnostics do not sum to 1",
          lifecycles=VERSIONED, inline_schema=True)
def _diagnostics_sum(draw, doc, facts):
    at = _evaluation_start(doc)
    share = draw(st.sampled_from([0.5, 0.9, 1.2, 2.0]))

    def change(m):
        m["predicted_ranges"].append({"start": at, "end": at,
                                      "diagnostics": [{"name": facts["sensors"][0], "value": share}]})
        return m
    return _reembed(doc, "ModelMetrics", change)


@mutation("embedded.metrics-range-order", "a predicted range ends before it starts", lifecycles=VERSIONED)
def _range_order(draw, doc, facts):
    end = draw(st.integers(v.FIRST_EVENT_MS - v.DATA_SPAN_MS, v.LAST_EVENT_MS))
    start = end + delta(draw)

    def change(m):
        m["predicted_ranges"].append({"start": v.iso_naive(start), "end": v.iso_naive(end)})
        return m
    return _reembed(doc, "ModelMetrics", change)


@mutation("embedded.metrics-sensor-names", "a diagnostic names a sensor the Schema does not have",
          lifecycles=VERSIONED, inline_schema=True)
def _sensor_names(draw, doc, facts):
    name = draw(st.sampled_from([s + "X" for s in facts["sensors"]] + ["NoComponent"]))

    at = _evaluation_start(doc)

    def change(m):
        m["predicted_ranges"].append({"start": at, "end": at, "diagnostics": [{"name": name, "value": 1.0}]})
        return m
    return _reembed(doc, "ModelMetrics", change)


@mutation("embedded.off-condition", "OffCondition is not component\\sensor<value or >value", off_condition=True)
def _off_condition(draw, doc, facts):
    sensor = draw(st.sampled_from(facts["sensors"]))
    doc["OffCondition"] = draw(st.sampled_from([f"{sensor}=5", f"{sensor.split(chr(92))[1]}<5", f"{sensor}<five",
                                                f"{sensor}<5 or {sensor}>9", f"<5"]))
    return doc


@mutation("embedded.off-condition-sensor", "OffCondition names a sensor the Schema does not have", off_condition=True)
def _off_sensor(draw, doc, facts):
    sensor = draw(st.sampled_from(facts["sensors"]))
    doc["OffCondition"] = f"{sensor}Gone<{draw(st.integers(-5, 500))}"
    return doc


@mutation("embedded.schema-column-types", "a component has a column of another type, or no DATETIME column",
          inline_schema=True)
def _column_types(draw, doc, facts):
    how = draw(st.sampled_from(["type", "no-datetime", "two-datetime"]))

    def change(s):
        comp = s["Components"][draw(st.integers(0, len(s["Components"]) - 1))]
        if how == "type":
            comp["Columns"][-1]["Type"] = draw(st.sampled_from(["STRING", "INTEGER", "double"]))
        elif how == "no-datetime":
            comp["Columns"][0]["Type"] = "DOUBLE"  # the timestamp column becomes a sensor no one names
        else:
            comp["Columns"].insert(1, {"Name": "Timestamp2", "Type": "DATETIME"})
        return s
    return _reembed(doc, "Schema", change)


@mutation("embedded.schema-json", "Schema is not JSON, or not {Components: [{ComponentName, Columns}]}",
          inline_schema=True)
def _schema_json(draw, doc, facts):
    how = draw(st.sampled_from(["truncated", "no-components", "no-columns", "column"]))
    if how == "truncated":
        doc["Schema"] = doc["Schema"][:draw(st.integers(1, len(doc["Schema"]) - 1))]
        return doc
    return _reembed(doc, "Schema", {
        "no-components": lambda s: {"Components": []},
        "no-columns": lambda s: {"Components": [{"ComponentName": c["ComponentName"]} for c in s["Components"]]},
        "column": lambda s: {"Components": [{**c, "Columns": [{"Name": 1}]} for c in s["Components"]]},
    }[how])


# --- import -------------------------------------------------------------------------

@mutation("import.fields-together", "an imported model has no import job", lifecycles=tuple(IMPORTED))
def _import_fields(draw, doc, facts):
    del doc["ImportJobStartTime"]
    doc.pop("ImportJobEndTime", None)
    return doc


@mutation("import.end-needs-start", "an import job that ended and never started", lifecycles=TRAINED_HERE)
def _import_end(draw, doc, facts):
    put(doc, "ImportJobEndTime", ms(doc, "CreatedAt") + draw(_STEPS))
    return doc


@mutation("import.in-progress-has-source", "an import in progress names no source version",
          lifecycles=("import_in_progress",))
def _import_source(draw, doc, facts):
    del doc["SourceModelVersionArn"], doc["ImportJobStartTime"]
    return doc


# --- prose --------------------------------------------------------------------------

@mutation("prose.diagnostics-prefix-file", "a trained model's diagnostics Prefix names a folder, not the file",
          lifecycles=SUCCESS_STAGES, diagnostics=True)
def _prefix_file(draw, doc, facts):
    s3 = doc["ModelDiagnosticsOutputConfiguration"]["S3OutputConfiguration"]
    s3["Prefix"] = s3["Prefix"].rsplit("/", 1)[0] + "/"
    return doc


@mutation("prose.labeled-quality", "a labelled model's quality is CANNOT_DETERMINE_QUALITY",
          lifecycles=VERSIONED, labels=True)
def _labeled_quality(draw, doc, facts):
    doc["ModelQuality"] = "CANNOT_DETERMINE_QUALITY"
    return doc


@mutation("prose.labels-source", "LabelsInputConfiguration names both label sources, or neither", labels=True)
def _labels_source(draw, doc, facts):
    labels = doc["LabelsInputConfiguration"]
    if draw(st.booleans()):
        labels.clear()
    else:
        labels.setdefault("LabelGroupName", v.name(rnd(draw), "LabelGroupName"))
        labels.setdefault("S3InputConfiguration", {"Bucket": "labels-bucket"})
    return doc


@mutation("prose.next-retraining-utc-day", "NextScheduledRetrainingStartDate is not midnight UTC", scheduler=True)
def _not_midnight(draw, doc, facts):
    m = "NextScheduledRetrainingStartDate"
    put(doc, m, ms(doc, m) + draw(st.integers(1, v.DAY_MS - 1)))
    return doc


@mutation("prose.unlabeled-quality", "an unlabelled model trained here claims an assessed quality",
          lifecycles=TRAINED_HERE, labels=False)
def _unlabeled_quality(draw, doc, facts):
    doc["ModelQuality"] = draw(st.sampled_from([q for q in committed.enum("ModelQuality") if q != "CANNOT_DETERMINE_QUALITY"]))
    return doc


# --- scheduled retraining ---------------------------------------------------------------

@mutation("retraining.details-need-status", "retraining details without LatestScheduledRetrainingStatus",
          lifecycles=NO_REASON_RETRAINING)
def _details_status(draw, doc, facts):
    del doc["LatestScheduledRetrainingStatus"]
    return doc


@mutation("retraining.failed-has-reason", "a FAILED retraining gives no reason", lifecycles=("retraining_failed",))
def _retraining_reason(draw, doc, facts):
    del doc["LatestScheduledRetrainingFailedReason"]
    return doc


@mutation("retraining.reason-only-when-failed", "a retraining failure reason when the retraining did not fail",
          lifecycles=NO_REASON_RETRAINING)
def _retraining_extra_reason(draw, doc, facts):
    doc["LatestScheduledRetrainingFailedReason"] = v.reason(rnd(draw))
    return doc


@mutation("retraining.schedule-has-scheduler", "a next retraining date with no scheduler status", scheduler=True)
def _no_scheduler(draw, doc, facts):
    del doc["RetrainingSchedulerStatus"]
    return doc


@mutation("retraining.success-has-version", "a SUCCESS retraining names no version", lifecycles=("retrained",))
def _retraining_version(draw, doc, facts):
    del doc["LatestScheduledRetrainingModelVersion"]
    return doc


# --- status ---------------------------------------------------------------------------

@mutation("status.failed-has-reason", "Status FAILED with no FailedReason", lifecycles=("failed",))
def _failed_reason(draw, doc, facts):
    del doc["FailedReason"]
    return doc


@mutation("status.in-progress-not-finished", "a first training in progress has an end time", lifecycles=("training",))
def _in_progress_end(draw, doc, facts):
    start = ms(doc, "TrainingExecutionStartTime") if "TrainingExecutionStartTime" in doc else ms(doc, "CreatedAt")
    put(doc, "TrainingExecutionEndTime", start + draw(_STEPS))
    return doc


@mutation("status.metrics-need-training", "metrics or a quality before any version exists",
          lifecycles=("training", "failed"))
def _early_metrics(draw, doc, facts):
    if draw(st.booleans()):
        doc["ModelMetrics"] = json.dumps({"predicted_ranges": []})
    else:
        doc["ModelQuality"] = "QUALITY_THRESHOLD_MET" if facts["labeled"] else "CANNOT_DETERMINE_QUALITY"
    return doc


@mutation("status.reason-only-when-failed", "a FailedReason while Status is not FAILED",
          lifecycles=tuple(s for s in LIFECYCLES if LIFECYCLES[s][0] != "FAILED"))
def _extra_reason(draw, doc, facts):
    doc["FailedReason"] = v.reason(rnd(draw))
    return doc


@mutation("status.success-has-active-version", "an imported or retrained SUCCESS model with no version at all",
          lifecycles=tuple(s for s in SUCCESS_STAGES if s in IMPORTED or s in RETRAINING))
def _no_version(draw, doc, facts):
    for m in ("ActiveModelVersion", "ActiveModelVersionArn", "ModelVersionActivatedAt",
              "PreviousActiveModelVersion", "PreviousActiveModelVersionArn", "PreviousModelVersionActivatedAt"):
        doc.pop(m, None)
    return doc


@mutation("status.success-trained", "a model trained here is SUCCESS with no training start or end",
          lifecycles=tuple(s for s in TRAINED_HERE if LIFECYCLES[s][0] == "SUCCESS"))
def _success_untrained(draw, doc, facts):
    del doc[draw(st.sampled_from(["TrainingExecutionStartTime", "TrainingExecutionEndTime"]))]
    return doc


# --- time order -----------------------------------------------------------------------

def _before(first, second):
    """Register `first <= second` broken by moving `second` before `first`."""
    def mutate(draw, doc, facts):
        put(doc, second, ms(doc, first) - delta(draw))
        return doc
    return mutate


def _after(first, second):
    """Break `first <= second` by moving `first` after `second`."""
    def mutate(draw, doc, facts):
        put(doc, first, ms(doc, second) + delta(draw))
        return doc
    return mutate


mutation("time.training-data-range", "training data starts after it ends",
         lifecycles=VERSIONED)(_after("TrainingDataStartTime", "TrainingDataEndTime"))
mutation("time.evaluation-data-range", "evaluation data ends before it starts",
         lifecycles=VERSIONED)(_before("EvaluationDataStartTime", "EvaluationDataEndTime"))
mutation("time.training-execution", "training ends before it starts",
         lifecycles=TRAINED_HERE)(_before("TrainingExecutionStartTime", "TrainingExecutionEndTime"))
mutation("time.created-before-updated", "the last update is before creation")(
    _before("CreatedAt", "LastUpdatedTime"))
mutation("time.import-job", "the import job ends before it starts",
         lifecycles=("imported",))(_before("ImportJobStartTime", "ImportJobEndTime"))
mutation("time.activation-order", "the previous version was activated after the active one",
         lifecycles=WITH_PREVIOUS)(_after("PreviousModelVersionActivatedAt", "ModelVersionActivatedAt"))
mutation("time.created-before-retraining", "the latest retraining started before the model was created",
         lifecycles=tuple(sorted(RETRAINING)))(_before("CreatedAt", "LatestScheduledRetrainingStartTime"))
mutation("time.created-before-import", "the import job started before the model was created",
         lifecycles=tuple(IMPORTED))(_before("CreatedAt", "ImportJobStartTime"))
mutation("time.created-before-training", "a model trained here started training before it was created",
         lifecycles=TRAINED_HERE)(_before("CreatedAt", "TrainingExecutionStartTime"))
mutation("time.evaluation-after-training", "evaluation data starts before training data ends",
         lifecycles=VERSIONED)(_before("TrainingDataEndTime", "EvaluationDataStartTime"))


@mutation("time.accumulated-inference", "accumulated inference data ends before it starts", lifecycles=VERSIONED)
def _accumulated(draw, doc, facts):
    start = ms(doc, "AccumulatedInferenceDataStartTime") if "AccumulatedInferenceDataStartTime" in doc \
        else ms(doc, "ModelVersionActivatedAt")
    put(doc, "AccumulatedInferenceDataStartTime", start)
    put(doc, "AccumulatedInferenceDataEndTime", start - delta(draw))
    return doc


@mutation("time.created-before-activation", "the active version was activated before the model was created",
          lifecycles=VERSIONED)
def _activated_before_created(draw, doc, facts):
    put(doc, "ModelVersionActivatedAt", ms(doc, "CreatedAt") - delta(draw))
    if "PreviousModelVersionActivatedAt" in doc:  # keep the previous activation before the current one
        put(doc, "PreviousModelVersionActivatedAt", ms(doc, "ModelVersionActivatedAt") - draw(_STEPS))
    return doc


@mutation("time.next-retraining-after-latest", "the next retraining is days before the latest one",
          lifecycles=tuple(sorted(RETRAINING)), scheduler=True)
def _next_before_latest(draw, doc, facts):
    latest = ms(doc, "LatestScheduledRetrainingStartTime")
    put(doc, "NextScheduledRetrainingStartDate", v.midnight(latest) - v.DAY_MS * draw(st.integers(1, 30)))
    return doc


# --- plausible times -------------------------------------------------------------------

@mutation("time.plausible-event", "a service event is 0 (unset) or before the service existed")
def _implausible_event(draw, doc, facts):
    # CreatedAt: every other event follows it, so moving it earlier breaks no ordering
    put(doc, "CreatedAt", draw(st.sampled_from([0, v.FIRST_EVENT_MS - 400 * v.DAY_MS - draw(_STEPS)])))
    return doc


@mutation("time.plausible-data", "a data time is 0 (unset)", lifecycles=VERSIONED)
def _implausible_data(draw, doc, facts):
    put(doc, "TrainingDataStartTime", 0)  # the start of the first range: no ordering breaks
    return doc


END_OF_SUPPORT_MS = int(END_OF_SUPPORT * 1000)


@mutation("time.after-end-of-support", "the model was updated after the service's end of support")
def _after_end_of_support(draw, doc, facts):
    put(doc, "LastUpdatedTime", END_OF_SUPPORT_MS + draw(st.integers(1, 30 * v.DAY_MS)))
    return doc


# --- versions -------------------------------------------------------------------------

@mutation("version.activation-time", "a version with no activation time", lifecycles=VERSIONED)
def _no_activation_time(draw, doc, facts):
    del doc[pick(draw, doc, ["ModelVersionActivatedAt", "PreviousModelVersionActivatedAt"])]
    return doc


@mutation("version.arn-belongs-to-model", "the active version's ARN is a version of another model", lifecycles=VERSIONED)
def _foreign_version(draw, doc, facts):
    other_model = doc["ModelArn"].rsplit("/", 1)[0] + "/" + str(draw(st.uuids()))
    doc["ActiveModelVersionArn"] = v.version_arn(other_model, doc["ActiveModelVersion"])
    return doc


@mutation("version.arn-number", "a version ARN names another version number", lifecycles=VERSIONED)
def _arn_number(draw, doc, facts):
    n = pick(draw, doc, ["ActiveModelVersion", "PreviousActiveModelVersion"])
    doc[n + "Arn"] = v.version_arn(doc["ModelArn"], doc[n] + draw(st.integers(1, 9)))
    return doc


@mutation("version.arn-pair", "a version number without its ARN", lifecycles=VERSIONED)
def _arn_pair(draw, doc, facts):
    del doc[pick(draw, doc, ["ActiveModelVersionArn", "PreviousActiveModelVersionArn"])]
    return doc


@mutation("version.previous-requires-active", "a previous active version but no active one",
          lifecycles=tuple(s for s in WITH_PREVIOUS if LIFECYCLES[s][0] == "SUCCESS"
                           and LIFECYCLES[s][1] != "FAILED"))
def _previous_alone(draw, doc, facts):
    # a model back in training with no active version: drop what the status rules tie to one
    doc["Status"] = "IN_PROGRESS"
    for m in ("ActiveModelVersion", "ActiveModelVersionArn", "ModelVersionActivatedAt",
              "TrainingExecutionEndTime", "ModelMetrics", "ModelQuality"):
        doc.pop(m, None)
    return doc


@mutation("version.previous-differs", "the previous active version is the active version", lifecycles=WITH_PREVIOUS)
def _previous_same(draw, doc, facts):
    doc["PreviousActiveModelVersion"] = doc["ActiveModelVersion"]
    doc["PreviousActiveModelVersionArn"] = doc["ActiveModelVersionArn"]
    return doc


@mutation("version.retrained-number", "scheduled retraining produced version 1", lifecycles=("retrained",))
def _retrained_one(draw, doc, facts):
    doc["LatestScheduledRetrainingModelVersion"] = 1
    return doc


# --- issue 11: whole ARNs and names, numbers (arn_form.py, numbers.py, the schema's integer ranges) ---

NOT_VERSIONED = tuple(s for s in LIFECYCLES if s not in WITH_VERSION and s not in IMPORTED)
_LOWER = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)


@mutation("schema.maximum", "an integer member is beyond its type's range (int32 or int64; a version ARN agrees)",
          lifecycles=VERSIONED)
def _beyond_maximum(draw, doc, facts):
    m = pick(draw, doc, ["ActiveModelVersion", "LatestScheduledRetrainingModelVersion",
                         "LatestScheduledRetrainingAvailableDataInDays"])
    doc[m] = committed.member(m)["maximum"] + draw(st.integers(1, 10**6))
    if m + "Arn" in doc:
        doc[m + "Arn"] = v.version_arn(doc["ModelArn"], doc[m])
    return doc


@mutation("retraining.days-not-negative", "a negative number of days of data in the latest retraining",
          lifecycles=tuple(sorted(RETRAINING)))
def _negative_days(draw, doc, facts):
    doc["LatestScheduledRetrainingAvailableDataInDays"] = -draw(st.integers(1, 2**31))
    return doc


@mutation("form.wire-integer", "a wire integer written with a fraction or an exponent (2.0, 2e0)",
          lifecycles=VERSIONED, forms=("wire",))
def _float_integer(draw, doc, facts):
    m = pick(draw, doc, ["ActiveModelVersion", "PreviousActiveModelVersion", "LatestScheduledRetrainingModelVersion",
                         "LatestScheduledRetrainingAvailableDataInDays"])
    doc[m] = float(doc[m])  # json.loads gives this float for both 2.0 and 2e0
    return doc


@mutation("form.wire-timestamp-range", "a wire timestamp outside the years datetime (and so botocore) can hold",
          forms=("wire",))
def _unreadable_timestamp(draw, doc, facts):
    # members no order rule bounds from this side: the last update (only after creation), the data start
    m = pick(draw, doc, ["LastUpdatedTime", "TrainingDataStartTime"])
    if m == "LastUpdatedTime":
        doc[m] = draw(st.integers(253402300800, 10**17))
    else:
        doc[m] = -draw(st.integers(62135596801, 10**17))
    return doc


@mutation("arn.model-form", "ModelArn is a version ARN, has extra path segments or a trailing space",
          lifecycles=NOT_VERSIONED)
def _model_arn_form(draw, doc, facts):
    # no version ARN in the base: each is ModelArn + /model-version/<n> (version.arn-belongs-to-model)
    how = draw(st.sampled_from(["version", "segment", "space"]))
    doc["ModelArn"] += {"version": f"/model-version/{draw(st.integers(1, 9))}",
                        "segment": "/" + draw(_LOWER), "space": " "}[how]
    return doc


@mutation("arn.dataset-form", "DatasetArn has an extra path segment, a double slash or a trailing space", dataset=True)
def _dataset_arn_form(draw, doc, facts):
    head, _, rid = doc["DatasetArn"].rpartition("/")
    how = draw(st.sampled_from(["segment", "double", "space"]))
    doc["DatasetArn"] = {"segment": f"{head}/{rid}/{draw(_LOWER)}", "double": f"{head}//{rid}",
                         "space": f"{head}/{rid} "}[how]
    return doc


@mutation("arn.version-form", "the source version ARN has an extra segment, a double slash or model-version twice",
          lifecycles=tuple(IMPORTED))
def _version_arn_form(draw, doc, facts):
    model, _, number = doc["SourceModelVersionArn"].rpartition("/model-version/")
    how = draw(st.sampled_from(["segment", "double", "twice"]))
    head, _, rid = model.rpartition("/")
    model = {"segment": f"{model}/{draw(_LOWER)}", "double": f"{head}//{rid}",
             "twice": f"{model}/model-version/{number}"}[how]
    doc["SourceModelVersionArn"] = f"{model}/model-version/{number}"
    return doc


@mutation("arn.role-form", "RoleArn has a double slash, a role name IAM does not allow, or a trailing space",
          role=True)
def _role_arn_form(draw, doc, facts):
    head, _, name = doc["RoleArn"].partition(":role/")
    how = draw(st.sampled_from(["double", "name", "space", "long"]))
    name = name.rpartition("/")[2]  # IAM's path grammar admits '//x/', not the path '//' alone
    doc["RoleArn"] = head + ":role/" + {"double": "/" + name, "name": name + draw(st.sampled_from("!#$%^&*()")),
                                        "space": name + " ", "long": "r" * 65}[how]
    return doc


@mutation("arn.kms-form", "a KMS key ARN whose resource is not key/<id> or alias/<name>, or a diagnostics "
                          "KmsKeyId that is no KMS identifier", kms=True)
def _kms_form(draw, doc, facts):
    head, _, key = doc["ServerSideKmsKeyId"].rpartition(":key/")
    how = draw(st.sampled_from(["segment", "resource", "diagnostics"]))
    if how == "diagnostics" and "ModelDiagnosticsOutputConfiguration" in doc:
        doc["ModelDiagnosticsOutputConfiguration"]["KmsKeyId"] = draw(_LOWER) + ":" + draw(_LOWER)
    elif how == "resource":
        doc["ServerSideKmsKeyId"] = f"{head}:keys/{key}"
    else:
        doc["ServerSideKmsKeyId"] = f"{head}:key/{key}/{draw(_LOWER)}"
    return doc


@mutation("arn.region", "a KMS key ARN with an empty region, or one of another partition's form", diagnostics=True)
def _region_form(draw, doc, facts):
    from l4e_contract.contract import arns

    partition, _, account = facts["home"]
    foreign = [r for p, regions in v.homes() if p != partition for r in regions
               if arns.region_problem(partition, r)]
    region = draw(st.sampled_from(["", *foreign]))
    # the diagnostics key: no other rule compares its region with the model's
    doc["ModelDiagnosticsOutputConfiguration"]["KmsKeyId"] = v.kms_arn((partition, region, account), v.uuid_text(rnd(draw)))
    return doc


def _arn_paths(doc):
    out = [m for m in ("ModelArn", "DatasetArn", "RoleArn", "ServerSideKmsKeyId", "SourceModelVersionArn",
                       "ActiveModelVersionArn", "PreviousActiveModelVersionArn") if m in doc]
    key = _get(doc, "ModelDiagnosticsOutputConfiguration/KmsKeyId")
    if isinstance(key, str) and key.startswith("arn:"):
        out.append("ModelDiagnosticsOutputConfiguration/KmsKeyId")
    return out


@mutation("arn.partition-known", "every ARN of the response is in a partition botocore does not list")
def _unknown_partition(draw, doc, facts):
    from l4e_contract.contract import arns

    partition = "aws-" + draw(st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8))
    while arns.known_partition(partition):
        partition += "x"
    # all of them at once: ARNs that disagree on their partition are arn.partition's finding
    for path in _arn_paths(doc):
        _set(doc, path, _rehome(_get(doc, path), partition=partition))
    return doc


@mutation("name.s3-bucket", "a bucket name the model's pattern admits but S3's naming rules do not", labels="s3")
def _bucket_name(draw, doc, facts):
    a, b = draw(_LOWER), draw(_LOWER)
    octets = draw(st.lists(st.integers(0, 255), min_size=4, max_size=4))
    name = draw(st.sampled_from([f"xn--{a}", f"{a}-s3alias", f"{a}..{b}", ".".join(map(str, octets)),
                                 f"sthree-{a}", f"{a}--ol-s3"]))
    doc["LabelsInputConfiguration"]["S3InputConfiguration"]["Bucket"] = name
    return doc
