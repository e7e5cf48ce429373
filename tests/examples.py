"""Example DescribeModel responses for tests: one realistic trained model, in each form.

    from examples import valid_wire, valid_parsed   # tests/ is on sys.path under pytest

`valid_wire()` is the HTTP body (timestamps are epoch seconds), `valid_parsed()` the
same model as boto3's dict dumped to JSON (timestamps are `datetime.isoformat()` text).
Both return a fresh dict on every call, so a test may change it freely.

The model: `centrifugal-pump-7`, trained once (SUCCESS, version 1 active) on a
two-component dataset, labelled from S3, with a KMS key, an off condition and
diagnostics output. It validates with no errors and no warnings.

`as_parsed(doc)` and `as_boto3(doc)` turn any wire-form dict (changed or not) into
the other two forms; they touch only the timestamp members and leave the rest alone.
"""
from __future__ import annotations

import copy
import datetime as _dt
import json

ACCOUNT = "123456789012"
REGION = "us-east-1"
MODEL_NAME = "centrifugal-pump-7"
MODEL_ARN = (f"arn:aws:lookoutequipment:{REGION}:{ACCOUNT}:model/{MODEL_NAME}/"
             "7f3e2b1c-9a4d-4e8f-b2c6-5d1a0e9f8c34")
DATASET_NAME = "pump-station-sensors"
DATASET_ARN = (f"arn:aws:lookoutequipment:{REGION}:{ACCOUNT}:dataset/{DATASET_NAME}/"
               "0b9c4d2e-6f1a-4b7c-8d3e-2a5f9c1b7e60")
KMS_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b"
BUCKET = "lookout-equipment-pump-data"


def epoch(text: str) -> float:
    """Epoch seconds of UTC text such as '2023-03-14T09:26:53.123' (the wire form of a time)."""
    return _dt.datetime.fromisoformat(text).replace(tzinfo=_dt.timezone.utc).timestamp()


SCHEMA = {
    "Components": [
        {"ComponentName": "centrifugal-pump",
         "Columns": [{"Name": "Timestamp", "Type": "DATETIME"},
                     {"Name": "Sensor0", "Type": "DOUBLE"},
                     {"Name": "Sensor1", "Type": "DOUBLE"},
                     {"Name": "Sensor2", "Type": "DOUBLE"},
                     {"Name": "Sensor3", "Type": "DOUBLE"}]},
        {"ComponentName": "motor",
         "Columns": [{"Name": "Timestamp", "Type": "DATETIME"},
                     {"Name": "Current", "Type": "DOUBLE"},
                     {"Name": "Speed", "Type": "DOUBLE"},
                     {"Name": "Temperature", "Type": "DOUBLE"}]},
    ]
}

METRICS = {
    "labeled_ranges": [
        {"start": "2022-10-18T06:00:00.000000", "end": "2022-10-19T14:30:00.000000"},
        {"start": "2022-12-02T21:15:00.000000", "end": "2022-12-03T03:45:00.000000"},
    ],
    "labeled_event_metrics": {"num_labeled": 2, "num_identified": 2, "total_warning_time_in_seconds": 129600},
    "predicted_ranges": [
        {"start": "2022-10-16T18:25:00.000000", "end": "2022-10-19T11:40:00.000000",
         "diagnostics": [{"name": "centrifugal-pump\\Sensor0", "value": 0.31},
                         {"name": "centrifugal-pump\\Sensor1", "value": 0.08},
                         {"name": "centrifugal-pump\\Sensor2", "value": 0.22},
                         {"name": "centrifugal-pump\\Sensor3", "value": 0.05},
                         {"name": "motor\\Current", "value": 0.19},
                         {"name": "motor\\Speed", "value": 0.04},
                         {"name": "motor\\Temperature", "value": 0.11}]},
        {"start": "2022-12-01T08:05:00.000000", "end": "2022-12-03T01:10:00.000000",
         "diagnostics": [{"name": "centrifugal-pump\\Sensor0", "value": 0.12},
                         {"name": "centrifugal-pump\\Sensor1", "value": 0.03},
                         {"name": "centrifugal-pump\\Sensor2", "value": 0.09},
                         {"name": "centrifugal-pump\\Sensor3", "value": 0.06},
                         {"name": "motor\\Current", "value": 0.27},
                         {"name": "motor\\Speed", "value": 0.05},
                         {"name": "motor\\Temperature", "value": 0.38}]},
    ],
    "unknown_event_metrics": {"num_identified": 1, "total_duration_in_seconds": 20700},
}

