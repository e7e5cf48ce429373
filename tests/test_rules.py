"""Every rule passes valid data and catches its own violation, in every form a response comes in.

Each example is `tests/examples.py`'s trained model with a minimal change. A failing example
of an error rule must report that rule and nothing else (no other error, no warning); one of
a warning rule must stay valid and raise exactly that warning. A passing example must be clean.
Every rule id (the registry's and the schema-level ones) needs both kinds of example: a new
rule without examples turns this file red.

Each example runs in five forms: wire (epoch seconds), parsed (isoformat() text, str() text,
text with a +05:30 offset) and boto3's dict (aware datetimes). Examples that only make sense
in some forms say so, and are applied after the conversion.
"""
from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from typing import Callable

import pytest

import l4e_contract
from l4e_contract.contract import committed
from l4e_contract.findings import ERROR
from l4e_contract.rules import all_rules as all_rules_of_the_contract

from l4e_contract.contract.timestamps import CLOCK_ROUNDING

from examples import (ACCOUNT, BUCKET, DATASET_ARN, KMS_KEY_ARN, METRICS, MODEL_ARN, as_boto3, as_parsed,
                      epoch, valid_wire)

IST = _dt.timezone(_dt.timedelta(hours=5, minutes=30))
FORMS: dict[str, Callable] = {
    "wire": lambda d: d,
    "parsed": as_parsed,
    "parsed-str": lambda d: as_parsed(d, "str"),
    "parsed-offset": lambda d: as_parsed(d, tz=IST),
    "boto3": as_boto3,
}
PARSED_FORMS = ("parsed", "parsed-str", "parsed-offset")
HOUR = 3600.0


@dataclass(frozen=True)
class Example:
    label: str
    change: Callable | None  # wire doc -> doc, before the conversion (may edit in place and return it)
    forms: tuple[str, ...] = tuple(FORMS)
    post: Callable | None = None  # converted doc -> doc, for what only exists in some forms


def ex(label, change=None, forms=None, after=False, post=None):
    """after=True: `change` is applied to the converted doc instead of the wire doc."""
    if after:
        change, post = None, change
    return Example(label, change, tuple(forms) if forms else tuple(FORMS), post)


# --- lifecycle states, each a few changes to the trained model ------------------

def put(d, **members):
    d.update(members)
    return d


def drop(d, *members):
    for m in members:
        d.pop(m, None)
    return d


def vers(n, arn=MODEL_ARN):
    return f"{arn}/model-version/{n}"


OTHER_MODEL_ARN = MODEL_ARN.replace("7f3e2b1c-9a4d-4e8f-b2c6-5d1a0e9f8c34", "2d8e4f60-1b3c-4a5d-9e7f-0a1b2c3d4e5f")
SOURCE_ARN = vers(1, "arn:aws:lookoutequipment:us-east-1:210987654321:model/pump-master/"
                     "c9d8e7f6-a5b4-4c3d-9e2f-1a0b9c8d7e6f")
ACTIVE = ("ActiveModelVersion", "ActiveModelVersionArn", "ModelVersionActivatedAt")
PREVIOUS = ("PreviousActiveModelVersion", "PreviousActiveModelVersionArn", "PreviousModelVersionActivatedAt")


def retrained(d=None):
    """Retrained by the scheduler: version 2 active, 1 previous, the scheduler running."""
    d = valid_wire() if d is None else d
    return put(d,
               TrainingExecutionStartTime=epoch("2023-06-12T00:03:10.000"),
               TrainingExecutionEndTime=epoch("2023-06-12T01:20:44.500"),
               LastUpdatedTime=epoch("2023-06-12T01:20:45.000"),
               ActiveModelVersion=2, ActiveModelVersionArn=vers(2),
               ModelVersionActivatedAt=epoch("2023-06-12T01:20:45.000"),
               PreviousActiveModelVersion=1, PreviousActiveModelVersionArn=vers(1),
               PreviousModelVersionActivatedAt=epoch("2023-03-14T10:48:05.761"),
               PriorModelMetrics=json.dumps(METRICS),
               LatestScheduledRetrainingStatus="SUCCESS",
               LatestScheduledRetrainingModelVersion=2,
               LatestScheduledRetrainingStartTime=epoch("2023-06-12T00:00:00"),
               LatestScheduledRetrainingAvailableDataInDays=90,
               NextScheduledRetrainingStartDate=epoch("2023-09-10T00:00:00"),
               AccumulatedInferenceDataStartTime=epoch("2023-03-14T11:00:00"),
               AccumulatedInferenceDataEndTime=epoch("2023-06-11T23:55:00"),
               RetrainingSchedulerStatus="RUNNING")


def retraining_failed(d=None):
    d = retrained(d)
    drop(d, "LatestScheduledRetrainingModelVersion")
    return put(d, LatestScheduledRetrainingStatus="FAILED",
               LatestScheduledRetrainingFailedReason="Not enough new data for the lookback window.")


def imported(d=None):
    """Imported from another account: no training here, import job times instead."""
    d = valid_wire() if d is None else d
    drop(d, "TrainingExecutionStartTime", "TrainingExecutionEndTime")
    return put(d, SourceModelVersionArn=SOURCE_ARN,
               ImportJobStartTime=epoch("2023-03-14T09:26:54.000"),
               ImportJobEndTime=epoch("2023-03-14T09:40:12.300"))


def importing(d=None):
    """Import still running: a source version and an import start, no version yet."""
    d = valid_wire() if d is None else d
    drop(d, *ACTIVE, "TrainingExecutionStartTime", "TrainingExecutionEndTime", "ModelMetrics", "ModelQuality")
    return put(d, Status="IMPORT_IN_PROGRESS", SourceModelVersionArn=SOURCE_ARN,
               ImportJobStartTime=epoch("2023-03-14T09:26:54.000"))


def in_progress(d=None):
    """The first training is running: no end, no version, no metrics."""
    d = valid_wire() if d is None else d
    drop(d, *ACTIVE, "TrainingExecutionEndTime", "ModelMetrics", "ModelQuality")
    return put(d, Status="IN_PROGRESS")


def failed(d=None):
    d = valid_wire() if d is None else d
    drop(d, *ACTIVE, "ModelMetrics", "ModelQuality")
    return put(d, Status="FAILED", FailedReason="Training data for component motor has no valid rows.")


def unlabeled(d=None):
    d = valid_wire() if d is None else d
    drop(d, "LabelsInputConfiguration")
    return put(d, ModelQuality="CANNOT_DETERMINE_QUALITY")


def metrics(change, member="ModelMetrics"):
    """A change to the metrics document: change(dict) edits a copy of METRICS."""
    def apply(d):
        m = json.loads(json.dumps(METRICS))
        change(m)
        d[member] = json.dumps(m)
        return d
    return apply


def schema_doc(change):
    def apply(d):
        s = json.loads(d["Schema"])
        change(s)
        d["Schema"] = json.dumps(s)
        return d
    return apply


def text_of(text_value, member):
    """Set a parsed-form timestamp text (applied after conversion)."""
    return lambda d: put(d, **{member: text_value})


def metrics_of_length(n):
    """Valid metrics JSON of exactly n characters: the known keys plus a newer one that pads."""
    base = json.dumps({**METRICS, "notes": ""})
    return json.dumps({**METRICS, "notes": "x" * (n - len(base))})


