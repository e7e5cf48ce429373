"""Contract-valid DescribeModel responses across a model's lifecycle, consistent by construction.

A response is built in the wire form from one timeline (integer milliseconds, so the parsed
form converts exactly), then written in the form asked for. Each lifecycle stage sets the
members its status implies, and leaves out those the rules forbid; every optional feature
(labels, KMS key, off condition, diagnostics output, retraining scheduler) is drawn or forced.
"""
from __future__ import annotations

import datetime as _dt
import random

from hypothesis import strategies as st

from l4e_contract.contract import committed
from l4e_contract.rules import prose
from l4e_contract.strategies import values as v

# stage -> (Status, LatestScheduledRetrainingStatus or None). Checked against the schema's enums on import.
LIFECYCLES: dict[str, tuple[str, str | None]] = {
    "training": ("IN_PROGRESS", None),              # first training still running
    "trained": ("SUCCESS", None),
    "failed": ("FAILED", None),                     # first training failed
    "import_in_progress": ("IMPORT_IN_PROGRESS", None),
    "imported": ("SUCCESS", None),                  # a version imported from another model (maybe another account)
    "retrained": ("SUCCESS", "SUCCESS"),            # scheduled retraining produced a new version
    "retraining_in_progress": ("IN_PROGRESS", "IN_PROGRESS"),
    "rolled_back": ("SUCCESS", None),               # an older version re-activated: previous > active
    "retraining_failed": ("SUCCESS", "FAILED"),
    "retraining_canceled": ("SUCCESS", "CANCELED"),
}
WITH_VERSION = frozenset({"trained", "imported", "retrained", "retraining_in_progress", "rolled_back",
                          "retraining_failed", "retraining_canceled"})
RETRAINING = frozenset(s for s, (_, r) in LIFECYCLES.items() if r)
IMPORTED = frozenset({"import_in_progress", "imported"})


def _check_against_schema():
    status, retraining = set(committed.enum("Status")), set(committed.enum("LatestScheduledRetrainingStatus"))
    for stage, (s, r) in LIFECYCLES.items():
        if s not in status or (r is not None and r not in retraining):
            raise ValueError(f"lifecycle {stage}: {s}/{r} is not in the schema's enums")
    missing = status - {s for s, _ in LIFECYCLES.values()}
    if missing:
        raise ValueError(f"no lifecycle stage has Status {sorted(missing)}")


_check_against_schema()

FORMS = ("wire", "parsed", "boto3")
DIAGNOSTICS_FILE = prose.DIAGNOSTICS_FILE  # the file the documentation names (the rule reads the same constant)


def _quality_values(labeled: bool) -> list[str]:
    # the documentation: unlabeled -> CANNOT_DETERMINE_QUALITY; labeled -> assessed (the other values)
    undetermined = "CANNOT_DETERMINE_QUALITY"
    values = committed.enum("ModelQuality")
    if undetermined not in values:
        raise ValueError("the schema's ModelQuality enum has no CANNOT_DETERMINE_QUALITY")
    return [q for q in values if q != undetermined] if labeled else [undetermined]


# Hypothesis draws one integer per response; its low bits choose the stage, the optional features
# and the boundary case, and the whole integer seeds a Random for everything else. Each draw costs
# Hypothesis's engine far more than building a value here, so a response of 40 members built from
# one draw is generated several times faster than one built member by member, and it still shrinks
# to the simplest stage, no optional features and seed 0.
_SHAPES = st.integers(0, 2**64 - 1)
# bit of the shape (after the stage) -> feature
_BIT = {"dataset": 0, "schema": 1, "labels": 2, "labels_group": 3, "kms": 4, "off_condition": 5,
        "diagnostics": 6, "scheduler": 7, "role": 8, "sampling": 9, "no_data_ranges": 10, "whole_seconds": 11}
# the boundary a response leans on (bits 12-14; 0 and 5-7: none)
EDGE_NAMES, EDGE_REASON, EDGE_METRICS, EDGE_BUCKETS = 1, 2, 3, 4