_VALID_WIRE = {
    "ModelName": MODEL_NAME,
    "ModelArn": MODEL_ARN,
    "DatasetName": DATASET_NAME,
    "DatasetArn": DATASET_ARN,
    "Schema": json.dumps(SCHEMA, separators=(",", ":")),
    "LabelsInputConfiguration": {
        "S3InputConfiguration": {"Bucket": BUCKET, "Prefix": f"labels/{MODEL_NAME}/"},
    },
    "TrainingDataStartTime": epoch("2022-01-01T00:00:00"),
    "TrainingDataEndTime": epoch("2022-10-01T00:00:00"),
    "EvaluationDataStartTime": epoch("2022-10-01T00:00:00"),
    "EvaluationDataEndTime": epoch("2022-12-31T00:00:00"),
    "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/LookoutEquipmentPumpRole",
    "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT5M"},
    "Status": "SUCCESS",
    "TrainingExecutionStartTime": epoch("2023-03-14T09:27:41.512"),
    "TrainingExecutionEndTime": epoch("2023-03-14T10:48:05.204"),
    "ModelMetrics": json.dumps(METRICS),
    "LastUpdatedTime": epoch("2023-03-14T10:48:05.761"),
    "CreatedAt": epoch("2023-03-14T09:26:53.123"),
    "ServerSideKmsKeyId": KMS_KEY_ARN,
    "OffCondition": "motor\\Speed<500",
    "ActiveModelVersion": 1,
    "ActiveModelVersionArn": f"{MODEL_ARN}/model-version/1",
    "ModelVersionActivatedAt": epoch("2023-03-14T10:48:05.761"),
    "ModelDiagnosticsOutputConfiguration": {
        "S3OutputConfiguration": {
            "Bucket": BUCKET,
            "Prefix": f"diagnostics/{MODEL_NAME}/model_diagnostics_results.json.gz",
        },
        "KmsKeyId": KMS_KEY_ARN,
    },
    "ModelQuality": "QUALITY_THRESHOLD_MET",
}


def _timestamp_members():
    from l4e_contract.contract import committed# the schema says which members are timestamps

    return committed.timestamp_members()


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _holds_a_datetime(seconds) -> bool:
    """Can a datetime hold these epoch seconds (years 1-9999)? A wire number beyond that has no other form:
    botocore raises on it (form.wire-timestamp-range), so the conversions leave it as it is."""
    try:
        _dt.datetime.fromtimestamp(seconds, _dt.timezone.utc)
        return True
    except (OverflowError, OSError, ValueError):
        return False


def as_parsed(doc, style: str = "isoformat", tz: _dt.tzinfo | None = None):
    """The parsed form of a wire-form dict: numeric timestamps become boto3's datetime text.

    style "isoformat" writes `datetime.isoformat()` ('2023-01-01T00:00:00+00:00'), "str"
    writes `str(datetime)` ('2023-01-01 00:00:00+00:00'); tz is the offset to show (UTC).
    Anything that is not a dict, and any timestamp that is not a number (or a number no datetime holds),
    is left as it is.
    """
    if not isinstance(doc, dict):
        return copy.deepcopy(doc)
    out = copy.deepcopy(doc)
    for m in _timestamp_members():
        if m in out and _is_number(out[m]) and _holds_a_datetime(out[m]):
            d = _dt.datetime.fromtimestamp(out[m], tz or _dt.timezone.utc)
            out[m] = d.isoformat() if style == "isoformat" else str(d)
    return out


def as_boto3(doc):
    """boto3's dict of a wire-form dict: numeric timestamps become aware datetimes, as botocore's
    parser makes them (`datetime.fromtimestamp(value, tzlocal())`)."""
    from dateutil.tz import tzlocal

    if not isinstance(doc, dict):
        return copy.deepcopy(doc)
    out = copy.deepcopy(doc)
    for m in _timestamp_members():
        if m in out and _is_number(out[m]) and _holds_a_datetime(out[m]):
            out[m] = _dt.datetime.fromtimestamp(out[m], tzlocal())
    return out


def valid_wire() -> dict:
    """A fresh wire-form DescribeModel response of one realistic trained model."""
    return copy.deepcopy(_VALID_WIRE)


def valid_parsed() -> dict:
    """The same model in the parsed form (boto3's dict dumped to JSON, isoformat() text)."""
    return as_parsed(_VALID_WIRE)