# --- time pairs: first <= second, equal allowed --------------------------------

def same(d):
    return d


PAIRS = {
    "time.training-data-range": ("TrainingDataStartTime", "TrainingDataEndTime", same),
    # without metrics: their ranges lie inside the evaluation window (embedded.metrics-in-evaluation-window)
    "time.evaluation-data-range": ("EvaluationDataStartTime", "EvaluationDataEndTime", lambda d: drop(d, "ModelMetrics")),
    "time.training-execution": ("TrainingExecutionStartTime", "TrainingExecutionEndTime", same),
    "time.created-before-updated": ("CreatedAt", "LastUpdatedTime", same),
    "time.import-job": ("ImportJobStartTime", "ImportJobEndTime", imported),
    "time.activation-order": ("PreviousModelVersionActivatedAt", "ModelVersionActivatedAt", retrained),
    "time.accumulated-inference": ("AccumulatedInferenceDataStartTime", "AccumulatedInferenceDataEndTime", retrained),
    "time.created-before-activation": ("CreatedAt", "ModelVersionActivatedAt", same),
    "time.created-before-retraining": ("CreatedAt", "LatestScheduledRetrainingStartTime", retrained),
    "time.created-before-import": ("CreatedAt", "ImportJobStartTime", imported),
    "time.created-before-training": ("CreatedAt", "TrainingExecutionStartTime", same),
}


def pair_examples(first, second, build, offset):
    return lambda d: put(build(d), **{second: build(valid_wire())[first] + offset})


PASSING: dict[str, list[Example]] = {}
FAILING: dict[str, list[Example]] = {}

# events of the service, stamped by its different parts: their order tolerates CLOCK_ROUNDING seconds
EVENT_PAIRS = {"time.training-execution", "time.created-before-updated", "time.import-job", "time.activation-order",
               "time.created-before-activation", "time.created-before-retraining", "time.created-before-import",
               "time.created-before-training"}

for _rule, (_first, _second, _build) in PAIRS.items():
    PASSING[_rule] = [ex(f"{_second} equals {_first}", pair_examples(_first, _second, _build, 0.0)),
                      ex(f"{_second} a second after {_first}", pair_examples(_first, _second, _build, 1.0))]
    FAILING[_rule] = [ex(f"{_second} an hour before {_first}", pair_examples(_first, _second, _build, -HOUR))]
    if _rule in EVENT_PAIRS:
        PASSING[_rule].append(ex(f"{_second} within clock rounding before {_first}",
                                 pair_examples(_first, _second, _build, -CLOCK_ROUNDING)))
        FAILING[_rule].append(ex(f"{_second} a millisecond beyond clock rounding before {_first}",
                                 pair_examples(_first, _second, _build, -CLOCK_ROUNDING - 0.001),
                                 forms=("wire", "parsed", "boto3")))
    else:
        FAILING[_rule].append(ex(f"{_second} a millisecond before {_first}",
                                 pair_examples(_first, _second, _build, -0.001), forms=("wire", "parsed", "boto3")))

PASSING["time.created-before-training"].append(
    ex("an imported model may carry training times from before its creation",
       lambda d: put(imported(d), TrainingExecutionStartTime=epoch("2022-11-01T00:00:00"),
                     TrainingExecutionEndTime=epoch("2022-11-01T01:00:00"))))


# --- everything else -------------------------------------------------------------