def draw_model(draw, lifecycles=None, edge_cases=True, **features):
    """(wire-form response, facts) from one draw: see the comment above."""
    stages = tuple(LIFECYCLES) if lifecycles is None else tuple(lifecycles)
    shape = draw(_SHAPES)
    stage, rest = stages[shape % len(stages)], shape // len(stages)
    edge = rest >> 12 & 7 if edge_cases else 0
    return build(stage, rest & 0xFFF, edge, random.Random(shape), **features)


def build(stage, bits, edge, rnd, *, labels=None, kms=None, off_condition=None, diagnostics=None,
          scheduler=None, dataset=None, inline_schema=None, role=None):
    """The response of one stage, feature set, boundary case and seed: consistent by construction."""
    def has(feature, forced=None):
        """An optional feature: forced, or as the shape's bit says."""
        return bool(bits >> _BIT[feature] & 1) if forced is None else bool(forced)

    def usual(feature, forced=None):
        """A member most models have: forced, or present unless both the bit and the seed leave it out."""
        return bool(forced) if forced is not None else has(feature) or rnd.random() < 0.8

    status, retraining_status = LIFECYCLES[stage]
    facts = {"stage": stage}
    partition, regions = v.homes()[0] if rnd.random() < 0.8 else rnd.choice(v.homes())
    region, account = rnd.choice(regions), v.account(rnd)
    home = facts["home"] = (partition, region, account)
    name = v.name(rnd, "ModelName", edge == EDGE_NAMES)
    model_arn = v.model_arn(home, name, v.uuid_text(rnd))
    doc: dict = {"ModelName": name, "ModelArn": model_arn}

    # a model whose dataset was deleted keeps working: the dataset is optional
    if usual("dataset", dataset):
        dataset_name = v.name(rnd, "DatasetName", edge == EDGE_NAMES)
        doc["DatasetName"] = dataset_name
        doc["DatasetArn"] = v.dataset_arn(home, dataset_name, v.uuid_text(rnd))
    components = v.dataset_schema(rnd)
    sensors = v.sensor_names(components)
    facts["components"], facts["sensors"] = components, sensors
    with_off_condition = has("off_condition", off_condition)
    if with_off_condition or usual("schema", inline_schema):
        doc["Schema"] = v.schema_text(components, rnd.choice(["Timestamp", "timestamp", "Time"]))

    # labels: none, an S3 location, or a label group (prose.labels-source: exactly one)
    if isinstance(labels, str):
        label_kind = labels
    elif labels is None:
        label_kind = ("group" if has("labels_group") else "s3") if has("labels") else "none"
    else:
        label_kind = ("group" if has("labels_group") else "s3") if labels else "none"
    if label_kind == "s3":
        s3 = {"Bucket": v.bucket(rnd, rnd.choice((1, 2)) if edge == EDGE_BUCKETS else 0)}
        if rnd.random() < 0.8:
            s3["Prefix"] = rnd.choice(["", f"labels/{v.path_segment(rnd)}/"])
        doc["LabelsInputConfiguration"] = {"S3InputConfiguration": s3}
    elif label_kind == "group":
        doc["LabelsInputConfiguration"] = {"LabelGroupName": v.name(rnd, "LabelGroupName", edge == EDGE_NAMES)}
    labeled = facts["labeled"] = label_kind != "none"

    # --- the timeline (milliseconds) ---
    whole = has("whole_seconds")
    created = rnd.randint(v.FIRST_EVENT_MS, v.LAST_EVENT_MS - 400 * v.DAY_MS)
    if whole:
        created -= created % 1000

    def later(t):
        return t + v.gap(rnd, whole)

    times = {}
    if not (stage in ("failed", "training", "import_in_progress") and has("no_data_ranges")):
        data_end = created - rnd.randint(0, v.DATA_SPAN_MS // 4)
        times["TrainingDataStartTime"] = data_end - rnd.randint(0, v.DATA_SPAN_MS // 2)
        times["TrainingDataEndTime"] = data_end
        times["EvaluationDataStartTime"] = later(data_end)
        times["EvaluationDataEndTime"] = later(times["EvaluationDataStartTime"])
    times["CreatedAt"] = t = created

    versions = stage in WITH_VERSION
    if stage in IMPORTED:
        src_home = (partition, region, rnd.choice([account, v.other_account(account)]))
        src_model = v.model_arn(src_home, v.name(rnd, "ModelName"), v.uuid_text(rnd))
        doc["SourceModelVersionArn"] = v.version_arn(src_model, rnd.randint(1, 9))
        t = times["ImportJobStartTime"] = later(t)
        if stage == "imported":
            t = times["ImportJobEndTime"] = later(t)
            if rnd.random() < 0.5:  # the source's training, before this model existed
                # still an event of the service: after it was first available (time.plausible-event)
                src_end = max(created - rnd.randint(0, 365 * v.DAY_MS), v.FIRST_EVENT_MS + v.DAY_MS)
                times["TrainingExecutionStartTime"] = src_end - rnd.randint(0, v.DAY_MS)
                times["TrainingExecutionEndTime"] = src_end
    else:
        t = later(t)
        if stage != "training" or rnd.random() < 0.7:
            times["TrainingExecutionStartTime"] = t
        if stage not in ("training", "failed") or (stage == "failed" and rnd.random() < 0.5):
            t = times["TrainingExecutionEndTime"] = later(t)

    if status == "FAILED":
        doc["FailedReason"] = v.reason(rnd, edge == EDGE_REASON)

    if versions:
        active = rnd.randint(1, 3 if stage in ("trained", "imported") else 40)
        previous = None
        if stage == "rolled_back":
            previous = active + rnd.randint(1, 5)  # the previous active version is the higher one
        elif stage in RETRAINING or rnd.random() < 0.25:
            previous = rnd.randint(1, active - 1) if active > 1 else active + 1
        if previous is not None:
            t = times["PreviousModelVersionActivatedAt"] = later(t)
            doc["PreviousActiveModelVersion"] = previous
            doc["PreviousActiveModelVersionArn"] = v.version_arn(model_arn, previous)
        t = times["ModelVersionActivatedAt"] = later(t)
        doc["ActiveModelVersion"] = active
        doc["ActiveModelVersionArn"] = v.version_arn(model_arn, active)

    if retraining_status is not None:
        doc["LatestScheduledRetrainingStatus"] = retraining_status
        times["LatestScheduledRetrainingStartTime"] = later(created)
        produced = max(doc.get("ActiveModelVersion", 1), doc.get("PreviousActiveModelVersion", 1)) + rnd.randint(0, 2)
        if retraining_status == "SUCCESS" or rnd.random() < 0.5:
            doc["LatestScheduledRetrainingModelVersion"] = max(produced, 2)
        if retraining_status == "FAILED":
            doc["LatestScheduledRetrainingFailedReason"] = v.reason(rnd, edge == EDGE_REASON)
        if rnd.random() < 0.75:
            doc["LatestScheduledRetrainingAvailableDataInDays"] = rnd.randint(0, 3650)
    # a scheduler comes with retraining; a trained model may have one that has not run yet
    with_scheduler = scheduler if scheduler is not None else (
        retraining_status is not None or (stage in ("trained", "rolled_back", "imported") and has("scheduler")))
    if with_scheduler:
        doc["RetrainingSchedulerStatus"] = rnd.choice(committed.enum("RetrainingSchedulerStatus"))
        if scheduler or rnd.random() < 0.8:
            base = times.get("LatestScheduledRetrainingStartTime", t)
            # no later than the end of support (time.after-end-of-support)
            times["NextScheduledRetrainingStartDate"] = min(v.midnight(base) + v.DAY_MS * rnd.randint(0, 60),
                                                            v.midnight(v.LAST_EVENT_MS))

    if versions and rnd.random() < 0.5:
        start = times["AccumulatedInferenceDataStartTime"] = later(times["ModelVersionActivatedAt"])
        times["AccumulatedInferenceDataEndTime"] = later(start)

    # metrics exist once a version does (status.metrics-need-training)
    if versions:
        span = (times.get("EvaluationDataStartTime", created - 90 * v.DAY_MS),
                times.get("EvaluationDataEndTime", created))
        pad = v.member_bounds("ModelMetrics")[1] if edge == EDGE_METRICS else None
        doc["ModelMetrics"] = v.metrics_text(v.metrics_doc(rnd, sensors, *span, labeled), pad)
        doc["ModelQuality"] = rnd.choice(_quality_values(labeled))
        if retraining_status is not None and rnd.random() < 0.75:
            doc["PriorModelMetrics"] = v.metrics_text(v.metrics_doc(rnd, sensors, *span, labeled))

    if has("kms", kms):  # the key may belong to another account, in the model's region
        key_home = (partition, region, rnd.choice([account, v.other_account(account)]))
        doc["ServerSideKmsKeyId"] = v.kms_arn(key_home, v.uuid_text(rnd))
    if with_off_condition:
        doc["OffCondition"] = v.off_condition(rnd, sensors)
    if has("diagnostics", diagnostics):
        folder = f"{v.path_segment(rnd)}/{name[:40]}/"
        # once trained, the Prefix names the results file (the documentation; a warning rule)
        prefix = folder + DIAGNOSTICS_FILE if status == "SUCCESS" or rnd.random() < 0.5 else folder
        out = {"S3OutputConfiguration": {"Bucket": v.bucket(rnd, 0), "Prefix": prefix}}
        if rnd.random() < 0.6:
            # every form of KMS key identifier the model's NameOrArn allows (arn.kms-form)
            out["KmsKeyId"] = rnd.choice([v.kms_arn(home, v.uuid_text(rnd)), f"alias/{v.path_segment(rnd)}",
                                          v.uuid_text(rnd), v.kms_alias_arn(home, v.path_segment(rnd)),
                                          v.multi_region_key_id(rnd)])
        doc["ModelDiagnosticsOutputConfiguration"] = out
    if usual("role", role):
        doc["RoleArn"] = v.role_arn(home, f"LookoutEquipment-{v.path_segment(rnd)}")
    if usual("sampling"):
        doc["DataPreProcessingConfiguration"] = {"TargetSamplingRate": rnd.choice(sampling_rates())}
    doc["Status"] = status
    # the last update follows every event of the model (data ranges and the next scheduled date are not events)
    times["LastUpdatedTime"] = later(max([t, *(ms for m, ms in times.items() if m not in _NOT_EVENTS)]))

    whole_as_float = rnd.random() < 0.5
    for m, ms in times.items():
        doc[m] = v.wire_time(ms, whole_as_float)
    facts["writing"] = rnd.getrandbits(16)  # how the parsed form is written (see `write`)
    return doc, facts


_NOT_EVENTS = frozenset({"TrainingDataStartTime", "TrainingDataEndTime", "EvaluationDataStartTime",
                         "EvaluationDataEndTime", "NextScheduledRetrainingStartDate"})


def sampling_rates() -> list[str]:
    return list(committed.resolve(committed.definition("DataPreProcessingConfiguration")["properties"]
                                 ["TargetSamplingRate"])["enum"])


# --- forms -------------------------------------------------------------------------

def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def in_form(doc: dict, form: str, offset_minutes: int = 0, style: str = "isoformat") -> dict:
    """The same response in another form; only numeric timestamp members change (anything else,
    such as a deliberately broken timestamp, is left as it is)."""
    if form == "wire" or not isinstance(doc, dict):
        return doc
    tz = _dt.timezone(_dt.timedelta(minutes=offset_minutes)) if offset_minutes else v.UTC
    out = dict(doc)
    for m in committed.timestamp_members():
        if m in out and _is_number(out[m]):
            d = v.to_datetime(out[m], tz)
            out[m] = d if form == "boto3" else (d.isoformat() if style == "isoformat" else str(d))
    return out


_OFFSETS_MIN = [0] * 8 + [q * 15 for q in range(-12 * 4, 14 * 4 + 1)]


def write(doc: dict, form: str, how: int) -> dict:
    """`doc` (wire form) in `form`; `how` picks the text style (bit 0), ResponseMetadata (bit 1) and
    the UTC offset (the rest: mostly UTC, else anywhere in 15-minute steps), as boto3 users have them."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}, not {form!r}")
    if form == "wire":
        return doc
    offset = _OFFSETS_MIN[(how >> 2) % len(_OFFSETS_MIN)]
    out = in_form(doc, form, offset, "str" if how & 1 else "isoformat")
    if isinstance(out, dict) and how & 2:
        out["ResponseMetadata"] = {"RequestId": f"{how:08x}-0000-4000-8000-000000000000", "HTTPStatusCode": 200,
                                   "HTTPHeaders": {"content-type": "application/x-amz-json-1.0"},
                                   "RetryAttempts": 0}
    return out