PASSING.update({
    "form.object": [ex("a JSON object", lambda d: d)],
    "schema.enum": [ex(f"TargetSamplingRate {v}", lambda d, v=v: put(d, DataPreProcessingConfiguration={
        "TargetSamplingRate": v})) for v in committed.definition("TargetSamplingRate")["enum"]]
        + [ex("retraining CANCELED, scheduler STOPPED", lambda d: drop(put(
            retrained(d), LatestScheduledRetrainingStatus="CANCELED", RetrainingSchedulerStatus="STOPPED"),
            "LatestScheduledRetrainingModelVersion", "NextScheduledRetrainingStartDate"))],
    "schema.maxLength": [
        ex("ModelMetrics of exactly 50,000 characters", lambda d: put(d, ModelMetrics=metrics_of_length(50_000))),
        ex("FailedReason of 5,000 characters", lambda d: put(failed(d), FailedReason="x" * 5000)),
        ex("5,000 astral characters are 5,000 code points", lambda d: put(failed(d), FailedReason="\U0001F6A8" * 5000)),
    ],
    "schema.minLength": [ex("a short OffCondition", lambda d: put(d, OffCondition="motor\\Speed<5"))],
    "schema.minimum": [ex("version 1", lambda d: d)],
    "schema.pattern": [
        ex("empty labels prefix", lambda d: put(d, LabelsInputConfiguration={
            "S3InputConfiguration": {"Bucket": BUCKET, "Prefix": ""}})),
        ex("diagnostics Prefix holding the file name (deviation)", lambda d: d),
        ex("KMS key alias ARN for diagnostics", lambda d: put(d, ModelDiagnosticsOutputConfiguration={
            "S3OutputConfiguration": {"Bucket": BUCKET, "Prefix": "diagnostics/centrifugal-pump-7/"
                                      "model_diagnostics_results.json.gz"},
            "KmsKeyId": f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/l4e-diagnostics"})),
        ex("FailedReason with combining marks", lambda d: put(failed(d), FailedReason="e\u0301chec: donne\u0301es\n")),
    ],
    "schema.required": [ex("only the required members (a first training)", lambda d: {
        m: in_progress(d)[m] for m in committed.required_members()})],
    "schema.type": [ex("the trained model", lambda d: d)],
    "schema.timestamp": [
        ex("integer epoch seconds", lambda d: put(d, CreatedAt=int(d["CreatedAt"])), forms=("wire",), after=True),
        ex("Z suffix", text_of("2023-03-14T09:26:53Z", "CreatedAt"), forms=PARSED_FORMS, after=True),
        ex("-07:00 offset", text_of("2023-03-14T02:26:53.123-07:00", "CreatedAt"), forms=PARSED_FORMS, after=True),
        ex("a datetime in -07:00", lambda d: put(d, CreatedAt=d["CreatedAt"].astimezone(
            _dt.timezone(_dt.timedelta(hours=-7)))), forms=("boto3",), after=True),
    ],
    "schema.unknown-member": [ex("boto3's ResponseMetadata is accepted", lambda d: put(d, ResponseMetadata={
        "RequestId": "0f1e2d3c-4b5a-4697-8877-665544332211", "HTTPStatusCode": 200,
        "HTTPHeaders": {"content-type": "application/x-amz-json-1.0"}, "RetryAttempts": 0}))],
    "form.timestamp-form": [ex("one form throughout", lambda d: d)],
    "form.timestamp-valid": [ex("real instants", lambda d: d),
                             ex("lower-case t and z", text_of("2023-03-14t10:48:05.761z", "LastUpdatedTime"),
                                forms=PARSED_FORMS, after=True)],
    "arn.model-name": [ex("name in ARN matches", lambda d: d)],
    "arn.dataset-name": [ex("name in ARN matches", lambda d: d),
                         ex("no dataset (deleted)", lambda d: drop(d, "DatasetName", "DatasetArn"))],
    "arn.same-home": [ex("model, dataset and versions at home", lambda d: retrained(d))],
    "arn.partition": [ex("imported from another account of the same partition", lambda d: imported(d))],
    "arn.role-account": [ex("role in the model's account", lambda d: d)],
    "arn.kms-region": [ex("key of another account in the same region", lambda d: put(
        d, ServerSideKmsKeyId=KMS_KEY_ARN.replace(ACCOUNT, "444455556666")))],
    "arn.source-version-region": [ex("source in another account, same region", lambda d: imported(d))],
    "embedded.metrics-counts": [ex("counts agree", lambda d: d),
                                ex("no labels, zero counts", metrics(lambda m: m.update(
                                    labeled_ranges=[], labeled_event_metrics={
                                        "num_labeled": 0, "num_identified": 0, "total_warning_time_in_seconds": 0})))],
    "embedded.metrics-json": [ex("documented keys", lambda d: d),
                              ex("a newer key", metrics(lambda m: m.update(anomaly_score_threshold=0.92))),
                              ex("PriorModelMetrics too", lambda d: retrained(d))],
    "embedded.metrics-range-order": [ex("ranges in order", lambda d: d),
                                     ex("a zero-length range", metrics(lambda m: m["labeled_ranges"][0].update(
                                         end=m["labeled_ranges"][0]["start"])))],
    "embedded.metrics-sensor-names": [ex("Schema sensors", lambda d: d)],
    "embedded.off-condition": [ex("component\\sensor<value", lambda d: d),
                               ex("> with spaces, negative exponent", lambda d: put(
                                   d, OffCondition="motor\\Speed > -3.5e2"))],
    "embedded.off-condition-sensor": [ex("a Schema sensor", lambda d: put(d, OffCondition="centrifugal-pump\\Sensor3>0.5"))],
    "embedded.schema-column-types": [ex("DATETIME and DOUBLE", lambda d: d)],
    "embedded.schema-json": [ex("Components and Columns", lambda d: d)],
    "import.fields-together": [ex("imported", lambda d: imported(d)),
                               ex("import running, no end yet", lambda d: importing(d))],
    "import.in-progress-has-source": [ex("import running with its source", lambda d: importing(d))],
    "prose.diagnostics-prefix-file": [
        ex("trained: Prefix names the file", lambda d: d),
        ex("first training running: Prefix is still the folder", lambda d: put(in_progress(d), ModelDiagnosticsOutputConfiguration={
            "S3OutputConfiguration": {"Bucket": BUCKET, "Prefix": "diagnostics/centrifugal-pump-7/"}}))],
    "prose.labeled-quality": [ex("labelled, threshold met", lambda d: d),
                              ex("label group, poor quality", lambda d: put(
                                  d, LabelsInputConfiguration={"LabelGroupName": "pump-7-failures"},
                                  ModelQuality="POOR_QUALITY_DETECTED"))],
    "prose.labels-source": [ex("S3 only", lambda d: d),
                            ex("label group only", lambda d: put(d, LabelsInputConfiguration={
                                "LabelGroupName": "pump-7-failures"}))],
    "prose.next-retraining-utc-day": [
        ex("midnight UTC", lambda d: retrained(d)),
        ex("09:00+09:00 is midnight UTC", retrained, forms=PARSED_FORMS,
           post=text_of("2023-09-10T09:00:00+09:00", "NextScheduledRetrainingStartDate")),
    ],
    "prose.unlabeled-quality": [ex("unlabeled, CANNOT_DETERMINE_QUALITY", lambda d: unlabeled(d)),
                                ex("unlabeled, no ModelQuality", lambda d: drop(unlabeled(d), "ModelQuality")),
                                ex("imported: assessed in the source account, no labels here", lambda d: drop(
                                    imported(d), "LabelsInputConfiguration"))],
    "retraining.details-need-status": [ex("retrained", lambda d: retrained(d))],
    "retraining.failed-has-reason": [ex("FAILED with reason", lambda d: retraining_failed(d))],
    "retraining.reason-only-when-failed": [ex("reason with FAILED", lambda d: retraining_failed(d))],
    "retraining.schedule-has-scheduler": [ex("next date with scheduler", lambda d: retrained(d))],
    "retraining.success-has-version": [ex("SUCCESS with version", lambda d: retrained(d))],
    "status.failed-has-reason": [ex("FAILED with reason", lambda d: failed(d))],
    "status.in-progress-not-finished": [
        ex("first training running", lambda d: in_progress(d)),
        ex("retraining running keeps the old end", lambda d: put(d, Status="IN_PROGRESS"))],
    "status.metrics-need-training": [ex("trained", lambda d: d),
                                     ex("retraining running, version 1 still active", lambda d: put(d, Status="IN_PROGRESS"))],
    "status.reason-only-when-failed": [ex("FAILED with reason", lambda d: failed(d))],
    "status.success-has-active-version": [ex("SUCCESS with version", lambda d: d),
                                          ex("SUCCESS before versions existed: no version member at all",
                                             lambda d: drop(d, *ACTIVE))],
    "status.success-trained": [ex("trained here", lambda d: d),
                               ex("imported: no training here", lambda d: imported(d))],
    "time.evaluation-after-training": [ex("evaluation starts as training ends", lambda d: d),
                                       ex("a gap between them", lambda d: put(
                                           d, EvaluationDataStartTime=epoch("2022-10-15T00:00:00")))],
    "time.next-retraining-after-latest": [
        ex("next run weeks later", lambda d: retrained(d)),
        ex("next run on the day of the latest", lambda d: put(
            retrained(d), LatestScheduledRetrainingStartTime=epoch("2023-09-10T10:00:00"),
            LastUpdatedTime=epoch("2023-09-10T11:00:00")))],
    "version.activation-time": [ex("active", lambda d: d), ex("active and previous", lambda d: retrained(d))],
    "version.arn-belongs-to-model": [ex("versions of this model", lambda d: retrained(d))],
    "version.arn-number": [ex("numbers agree", lambda d: retrained(d))],
    "version.arn-pair": [ex("pairs complete", lambda d: retrained(d)),
                         ex("no version yet", lambda d: in_progress(d))],
    "version.previous-requires-active": [ex("previous with active", lambda d: retrained(d))],
    "version.previous-differs": [ex("rolled back: previous higher than active", lambda d: put(
        retrained(d), ActiveModelVersion=1, ActiveModelVersionArn=vers(1), PreviousActiveModelVersion=2,
        PreviousActiveModelVersionArn=vers(2), PreviousModelVersionActivatedAt=epoch("2023-06-12T01:20:45.000"),
        ModelVersionActivatedAt=epoch("2023-06-20T08:00:00")))],
    "version.retrained-number": [ex("retraining made version 2", lambda d: retrained(d))],
})

# --- plausible times, the import job, the metrics of real trainings --------------------------------

MS, US = 1e3, 1e6
NOT_OFFSET = ("wire", "parsed", "boto3")  # year 9999 and 1970 have no +05:30 text in range
REAL_METRICS_KEYS = {"data_start_time": "2022-10-01", "data_end_time": "2022-12-31", "labels_present": True,
                     "model_version_metrics": {"precision": 0.8, "recall": 0.67, "mean_fractional_lead_time": 0.4,
                                               "auc": 0.91}}

PASSING.update({
    "time.plausible-event": [
        ex("events of 2023", lambda d: d),
        ex("created the day the service was announced", lambda d: put(d, CreatedAt=epoch("2020-12-01T00:00:00"))),
        ex("exponent form on the wire", lambda d: put(d, CreatedAt=float("1.678786013123E9")), forms=("wire",))],
    "time.plausible-data": [
        ex("data of 2022", lambda d: d),
        ex("data from 1971", lambda d: put(d, TrainingDataStartTime=epoch("1971-01-01T00:00:00")))],
    "time.after-end-of-support": [
        ex("updated on the last day of support", lambda d: put(d, LastUpdatedTime=epoch("2026-10-07T23:59:59")))],
    "import.end-needs-start": [ex("an import that started and ended", lambda d: imported(d)),
                               ex("an import that started", lambda d: importing(d))],
    "embedded.metrics-shape": [
        ex("the keys of real trainings", lambda d: d),
        ex("newer keys: date-only data times, labels_present, model_version_metrics",
           metrics(lambda m: m.update(REAL_METRICS_KEYS))),
        ex("integer diagnostics and durations", metrics(lambda m: m["unknown_event_metrics"].update(
            total_duration_in_seconds=20700.0)))],
    "embedded.metrics-in-evaluation-window": [
        ex("ranges inside the evaluation data range", lambda d: d),
        ex("a zero-length range at the window's end", metrics(lambda m: m["labeled_ranges"][1].update(
            start="2022-12-31T00:00:00.000000", end="2022-12-31T00:00:00.000000")))],
    "embedded.metrics-size": [
        ex("ModelMetrics of exactly 50,000 characters", lambda d: put(d, ModelMetrics=metrics_of_length(50_000)))],
    "embedded.metrics-diagnostics-sum": [
        ex("fractions that sum to 1", lambda d: d),
        ex("rounding within the tolerance", metrics(lambda m: m["predicted_ranges"][0]["diagnostics"][0].update(
            value=0.315)))],
})

FAILING_MORE: dict[str, list[Example]] = {
    "form.object": [ex("a list of responses", lambda d: [d]), ex("null", lambda d: None),
                    ex("a string", lambda d: json.dumps(d)), ex("a number", lambda d: 42)],
    "schema.enum": [ex("TargetSamplingRate PT2M", lambda d: put(d, DataPreProcessingConfiguration={
                        "TargetSamplingRate": "PT2M"})),
                    ex("Status COMPLETED", lambda d: put(d, Status="COMPLETED")),
                    ex("Status in lower case", lambda d: put(d, Status="success")),
                    ex("RetrainingSchedulerStatus ACTIVE", lambda d: put(retrained(d), RetrainingSchedulerStatus="ACTIVE"))],
    "schema.maxLength": [
        ex("FailedReason of 5,001 characters", lambda d: put(failed(d), FailedReason="x" * 5001)),
        ex("OffCondition of 2,049 characters", lambda d: put(d, OffCondition="motor\\Speed<5" + " " * 2036))],
    "schema.minLength": [ex(f"{m} is empty", lambda d, m=m: put(d, **{m: ""}))
                         for m in ("ModelMetrics", "Schema", "OffCondition")]
        + [ex("PriorModelMetrics is empty", lambda d: put(retrained(d), PriorModelMetrics=""))],
    "schema.minimum": [
        ex("ActiveModelVersion 0", lambda d: put(d, ActiveModelVersion=0, ActiveModelVersionArn=vers(0))),
        ex("PreviousActiveModelVersion 0", lambda d: put(retrained(d), PreviousActiveModelVersion=0,
                                                        PreviousActiveModelVersionArn=vers(0)))],
    "schema.pattern": [
        ex("labels Prefix without a trailing /", lambda d: put(d, LabelsInputConfiguration={
            "S3InputConfiguration": {"Bucket": BUCKET, "Prefix": "labels/centrifugal-pump-7"}})),
        ex("RoleArn names a user", lambda d: put(d, RoleArn=f"arn:aws:iam::{ACCOUNT}:user/l4e")),
        ex("bucket name with capitals", lambda d: put(d, LabelsInputConfiguration={
            "S3InputConfiguration": {"Bucket": "Lookout-Data", "Prefix": "labels/"}})),
        ex("\\d is [0-9] only: Arabic-Indic digits in the KMS account", lambda d: put(
            d, ServerSideKmsKeyId=KMS_KEY_ARN.replace(ACCOUNT, "\u0661\u0662\u0663\u0664\u0665\u0666"
                                                               "\u0667\u0668\u0669\u0660\u0661\u0662")))],
    "schema.required": [ex(f"{m} missing", lambda d, m=m: drop(d, m)) for m in committed.required_members()] + [
        ex("diagnostics output without a bucket", lambda d: put(d, ModelDiagnosticsOutputConfiguration={
            "S3OutputConfiguration": {"Prefix": "diagnostics/model_diagnostics_results.json.gz"}})),
        ex("diagnostics output without S3OutputConfiguration", lambda d: put(
            d, ModelDiagnosticsOutputConfiguration={"KmsKeyId": KMS_KEY_ARN})),
        ex("labels from S3 without a bucket", lambda d: put(d, LabelsInputConfiguration={
            "S3InputConfiguration": {"Prefix": "labels/"}}))],
    "schema.type": [ex("ActiveModelVersion as text", lambda d: put(d, ActiveModelVersion="1")),
                    ex("ActiveModelVersion true", lambda d: put(d, ActiveModelVersion=True)),
                    ex("ModelMetrics as an object, not a JSON string", lambda d: put(d, ModelMetrics=METRICS)),
                    ex("ModelName a number", lambda d: put(d, ModelName=7)),
                    ex("LatestScheduledRetrainingAvailableDataInDays 90.5", lambda d: put(
                        retrained(d), LatestScheduledRetrainingAvailableDataInDays=90.5))],
    "schema.timestamp": [
        ex("CreatedAt null", lambda d: put(d, CreatedAt=None)),
        ex("naive isoformat() text", text_of("2023-03-14T09:26:53.123000", "CreatedAt"), forms=PARSED_FORMS, after=True),
        ex("a UTC suffix instead of an offset", text_of("2023-03-14 09:26:53 UTC", "CreatedAt"),
           forms=PARSED_FORMS, after=True),
        ex("a naive datetime", lambda d: put(d, CreatedAt=d["CreatedAt"].replace(tzinfo=None)),
           forms=("boto3",), after=True),
        ex("epoch seconds as a boolean", lambda d: put(d, CreatedAt=True), forms=("wire",), after=True)],
    "schema.unknown-member": [ex("a new top-level member", lambda d: put(d, RetrainingFrequency="P30D")),
                              ex("a new nested member", lambda d: put(d, ModelDiagnosticsOutputConfiguration={
                                  **d["ModelDiagnosticsOutputConfiguration"], "ExpectedBucketOwner": ACCOUNT}))],
    "form.timestamp-form": [
        ex("one text timestamp in a wire document",
           lambda d: put(d, LastUpdatedTime=as_parsed(valid_wire())["LastUpdatedTime"]), forms=("wire",), after=True),
        ex("one epoch timestamp in a parsed document",
           lambda d: put(d, LastUpdatedTime=valid_wire()["LastUpdatedTime"]), forms=PARSED_FORMS, after=True),
        ex("one epoch timestamp among datetimes",
           lambda d: put(d, LastUpdatedTime=valid_wire()["LastUpdatedTime"]), forms=("boto3",), after=True)],
    "form.timestamp-valid": [
        ex("29 February 2023", text_of("2023-02-29T09:26:53+00:00", "CreatedAt"), forms=PARSED_FORMS, after=True),
        ex("hour 25", text_of("2023-03-14T25:00:00+00:00", "LastUpdatedTime"), forms=PARSED_FORMS, after=True),
        ex("offset +24:00", text_of("2023-03-14T10:48:05+24:00", "LastUpdatedTime"), forms=PARSED_FORMS, after=True)],
    "arn.model-name": [ex("ModelName differs", lambda d: put(d, ModelName="centrifugal-pump-07"))],
    "arn.dataset-name": [ex("DatasetName differs", lambda d: put(d, DatasetName="pump-station-sensors-v2"))],
    "arn.same-home": [
        ex("dataset in another region", lambda d: put(d, DatasetArn=DATASET_ARN.replace("us-east-1", "eu-west-1"))),
        ex("dataset in another account", lambda d: put(d, DatasetArn=DATASET_ARN.replace(ACCOUNT, "444455556666"))),
        ex("dataset in another partition", lambda d: put(d, DatasetArn=DATASET_ARN.replace("arn:aws:", "arn:aws-cn:")))],
    "arn.partition": [
        ex("role in aws-cn", lambda d: put(d, RoleArn=d["RoleArn"].replace("arn:aws:", "arn:aws-cn:"))),
        ex("key in aws-us-gov", lambda d: put(d, ServerSideKmsKeyId=KMS_KEY_ARN.replace("arn:aws:", "arn:aws-us-gov:"))),
        ex("source version in aws-cn", lambda d: put(imported(d), SourceModelVersionArn=SOURCE_ARN.replace(
            "arn:aws:", "arn:aws-cn:")))],
    "arn.role-account": [ex("role of another account", lambda d: put(
        d, RoleArn="arn:aws:iam::444455556666:role/LookoutEquipmentSharedRole"))],
    "arn.kms-region": [ex("key in us-west-2", lambda d: put(d, ServerSideKmsKeyId=KMS_KEY_ARN.replace(
        "us-east-1", "us-west-2")))],
    "arn.source-version-region": [ex("source in eu-west-1", lambda d: put(imported(d), SourceModelVersionArn=SOURCE_ARN.replace(
        "us-east-1", "eu-west-1")))],
    "embedded.metrics-counts": [
        ex("more identified than labeled", metrics(lambda m: m["labeled_event_metrics"].update(num_identified=3))),
        ex("num_labeled is not the number of ranges", metrics(lambda m: m["labeled_event_metrics"].update(
            num_labeled=3)))],
    "embedded.metrics-json": [
        ex("truncated", lambda d: put(d, ModelMetrics=d["ModelMetrics"][:300])),
        ex("a list, not an object", lambda d: put(d, ModelMetrics="[]")),
        ex("PriorModelMetrics not JSON", lambda d: put(retrained(d), PriorModelMetrics="{'labeled_ranges': []}"))],
    "embedded.metrics-range-order": [
        ex("labeled range reversed", metrics(lambda m: m["labeled_ranges"][0].update(
            start=m["labeled_ranges"][0]["end"], end=m["labeled_ranges"][0]["start"]))),
        ex("predicted range reversed in PriorModelMetrics", lambda d: metrics(
            lambda m: m["predicted_ranges"][1].update(end="2022-11-30T00:00:00.000000"), "PriorModelMetrics")(retrained(d))),
        ex("range time not ISO text", metrics(lambda m: m["labeled_ranges"][1].update(start="12/02/2022 21:15")))],
    "embedded.metrics-sensor-names": [
        ex("a sensor the Schema lacks", metrics(lambda m: m["predicted_ranges"][0]["diagnostics"][0].update(
            name="centrifugal-pump\\Sensor9"))),
        ex("a name without component", metrics(lambda m: m["predicted_ranges"][0]["diagnostics"][0].update(
            name="Sensor0")))],
    "embedded.off-condition": [ex("no component", lambda d: put(d, OffCondition="Speed<500")),
                               ex("= is not a comparison", lambda d: put(d, OffCondition="motor\\Speed=500")),
                               ex("not a number", lambda d: put(d, OffCondition="motor\\Speed<slow"))],
    "embedded.off-condition-sensor": [ex("a sensor the Schema lacks", lambda d: put(d, OffCondition="motor\\Rpm<500"))],
    "embedded.schema-column-types": [
        ex("a STRING column", schema_doc(lambda s: s["Components"][1]["Columns"].append(
            {"Name": "ValveState", "Type": "STRING"}))),
        ex("no DATETIME column", schema_doc(lambda s: s["Components"][0]["Columns"].pop(0))),
        ex("two DATETIME columns", schema_doc(lambda s: s["Components"][0]["Columns"].append(
            {"Name": "Timestamp2", "Type": "DATETIME"})))],
    "embedded.schema-json": [
        ex("a Python repr", lambda d: put(d, Schema=str(json.loads(d["Schema"])))),
        ex("no Components", lambda d: put(d, Schema="{}")),
        ex("a column without Type", schema_doc(lambda s: s["Components"][0]["Columns"][1].pop("Type"))),
        ex("a component without Columns", schema_doc(lambda s: s["Components"][1].pop("Columns")))],
    "import.fields-together": [
        ex("source without import job", lambda d: drop(imported(d), "ImportJobStartTime", "ImportJobEndTime")),
        ex("import job without source", lambda d: put(d, ImportJobStartTime=epoch("2023-03-14T09:26:54.000")))],
    "import.in-progress-has-source": [ex("importing, no source", lambda d: drop(
        importing(d), "SourceModelVersionArn", "ImportJobStartTime"))],
    "prose.diagnostics-prefix-file": [ex("trained, Prefix is a folder", lambda d: put(
        d, ModelDiagnosticsOutputConfiguration={"S3OutputConfiguration": {
            "Bucket": BUCKET, "Prefix": "diagnostics/centrifugal-pump-7/"}}))],
    "prose.labeled-quality": [ex("labelled, CANNOT_DETERMINE_QUALITY", lambda d: put(
        d, ModelQuality="CANNOT_DETERMINE_QUALITY"))],
    "prose.labels-source": [
        ex("both sources", lambda d: put(d, LabelsInputConfiguration={
            **d["LabelsInputConfiguration"], "LabelGroupName": "pump-7-failures"})),
        ex("neither source", lambda d: put(d, LabelsInputConfiguration={}))],
    "prose.next-retraining-utc-day": [
        ex("08:00 UTC", lambda d: put(retrained(d), NextScheduledRetrainingStartDate=epoch("2023-09-10T08:00:00"))),
        ex("a millisecond past midnight", lambda d: put(
            retrained(d), NextScheduledRetrainingStartDate=epoch("2023-09-10T00:00:00.001")),
           forms=("wire", "parsed", "boto3")),
        ex("midnight in +09:00 is 15:00 UTC", retrained, forms=PARSED_FORMS,
           post=text_of("2023-09-10T00:00:00+09:00", "NextScheduledRetrainingStartDate"))],
    "prose.unlabeled-quality": [
        ex("unlabeled, QUALITY_THRESHOLD_MET", lambda d: put(unlabeled(d), ModelQuality="QUALITY_THRESHOLD_MET")),
        ex("unlabeled, POOR_QUALITY_DETECTED", lambda d: put(unlabeled(d), ModelQuality="POOR_QUALITY_DETECTED"))],
    "retraining.details-need-status": [
        ex("details without status", lambda d: drop(retrained(d), "LatestScheduledRetrainingStatus")),
        ex("only a day count", lambda d: put(d, LatestScheduledRetrainingAvailableDataInDays=90))],
    "retraining.failed-has-reason": [ex("FAILED without reason", lambda d: drop(
        retraining_failed(d), "LatestScheduledRetrainingFailedReason"))],
    "retraining.reason-only-when-failed": [ex("SUCCESS with a reason", lambda d: put(
        retrained(d), LatestScheduledRetrainingFailedReason="Not enough new data."))],
    "retraining.schedule-has-scheduler": [ex("next date, no scheduler", lambda d: drop(
        retrained(d), "RetrainingSchedulerStatus"))],
    "retraining.success-has-version": [ex("SUCCESS without version", lambda d: drop(
        retrained(d), "LatestScheduledRetrainingModelVersion"))],
    "status.failed-has-reason": [ex("FAILED without reason", lambda d: drop(failed(d), "FailedReason"))],
    "status.in-progress-not-finished": [ex("first training running with an end", lambda d: put(
        in_progress(d), TrainingExecutionEndTime=epoch("2023-03-14T10:48:05.204")))],
    "status.metrics-need-training": [
        ex("FAILED with ModelQuality", lambda d: put(failed(d), ModelQuality="QUALITY_THRESHOLD_MET")),
        ex("first training running with ModelMetrics", lambda d: put(in_progress(d), ModelMetrics=json.dumps(METRICS)))],
    "status.reason-only-when-failed": [ex("SUCCESS with a reason", lambda d: put(
        d, FailedReason="Training data for component motor has no valid rows."))],
    "status.success-has-active-version": [ex("imported, SUCCESS, no version", lambda d: drop(imported(d), *ACTIVE))],
    "status.success-trained": [ex("no end", lambda d: drop(d, "TrainingExecutionEndTime")),
                               ex("no start", lambda d: drop(d, "TrainingExecutionStartTime"))],
    "time.evaluation-after-training": [ex("evaluation overlaps training", lambda d: put(
        d, EvaluationDataStartTime=epoch("2022-09-01T00:00:00")))],
    "time.next-retraining-after-latest": [ex("next run the day before the latest", lambda d: put(
        retrained(d), NextScheduledRetrainingStartDate=epoch("2023-06-11T00:00:00")))],
    "version.activation-time": [
        ex("active without activation time", lambda d: drop(d, "ModelVersionActivatedAt")),
        ex("previous without activation time", lambda d: drop(retrained(d), "PreviousModelVersionActivatedAt")),
        ex("previous activation time without previous", lambda d: put(
            d, PreviousModelVersionActivatedAt=epoch("2023-03-14T10:00:00")))],
    "version.arn-belongs-to-model": [
        ex("active ARN of another model", lambda d: put(d, ActiveModelVersionArn=vers(1, OTHER_MODEL_ARN))),
        ex("previous ARN of another model", lambda d: put(retrained(d), PreviousActiveModelVersionArn=vers(
            1, OTHER_MODEL_ARN)))],
    "version.arn-number": [
        ex("active ARN names 2, number is 1", lambda d: put(d, ActiveModelVersionArn=vers(2))),
        ex("previous ARN names 3, number is 1", lambda d: put(retrained(d), PreviousActiveModelVersionArn=vers(3)))],
    "version.arn-pair": [
        ex("number without ARN", lambda d: drop(d, "ActiveModelVersionArn")),
        ex("previous ARN without number", lambda d: drop(
            retrained(d), "PreviousActiveModelVersion", "PreviousModelVersionActivatedAt"))],
    "version.previous-requires-active": [ex("importing, previous but no active", lambda d: put(
        importing(d), PreviousActiveModelVersion=1, PreviousActiveModelVersionArn=vers(1),
        PreviousModelVersionActivatedAt=epoch("2023-03-14T09:40:00")))],
    "version.previous-differs": [ex("previous equals active", lambda d: put(
        retrained(d), PreviousActiveModelVersion=2, PreviousActiveModelVersionArn=vers(2)))],
    "version.retrained-number": [ex("retraining made version 1", lambda d: put(
        retrained(d), LatestScheduledRetrainingModelVersion=1))],
}
FAILING_MORE.update({
    # milliseconds and microseconds read as seconds are past year 9999: botocore cannot read them
    "form.wire-timestamp-range": [
        ex("LastUpdatedTime in milliseconds", lambda d: put(d, LastUpdatedTime=d["LastUpdatedTime"] * MS), forms=("wire",)),
        ex("LastUpdatedTime in microseconds", lambda d: put(d, LastUpdatedTime=d["LastUpdatedTime"] * US), forms=("wire",)),
        ex("EvaluationDataEndTime in milliseconds", lambda d: put(
            drop(d, "ModelMetrics"), EvaluationDataEndTime=d["EvaluationDataEndTime"] * MS), forms=("wire",)),
        ex("the next retraining in milliseconds", lambda d: put(
            retrained(d), NextScheduledRetrainingStartDate=retrained()["NextScheduledRetrainingStartDate"] * MS),
           forms=("wire",))],
    "time.plausible-event": [
        ex("CreatedAt 0", lambda d: put(d, CreatedAt=0.0), forms=NOT_OFFSET),
        ex("CreatedAt in 2019, before the service", lambda d: put(d, CreatedAt=epoch("2019-06-01T00:00:00"))),
        ex("LastUpdatedTime in year 9999", lambda d: put(d, LastUpdatedTime=epoch("9999-12-31T00:00:00")),
           forms=NOT_OFFSET)],
    "time.plausible-data": [
        ex("TrainingDataStartTime 0", lambda d: put(d, TrainingDataStartTime=0.0), forms=NOT_OFFSET),
        ex("EvaluationDataEndTime in year 9999", lambda d: put(
            drop(d, "ModelMetrics"), EvaluationDataEndTime=epoch("9999-12-31T00:00:00")), forms=NOT_OFFSET)],
    "time.after-end-of-support": [
        ex("updated after the end of support", lambda d: put(d, LastUpdatedTime=epoch("2026-11-01T00:00:00")))],
    "import.end-needs-start": [
        ex("an import that ended and never started", lambda d: put(d, ImportJobEndTime=epoch("2023-03-14T09:40:12.300")))],
    "embedded.metrics-shape": [
        ex("diagnostic value as text", metrics(lambda m: m["predicted_ranges"][0]["diagnostics"][0].update(value="0.31"))),
        ex("num_labeled as text", metrics(lambda m: m["labeled_event_metrics"].update(num_labeled="2"))),
        ex("labeled_ranges an object", metrics(lambda m: m.update(labeled_ranges={"start": "x", "end": "y"})))],
    "embedded.metrics-in-evaluation-window": [
        ex("a predicted range that starts before the evaluation data", metrics(
            lambda m: m["predicted_ranges"][0].update(start="2022-09-20T00:00:00.000000"))),
        ex("a labeled range after it", metrics(lambda m: m["labeled_ranges"][1].update(
            start="2023-01-02T00:00:00.000000", end="2023-01-03T00:00:00.000000")))],
    "embedded.metrics-size": [
        ex("ModelMetrics of 50,001 characters", lambda d: put(d, ModelMetrics=metrics_of_length(50_001)))],
    "embedded.metrics-diagnostics-sum": [
        ex("a range whose diagnostics sum to 1.3", metrics(
            lambda m: m["predicted_ranges"][1]["diagnostics"][0].update(value=0.42)))],
})
for _rule, _examples in FAILING_MORE.items():
    FAILING.setdefault(_rule, []).extend(_examples)


# --- issue 11: whole ARNs and names, numbers (rules/arn_form.py, rules/numbers.py, integer ranges) ---

DAYS = "LatestScheduledRetrainingAvailableDataInDays"
ROLE = f"arn:aws:iam::{ACCOUNT}:role"
LABELS_PREFIX = "labels/centrifugal-pump-7/"


def in_partition(partition, region):
    """Every ARN of the response moved to one partition and region: they still agree with one another."""
    return lambda d: json.loads(json.dumps(d).replace('"arn:aws:', f'"arn:{partition}:').replace(
        ":us-east-1:", f":{region}:"))


def labels_bucket(name):
    return lambda d: put(d, LabelsInputConfiguration={"S3InputConfiguration": {"Bucket": name, "Prefix": LABELS_PREFIX}})


def diagnostics_key(key):
    return lambda d: put(d, ModelDiagnosticsOutputConfiguration={
        **d["ModelDiagnosticsOutputConfiguration"], "KmsKeyId": key})


KEY_ID = KMS_KEY_ARN.rsplit("/", 1)[1]
WIRE_ONLY = ("wire",)

PASSING.update({
    "schema.maximum": [
        ex("the largest int32 number of days", lambda d: put(retrained(d), **{DAYS: 2**31 - 1})),
        ex("the largest int64 version (its ARN agrees)", lambda d: put(d, ActiveModelVersion=2**63 - 1,
                                                                         ActiveModelVersionArn=vers(2**63 - 1)))],
    "retraining.days-not-negative": [ex("0 days", lambda d: put(retrained(d), **{DAYS: 0}))],
    "form.wire-integer": [ex("integers written as integers", lambda d: d)],
    "form.wire-timestamp-range": [
        ex("timestamps of the years botocore reads", lambda d: d),
        ex("integer epoch seconds", lambda d: put(d, CreatedAt=int(d["CreatedAt"])), forms=WIRE_ONLY)],
    "arn.model-form": [ex("model/<name>/<id>", lambda d: d),
                       ex("a one-character name", lambda d: put(d, ModelName="p", ModelArn=MODEL_ARN.replace(
                           "centrifugal-pump-7/", "p/"), ActiveModelVersionArn=vers(1, MODEL_ARN.replace(
                               "centrifugal-pump-7/", "p/")),
                           ModelDiagnosticsOutputConfiguration={**d["ModelDiagnosticsOutputConfiguration"]}))],
    "arn.dataset-form": [ex("dataset/<name>/<id>", lambda d: d)],
    "arn.version-form": [ex("active version", lambda d: d),
                         ex("a source version of another account", lambda d: imported(d))],
    "arn.role-form": [
        ex("role in the service-role path", lambda d: d),
        ex("role with no path", lambda d: put(d, RoleArn=f"{ROLE}/LookoutEquipmentPumpRole")),
        ex("role in a deep path", lambda d: put(d, RoleArn=f"{ROLE}/plant/a/b/Pump+Role=1,x.y@z_w-v")),
        ex("a 64-character role name", lambda d: put(d, RoleArn=f"{ROLE}/{'r' * 64}"))],
    "arn.kms-form": [
        ex("key ARNs", lambda d: d),
        ex("an alias ARN for the model's key", lambda d: put(d, ServerSideKmsKeyId=KMS_KEY_ARN.replace(
            f"key/{KEY_ID}", "alias/lookout-equipment"))),
        ex("a key id for diagnostics", diagnostics_key(KEY_ID)),
        ex("a multi-Region key id for diagnostics", diagnostics_key("mrk-4c1e9a0b7d2f4e6a8b3c5d7e9f1a2b3c")),
        ex("an alias name for diagnostics", diagnostics_key("alias/lookout/diagnostics_key-1"))],
    "arn.region": [ex("us-east-1 in aws", lambda d: d),
                   ex("every ARN in aws-cn, cn-north-1", in_partition("aws-cn", "cn-north-1")),
                   ex("every ARN in aws-us-gov, us-gov-west-1", in_partition("aws-us-gov", "us-gov-west-1"))],
    "arn.partition-known": [ex("partition aws", lambda d: d),
                            ex("partition aws-iso-b", in_partition("aws-iso-b", "us-isob-east-1"))],
    "name.s3-bucket": [ex("a bucket with dots and hyphens", labels_bucket("pump.data-2023")),
                       ex("a three-character bucket", labels_bucket("a-1")),
                       ex("xn-- inside a name", labels_bucket("pump-xn--data"))],
})

FAILING.update({
    "schema.maximum": [
        ex("2**31 days: beyond int32", lambda d: put(retrained(d), **{DAYS: 2**31})),
        ex("a retrained version of 2**63: beyond int64", lambda d: put(
            retrained(d), LatestScheduledRetrainingModelVersion=2**63))],
    "retraining.days-not-negative": [ex("-1 days", lambda d: put(retrained(d), **{DAYS: -1}))],
    "form.wire-integer": [
        ex("ActiveModelVersion 1.0", lambda d: put(d, ActiveModelVersion=1.0), forms=WIRE_ONLY),
        ex("days of data 90.0 (2e0 reads the same)", lambda d: put(retrained(d), **{DAYS: 90.0}), forms=WIRE_ONLY)],
    "form.wire-timestamp-range": [
        ex("LastUpdatedTime 99999999999999999", lambda d: put(d, LastUpdatedTime=99999999999999999),
           forms=WIRE_ONLY),
        ex("LastUpdatedTime at year 10000", lambda d: put(d, LastUpdatedTime=253402300800.0), forms=WIRE_ONLY),
        ex("TrainingDataStartTime before year 1", lambda d: put(d, TrainingDataStartTime=-62135596801),
           forms=WIRE_ONLY)],
    "arn.model-form": [
        ex("a model version ARN as ModelArn", lambda d: put(in_progress(d), ModelArn=vers(1))),
        ex("a trailing space", lambda d: put(in_progress(d), ModelArn=MODEL_ARN + " ")),
        ex("a trailing tab", lambda d: put(in_progress(d), ModelArn=MODEL_ARN + "\t")),
        ex("an extra path segment", lambda d: put(in_progress(d), ModelArn=MODEL_ARN + "/extra")),
        ex("a double slash before the id", lambda d: put(in_progress(d), ModelArn=MODEL_ARN.replace(
            "pump-7/", "pump-7//")))],
    "arn.dataset-form": [
        ex("a double slash", lambda d: put(d, DatasetArn=DATASET_ARN.replace("sensors/", "sensors//"))),
        ex("an extra path segment", lambda d: put(d, DatasetArn=DATASET_ARN + "/v2")),
        ex("a trailing space", lambda d: put(d, DatasetArn=DATASET_ARN + " "))],
    "arn.version-form": [
        ex("a source version with an extra segment", lambda d: put(imported(d), SourceModelVersionArn=SOURCE_ARN.replace(
            "/model-version/", "/extra/model-version/"))),
        ex("a source version with model-version twice", lambda d: put(
            imported(d), SourceModelVersionArn=SOURCE_ARN + "/model-version/1"))],
    "arn.role-form": [
        ex("the path '//'", lambda d: put(d, RoleArn=f"{ROLE}//LookoutEquipmentPumpRole")),
        ex("a space in the role name", lambda d: put(d, RoleArn=f"{ROLE}/Lookout Equipment")),
        ex("a 65-character role name", lambda d: put(d, RoleArn=f"{ROLE}/{'r' * 65}"))],
    "arn.kms-form": [
        ex("a key ARN with an extra segment", lambda d: put(d, ServerSideKmsKeyId=KMS_KEY_ARN + "/rotated")),
        ex("a KMS ARN that is neither key/ nor alias/", lambda d: put(d, ServerSideKmsKeyId=KMS_KEY_ARN.replace(
            "key/", "keys/"))),
        ex("a diagnostics key of another service", diagnostics_key(f"arn:aws:s3:us-east-1:{ACCOUNT}:key/{KEY_ID}")),
        ex("a diagnostics key that is no KMS identifier", diagnostics_key("key:1234"))],
    "arn.region": [
        ex("an empty region in the diagnostics key", diagnostics_key(KMS_KEY_ARN.replace(":us-east-1:", "::"))),
        ex("an aws-cn region in the aws partition", diagnostics_key(KMS_KEY_ARN.replace("us-east-1", "cn-north-1"))),
        ex("an empty region in every Lookout for Equipment ARN", lambda d: drop(json.loads(json.dumps(
            in_progress(d)).replace(":us-east-1:", "::")), "ServerSideKmsKeyId", "ModelDiagnosticsOutputConfiguration"))],
    "arn.partition-known": [ex("every ARN in partition aws-mars", in_partition("aws-mars", "us-east-1"))],
    "name.s3-bucket": [
        ex("an IP address", labels_bucket("192.168.5.4")),
        ex("two adjacent periods", labels_bucket("pump..data")),
        ex("the xn-- prefix", labels_bucket("xn--pump-data")),
        ex("the -s3alias suffix", labels_bucket("pump-data-s3alias")),
        ex("the sthree- prefix", labels_bucket("sthree-pump")),
        ex("the --ol-s3 suffix", labels_bucket("pump--ol-s3"))],
})
FAILING["schema.minimum"].append(ex("-2**31 - 1 days: below int32", lambda d: put(retrained(d), **{DAYS: -2**31 - 1})))


# --- running them -----------------------------------------------------------------

def all_rules():
    """Every rule id the suite can report, with its severity."""
    return {r.id: r.severity for r in all_rules_of_the_contract()}


SEVERITY = all_rules()


def build(example: Example, form: str):
    doc = valid_wire()
    if example.change is not None:
        doc = example.change(doc)
    doc = FORMS[form](doc)
    return doc if example.post is None else example.post(doc)


def cases(table):
    for rule_id in sorted(table):
        for example in table[rule_id]:
            for form in example.forms:
                yield pytest.param(rule_id, example, form, id=f"{rule_id}|{example.label}|{form}")


def findings(report):
    return [(v.rule, v.pointer, v.message) for v in report.violations + report.warnings]


def test_every_rule_has_a_passing_and_a_failing_example():
    rules = set(SEVERITY)
    assert rules - set(PASSING) == set(), "rules with no passing example"
    assert rules - set(FAILING) == set(), "rules with no failing example"
    assert set(PASSING) - rules == set() and set(FAILING) - rules == set(), "examples for rules that do not exist"
    for table in (PASSING, FAILING):
        assert all(table[r] for r in rules)


def test_every_rule_passes_in_every_form_and_every_form_fails_somewhere():
    for rule_id, examples in PASSING.items():
        assert {f for e in examples for f in e.forms} == set(FORMS), rule_id
    # some violations exist in one form only (an impossible date is parsed-form text)
    assert {f for examples in FAILING.values() for e in examples for f in e.forms} == set(FORMS)


@pytest.mark.parametrize("rule_id, example, form", list(cases(PASSING)))
def test_passing_example_is_clean(rule_id, example, form):
    report = l4e_contract.validate(build(example, form))
    assert report.valid and not report.warnings, findings(report)


@pytest.mark.parametrize("rule_id, example, form", list(cases(FAILING)))
def test_failing_example_reports_exactly_its_rule(rule_id, example, form):
    report = l4e_contract.validate(build(example, form))
    if SEVERITY[rule_id] == ERROR:
        assert report.rules == {rule_id} and not report.warnings, findings(report)
    else:
        assert report.valid and report.warning_rules == {rule_id}, findings(report)
    for v in report.violations + report.warnings:
        assert v.message and "\n" not in v.message
        assert v.pointer == "" or v.pointer.startswith("/")


def test_unknown_members_are_errors_under_strict():
    doc = put(valid_wire(), RetrainingFrequency="P30D")
    assert l4e_contract.validate(doc).valid
    report = l4e_contract.validate(doc, strict=True)
    assert report.rules == {"schema.unknown-member"}
    assert [v.pointer for v in report.violations] == ["/RetrainingFrequency"]


def test_a_naive_datetime_says_it_has_no_offset():
    doc = as_boto3(valid_wire())
    doc["LastUpdatedTime"] = doc["LastUpdatedTime"].replace(tzinfo=None)
    [v] = l4e_contract.validate(doc).violations
    assert (v.rule, v.pointer) == ("schema.timestamp", "/LastUpdatedTime") and "no UTC offset" in v.message


def test_every_violation_is_reported_not_the_first():
    doc = put(valid_wire(), ModelName="centrifugal-pump-07", Status="DONE",
              LastUpdatedTime=epoch("2023-03-14T04:00:00"), OffCondition="Speed<500")
    drop(doc, "ActiveModelVersionArn")
    report = l4e_contract.validate(doc)
    assert report.rules == {"arn.model-name", "schema.enum", "time.created-before-updated"}
    assert report.warning_rules == {"embedded.off-condition", "version.arn-pair"}


def test_pointers_name_the_member_at_fault():
    report = l4e_contract.validate(put(valid_wire(), LabelsInputConfiguration={
        "S3InputConfiguration": {"Bucket": BUCKET, "Prefix": "labels"}}))
    assert [v.pointer for v in report.violations] == ["/LabelsInputConfiguration/S3InputConfiguration/Prefix"]
