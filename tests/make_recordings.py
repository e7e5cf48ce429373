"""Write contracts/recordings/ from the models defined here.

    python3 tests/make_recordings.py           # rewrite the recordings
    python3 tests/make_recordings.py --check   # exit 1 if the committed files differ

The wire-form files are the HTTP bodies; the parsed-form files are what botocore's own
JSON parser makes of those bodies (aware datetimes, ResponseMetadata), dumped to JSON the
way users dump boto3 responses: `datetime.isoformat()`, or `str()` for a few files.
`tests/test_recordings.py` checks that the committed files are exactly what this writes,
so edit the models here, not the JSON.

No AWS response in these files was captured from the service (it ended on 2026-10-07
and no account exists here): they are built to the documented shapes and values.
"""
from __future__ import annotations

import copy
import datetime as _dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import examples  # noqa: E402
from examples import epoch  # noqa: E402

ROOT = HERE.parent / "contracts" / "recordings"
UTC = _dt.timezone.utc


# --- building blocks ---------------------------------------------------------

def model_arn(name, uuid, region="us-east-1", account="123456789012", partition="aws"):
    return f"arn:{partition}:lookoutequipment:{region}:{account}:model/{name}/{uuid}"


def dataset_arn(name, uuid, region="us-east-1", account="123456789012", partition="aws"):
    return f"arn:{partition}:lookoutequipment:{region}:{account}:dataset/{name}/{uuid}"


def version(arn, n):
    return f"{arn}/model-version/{n}"


def schema_of(components: dict[str, list[str]]) -> str:
    """The Schema member: one DATETIME Timestamp column and DOUBLE sensors per component."""
    return json.dumps({"Components": [
        {"ComponentName": comp,
         "Columns": [{"Name": "Timestamp", "Type": "DATETIME"}] + [{"Name": s, "Type": "DOUBLE"} for s in cols]}
        for comp, cols in components.items()]}, separators=(",", ":"))


def metrics_of(labeled, predicted, unknown=(0, 0), warning_seconds=0, identified=None) -> str:
    """ModelMetrics text. labeled: [(start, end)]; predicted: [(start, end, {sensor: value})]."""
    return json.dumps({
        "labeled_ranges": [{"start": s, "end": e} for s, e in labeled],
        "labeled_event_metrics": {"num_labeled": len(labeled),
                                  "num_identified": len(labeled) if identified is None else identified,
                                  "total_warning_time_in_seconds": warning_seconds},
        "predicted_ranges": [{"start": s, "end": e,
                              "diagnostics": [{"name": n, "value": v} for n, v in diags.items()]}
                             for s, e, diags in predicted],
        "unknown_event_metrics": {"num_identified": unknown[0], "total_duration_in_seconds": unknown[1]},
    })


def iso(text):
    """Range time in the metrics: ISO text without offset, microseconds, as the service writes it."""
    return _dt.datetime.fromisoformat(text).isoformat(timespec="microseconds")


# --- the valid lifecycle -----------------------------------------------------

COMPRESSOR = {"compressor": ["InletPressure", "OutletPressure", "Vibration", "BearingTemp"],
              "motor": ["Current", "Speed"]}


def first_training_in_progress():
    arn = model_arn("bearing-line-3", "3c1f9e27-4b8a-4d61-9e0c-7a2b5d8f1e43", region="eu-west-1")
    return {
        "ModelName": "bearing-line-3",
        "ModelArn": arn,
        "DatasetName": "bearing-line-sensors",
        "DatasetArn": dataset_arn("bearing-line-sensors", "9e4d7a1b-2c3f-4e5a-8b6c-1d0f2e3a4b5c", region="eu-west-1"),
        "Schema": schema_of({"bearing-3": ["Vibration", "Temperature", "Load"]}),
        "TrainingDataStartTime": epoch("2023-01-01T00:00:00"),
        "TrainingDataEndTime": epoch("2023-07-01T00:00:00"),
        "EvaluationDataStartTime": epoch("2023-07-01T00:00:00"),
        "EvaluationDataEndTime": epoch("2023-09-01T00:00:00"),
        "RoleArn": "arn:aws:iam::123456789012:role/LookoutEquipmentBearingRole",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT10M"},
        "Status": "IN_PROGRESS",
        "TrainingExecutionStartTime": epoch("2023-09-12T14:03:22.418"),
        "LastUpdatedTime": epoch("2023-09-12T14:03:22.418"),
        "CreatedAt": epoch("2023-09-12T14:02:57.093"),
    }


def trained_unlabeled():
    arn = model_arn("compressor-12", "a41d6e09-8f3b-4c27-b5e1-0d9c8a7f6e21")
    sensors = [f"{c}\\{s}" for c, cols in COMPRESSOR.items() for s in cols]
    return {
        "ModelName": "compressor-12",
        "ModelArn": arn,
        "DatasetName": "compressor-fleet",
        "DatasetArn": dataset_arn("compressor-fleet", "5b2e8c41-7d9a-4f03-a6b8-3e1c0d2f9a87"),
        "Schema": schema_of(COMPRESSOR),
        "TrainingDataStartTime": epoch("2022-06-01T00:00:00"),
        "TrainingDataEndTime": epoch("2023-03-01T00:00:00"),
        "EvaluationDataStartTime": epoch("2023-03-01T00:00:00"),
        "EvaluationDataEndTime": epoch("2023-06-01T00:00:00"),
        "RoleArn": "arn:aws:iam::123456789012:role/LookoutEquipmentCompressorRole",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT1M"},
        "Status": "SUCCESS",
        "TrainingExecutionStartTime": epoch("2023-06-20T08:15:11.207"),
        "TrainingExecutionEndTime": epoch("2023-06-20T09:41:36.880"),
        "ModelMetrics": metrics_of(
            [], [(iso("2023-04-11T02:10:00"), iso("2023-04-11T19:35:00"),
                  dict(zip(sensors, (0.07, 0.11, 0.46, 0.21, 0.09, 0.06))))],
            unknown=(1, 62700)),
        "LastUpdatedTime": epoch("2023-06-20T09:41:37.102"),
        "CreatedAt": epoch("2023-06-20T08:14:49.556"),
        "ActiveModelVersion": 1,
        "ActiveModelVersionArn": version(arn, 1),
        "ModelVersionActivatedAt": epoch("2023-06-20T09:41:37.102"),
        "ModelQuality": "CANNOT_DETERMINE_QUALITY",
    }


def training_failed():
    arn = model_arn("turbine-4", "e7b3c2d1-0a9f-4e8d-b7c6-5a4f3e2d1c0b")
    return {
        "ModelName": "turbine-4",
        "ModelArn": arn,
        "DatasetName": "gas-turbine-4",
        "DatasetArn": dataset_arn("gas-turbine-4", "1f0e9d8c-7b6a-4594-8372-6150f4e3d2c1"),
        "Schema": schema_of({"turbine": ["ExhaustTemp", "ShaftSpeed", "FuelFlow"]}),
        "TrainingDataStartTime": epoch("2023-05-01T00:00:00"),
        "TrainingDataEndTime": epoch("2023-05-08T00:00:00"),
        "EvaluationDataStartTime": epoch("2023-05-08T00:00:00"),
        "EvaluationDataEndTime": epoch("2023-05-15T00:00:00"),
        "RoleArn": "arn:aws:iam::123456789012:role/LookoutEquipmentTurbineRole",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT1M"},
        "Status": "FAILED",
        "TrainingExecutionStartTime": epoch("2023-05-20T11:00:02.614"),
        "TrainingExecutionEndTime": epoch("2023-05-20T11:09:45.330"),
        "FailedReason": ("Training data for component turbine covers 7 days; at least 14 days of "
                         "data with valid rows are required to train a model."),
        "LastUpdatedTime": epoch("2023-05-20T11:09:45.330"),
        "CreatedAt": epoch("2023-05-20T10:59:40.021"),
    }


def trained_labelled_s3():
    """examples.valid_wire(): labelled by S3, KMS key, OffCondition, diagnostics output."""
    return examples.valid_wire()


SOURCE_ARN = version(examples.MODEL_ARN, 1)  # centrifugal-pump-7 v1, shared into another account


def imported_from_another_account():
    arn = model_arn("plant-b-pump-7", "c9d8e7f6-a5b4-4c3d-9e2f-1a0b9c8d7e6f", account="210987654321")
    doc = examples.valid_wire()
    for m in ("LabelsInputConfiguration", "TrainingExecutionStartTime", "TrainingExecutionEndTime",
              "ServerSideKmsKeyId", "OffCondition", "ModelDiagnosticsOutputConfiguration"):
        del doc[m]
    doc.update({
        "ModelName": "plant-b-pump-7",
        "ModelArn": arn,
        "DatasetName": "plant-b-pump-sensors",
        "DatasetArn": dataset_arn("plant-b-pump-sensors", "d2c3b4a5-9687-4f1e-8d2c-3b4a59687f1e",
                                  account="210987654321"),
        "RoleArn": "arn:aws:iam::210987654321:role/LookoutEquipmentImportRole",
        "ModelMetrics": metrics_of(
            [], [(iso("2022-10-16T18:25:00"), iso("2022-10-19T11:40:00"),
                  {"centrifugal-pump\\Sensor0": 0.41, "centrifugal-pump\\Sensor2": 0.33, "motor\\Current": 0.26})],
            unknown=(1, 235500)),
        "CreatedAt": epoch("2023-08-02T13:20:04.338"),
        "SourceModelVersionArn": SOURCE_ARN,
        "ImportJobStartTime": epoch("2023-08-02T13:20:04.912"),
        "ImportJobEndTime": epoch("2023-08-02T13:31:47.065"),
        "LastUpdatedTime": epoch("2023-08-02T13:31:47.065"),
        "ActiveModelVersion": 1,
        "ActiveModelVersionArn": version(arn, 1),
        "ModelVersionActivatedAt": epoch("2023-08-02T13:31:47.065"),
        "ModelQuality": "CANNOT_DETERMINE_QUALITY",
    })
    return doc


def import_in_progress():
    arn = model_arn("centrifugal-pump-7-staging", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
    return {
        "ModelName": "centrifugal-pump-7-staging",
        "ModelArn": arn,
        "DatasetName": "pump-station-sensors-staging",
        "DatasetArn": dataset_arn("pump-station-sensors-staging", "6e5d4c3b-2a19-4087-b6a5-c4d3e2f1a0b9"),
        "RoleArn": "arn:aws:iam::123456789012:role/service-role/LookoutEquipmentPumpRole",
        "Status": "IMPORT_IN_PROGRESS",
        "LastUpdatedTime": epoch("2023-09-05T07:44:18.527"),
        "CreatedAt": epoch("2023-09-05T07:44:17.990"),
        "SourceModelVersionArn": SOURCE_ARN,
        "ImportJobStartTime": epoch("2023-09-05T07:44:18.527"),
    }


FEEDWATER = {"feedwater-pump": ["DischargePressure", "FlowRate", "Vibration"],
             "drive-motor": ["Current", "WindingTemp"]}


def retrained_by_scheduler():
    arn = model_arn("feedwater-pump-2", "4d5e6f70-8192-4a3b-bc4d-5e6f70819a2b")
    sensors = [f"{c}\\{s}" for c, cols in FEEDWATER.items() for s in cols]
    labeled = [(iso("2023-11-07T03:00:00"), iso("2023-11-08T12:00:00"))]
    return {
        "ModelName": "feedwater-pump-2",
        "ModelArn": arn,
        "DatasetName": "feedwater-pumps",
        "DatasetArn": dataset_arn("feedwater-pumps", "7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d"),
        "Schema": schema_of(FEEDWATER),
        "LabelsInputConfiguration": {"LabelGroupName": "feedwater-pump-2-failures"},
        "TrainingDataStartTime": epoch("2023-06-04T00:00:00"),
        "TrainingDataEndTime": epoch("2023-10-02T00:00:00"),
        "EvaluationDataStartTime": epoch("2023-10-02T00:00:00"),
        "EvaluationDataEndTime": epoch("2023-12-01T00:00:00"),
        "RoleArn": "arn:aws:iam::123456789012:role/LookoutEquipmentFeedwaterRole",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT5M"},
        "Status": "SUCCESS",
        "TrainingExecutionStartTime": epoch("2023-12-01T00:04:12.730"),
        "TrainingExecutionEndTime": epoch("2023-12-01T01:52:40.118"),
        "ModelMetrics": metrics_of(
            labeled, [(iso("2023-11-06T21:30:00"), iso("2023-11-08T09:15:00"),
                       dict(zip(sensors, (0.18, 0.07, 0.44, 0.22, 0.09))))],
            warning_seconds=19800),
        "LastUpdatedTime": epoch("2023-12-01T01:52:41.004"),
        "CreatedAt": epoch("2023-03-02T16:40:05.871"),
        "ActiveModelVersion": 3,
        "ActiveModelVersionArn": version(arn, 3),
        "ModelVersionActivatedAt": epoch("2023-12-01T01:52:41.004"),
        "PreviousActiveModelVersion": 2,
        "PreviousActiveModelVersionArn": version(arn, 2),
        "PreviousModelVersionActivatedAt": epoch("2023-10-01T01:47:19.563"),
        "PriorModelMetrics": metrics_of(
            labeled, [(iso("2023-11-07T09:45:00"), iso("2023-11-08T10:05:00"),
                       dict(zip(sensors, (0.25, 0.10, 0.31, 0.19, 0.15))))],
            warning_seconds=8100),
        "LatestScheduledRetrainingStatus": "SUCCESS",
        "LatestScheduledRetrainingModelVersion": 3,
        "LatestScheduledRetrainingStartTime": epoch("2023-12-01T00:00:00"),
        "LatestScheduledRetrainingAvailableDataInDays": 180,
        "NextScheduledRetrainingStartDate": epoch("2024-01-30T00:00:00"),
        "AccumulatedInferenceDataStartTime": epoch("2023-10-01T01:50:00"),
        "AccumulatedInferenceDataEndTime": epoch("2023-11-30T23:55:00"),
        "RetrainingSchedulerStatus": "RUNNING",
        "ModelQuality": "QUALITY_THRESHOLD_MET",
    }


def rolled_back():
    """Version 2 was activated, then version 1 again: the previous version is the higher one."""
    arn = model_arn("chiller-5", "8f9e0d1c-2b3a-4495-a6b7-c8d9e0f1a2b3")
    doc = {
        "ModelName": "chiller-5",
        "ModelArn": arn,
        "DatasetName": "chiller-plant",
        "DatasetArn": dataset_arn("chiller-plant", "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901"),
        "Schema": schema_of({"chiller": ["SupplyTemp", "ReturnTemp", "CompressorAmps", "CondenserPressure"]}),
        "LabelsInputConfiguration": {"LabelGroupName": "chiller-5-trips"},
        "TrainingDataStartTime": epoch("2022-04-01T00:00:00"),
        "TrainingDataEndTime": epoch("2023-01-01T00:00:00"),
        "EvaluationDataStartTime": epoch("2023-01-01T00:00:00"),
        "EvaluationDataEndTime": epoch("2023-04-01T00:00:00"),
        "RoleArn": "arn:aws:iam::123456789012:role/LookoutEquipmentChillerRole",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT15M"},
        "Status": "SUCCESS",
        "TrainingExecutionStartTime": epoch("2023-04-18T10:12:09.441"),
        "TrainingExecutionEndTime": epoch("2023-04-18T11:02:55.918"),
        "ModelMetrics": metrics_of(
            [(iso("2023-02-14T05:00:00"), iso("2023-02-14T17:00:00")),
             (iso("2023-03-09T22:00:00"), iso("2023-03-10T04:00:00"))],
            [(iso("2023-02-13T23:45:00"), iso("2023-02-14T16:30:00"),
              {"chiller\\SupplyTemp": 0.12, "chiller\\ReturnTemp": 0.09,
               "chiller\\CompressorAmps": 0.55, "chiller\\CondenserPressure": 0.24})],
            identified=1, warning_seconds=18900),
        "LastUpdatedTime": epoch("2023-05-03T15:26:31.207"),
        "CreatedAt": epoch("2023-01-10T09:30:12.775"),
        "ActiveModelVersion": 1,
        "ActiveModelVersionArn": version(arn, 1),
        "ModelVersionActivatedAt": epoch("2023-05-03T15:26:31.207"),
        "PreviousActiveModelVersion": 2,
        "PreviousActiveModelVersionArn": version(arn, 2),
        "PreviousModelVersionActivatedAt": epoch("2023-04-18T11:02:56.330"),
        "ModelQuality": "POOR_QUALITY_DETECTED",
    }
    return doc


CONVEYOR = {"conveyor": ["BeltSpeed", "Tension"], "gearbox": ["OilTemp", "Vibration"]}


def scheduled_retraining_failed():
    arn = model_arn("conveyor-motor-1", "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f")
    sensors = [f"{c}\\{s}" for c, cols in CONVEYOR.items() for s in cols]
    return {
        "ModelName": "conveyor-motor-1",
        "ModelArn": arn,
        "DatasetName": "conveyor-line",
        "DatasetArn": dataset_arn("conveyor-line", "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"),
        "Schema": schema_of(CONVEYOR),
        "TrainingDataStartTime": epoch("2023-02-01T00:00:00"),
        "TrainingDataEndTime": epoch("2023-06-01T00:00:00"),
        "EvaluationDataStartTime": epoch("2023-06-01T00:00:00"),
        "EvaluationDataEndTime": epoch("2023-08-01T00:00:00"),
        "RoleArn": "arn:aws:iam::123456789012:role/LookoutEquipmentConveyorRole",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT1M"},
        "Status": "SUCCESS",
        "TrainingExecutionStartTime": epoch("2023-08-01T00:03:48.015"),
        "TrainingExecutionEndTime": epoch("2023-08-01T00:58:12.660"),
        "ModelMetrics": metrics_of(
            [], [(iso("2023-07-03T13:20:00"), iso("2023-07-03T18:45:00"), dict(zip(sensors, (0.1, 0.2, 0.3, 0.4))))],
            unknown=(1, 19500)),
        "LastUpdatedTime": epoch("2023-10-01T00:21:40.312"),
        "CreatedAt": epoch("2023-02-20T12:00:31.448"),
        "ActiveModelVersion": 2,
        "ActiveModelVersionArn": version(arn, 2),
        "ModelVersionActivatedAt": epoch("2023-08-01T00:58:13.021"),
        "PreviousActiveModelVersion": 1,
        "PreviousActiveModelVersionArn": version(arn, 1),
        "PreviousModelVersionActivatedAt": epoch("2023-02-20T13:05:44.179"),
        "LatestScheduledRetrainingFailedReason": ("Not enough new data: the dataset has 12 days of data after "
                                                  "the last training range, fewer than the 60 days the "
                                                  "lookback window requires."),
        "LatestScheduledRetrainingStatus": "FAILED",
        "LatestScheduledRetrainingModelVersion": 3,
        "LatestScheduledRetrainingStartTime": epoch("2023-10-01T00:00:00"),
        "LatestScheduledRetrainingAvailableDataInDays": 12,
        "NextScheduledRetrainingStartDate": epoch("2023-12-01T00:00:00"),
        "AccumulatedInferenceDataStartTime": epoch("2023-09-19T00:00:00"),
        "AccumulatedInferenceDataEndTime": epoch("2023-09-30T23:59:00"),
        "RetrainingSchedulerStatus": "RUNNING",
        "ModelQuality": "CANNOT_DETERMINE_QUALITY",
    }


def scheduled_retraining_canceled():
    doc = scheduled_retraining_failed()
    arn = model_arn("boiler-feed-3", "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
    for m in ("LatestScheduledRetrainingFailedReason", "LatestScheduledRetrainingModelVersion",
              "NextScheduledRetrainingStartDate", "LatestScheduledRetrainingAvailableDataInDays"):
        del doc[m]
    doc.update({
        "ModelName": "boiler-feed-3",
        "ModelArn": arn,
        "DatasetName": "boiler-house",
        "DatasetArn": dataset_arn("boiler-house", "3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7"),
        "RoleArn": "arn:aws:iam::123456789012:role/LookoutEquipmentBoilerRole",
        "ActiveModelVersionArn": version(arn, 2),
        "PreviousActiveModelVersionArn": version(arn, 1),
        "LatestScheduledRetrainingStatus": "CANCELED",
        "RetrainingSchedulerStatus": "STOPPED",
        "LastUpdatedTime": epoch("2023-10-01T00:07:02.950"),
    })
    return doc


def gov_cloud_labelled_s3():
    region, account, part = "us-gov-west-1", "345678901234", "aws-us-gov"
    arn = model_arn("hydro-turbine-9", "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e", region, account, part)
    key = f"arn:{part}:kms:{region}:{account}:key/mrk-4c1e9a0b7d2f4e6a8b3c5d7e9f1a2b3c"
    return {
        "ModelName": "hydro-turbine-9",
        "ModelArn": arn,
        "DatasetName": "hydro-plant-9",
        "DatasetArn": dataset_arn("hydro-plant-9", "8c9d0e1f-2a3b-4c4d-9e5f-6a7b8c9d0e1f", region, account, part),
        "Schema": schema_of({"turbine": ["GuideVaneAngle", "Flow", "Vibration"], "generator": ["StatorTemp"]}),
        "LabelsInputConfiguration": {"S3InputConfiguration": {"Bucket": "hydro-l4e-data", "Prefix": "labels/turbine-9/"}},
        "TrainingDataStartTime": epoch("2022-01-01T00:00:00"),
        "TrainingDataEndTime": epoch("2022-12-01T00:00:00"),
        "EvaluationDataStartTime": epoch("2022-12-01T00:00:00"),
        "EvaluationDataEndTime": epoch("2023-03-01T00:00:00"),
        "RoleArn": f"arn:{part}:iam::{account}:role/LookoutEquipmentHydroRole",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT30S"},
        "Status": "SUCCESS",
        "TrainingExecutionStartTime": epoch("2023-03-06T17:45:30.062"),
        "TrainingExecutionEndTime": epoch("2023-03-06T20:13:08.551"),
        "ModelMetrics": metrics_of(
            [(iso("2023-01-21T08:00:00"), iso("2023-01-22T08:00:00"))],
            [(iso("2023-01-23T02:00:00"), iso("2023-01-23T03:30:00"),
              {"turbine\\GuideVaneAngle": 0.3, "turbine\\Flow": 0.2, "turbine\\Vibration": 0.4,
               "generator\\StatorTemp": 0.1})],
            identified=0, unknown=(1, 5400)),
        "LastUpdatedTime": epoch("2023-03-06T20:13:09.027"),
        "CreatedAt": epoch("2023-03-06T17:44:51.639"),
        "ServerSideKmsKeyId": key,
        "OffCondition": "turbine\\Flow<0.5",
        "ActiveModelVersion": 1,
        "ActiveModelVersionArn": version(arn, 1),
        "ModelVersionActivatedAt": epoch("2023-03-06T20:13:09.027"),
        "ModelDiagnosticsOutputConfiguration": {
            "S3OutputConfiguration": {"Bucket": "hydro-l4e-data",
                                      "Prefix": "diagnostics/turbine-9/model_diagnostics_results.json.gz"},
            "KmsKeyId": key,
        },
        "ModelQuality": "POOR_QUALITY_DETECTED",
    }


# name -> (builder, how the parsed file writes its datetimes: (style, tz))
VALID = {
    "01-first-training-in-progress": (first_training_in_progress, ("isoformat", UTC)),
    "02-trained-unlabeled": (trained_unlabeled, ("str", UTC)),
    "03-trained-labelled-s3-kms-off-condition-diagnostics": (trained_labelled_s3, ("isoformat", UTC)),
    "04-training-failed": (training_failed, ("isoformat", UTC)),
    "05-imported-from-another-account": (imported_from_another_account, ("isoformat", UTC)),
    "06-import-in-progress": (import_in_progress, ("isoformat", UTC)),
    "07-retrained-by-scheduler-label-group": (retrained_by_scheduler, ("isoformat", UTC)),
    "08-rolled-back-to-older-version": (rolled_back, ("str", UTC)),
    "09-scheduled-retraining-failed": (scheduled_retraining_failed, ("isoformat", UTC)),
    "10-scheduled-retraining-canceled": (scheduled_retraining_canceled,
                                         ("isoformat", _dt.timezone(_dt.timedelta(hours=9)))),
    "11-aws-us-gov-labelled-s3-kms": (gov_cloud_labelled_s3, ("isoformat", UTC)),
}


# --- parsed form: botocore's own parser ---------------------------------------

def _request_id(name: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"l4e-contract/recordings/{name}"))


def to_parsed(name: str, wire: dict, style: str, tz) -> dict:
    """What boto3's describe_model returns for this body, dumped as users dump it."""
    from botocore.parsers import create_parser

    from l4e_contract.contract.generate import service_model

    body = json.dumps(wire).encode()
    rid = _request_id(name)
    headers = {"x-amzn-requestid": rid, "content-type": "application/x-amz-json-1.0",
               "content-length": str(len(body)), "date": "Tue, 05 Dec 2023 10:00:00 GMT"}
    shape = service_model().operation_model("DescribeModel").output_shape
    parsed = create_parser("json").parse({"body": body, "headers": headers, "status_code": 200}, shape)
    # boto3's client adds these two after parsing
    parsed["ResponseMetadata"].update(HTTPStatusCode=200, RetryAttempts=0)
    out = {}
    for k, v in parsed.items():
        if isinstance(v, _dt.datetime):
            v = v.astimezone(tz)  # botocore gives tzlocal(); show the offset a user's machine would
            v = v.isoformat() if style == "isoformat" else str(v)
        out[k] = v
    return out


# --- invalid: each breaks exactly the named error rule -------------------------

def _without(doc, *members):
    for m in members:
        del doc[m]
    return doc


def _with(doc, **members):
    doc.update(members)
    return doc


def _long_metrics():
    """ModelMetrics of a model that flags many short anomalies: a real JSON document over 50,000 characters."""
    m = copy.deepcopy(examples.METRICS)
    diag = m["predicted_ranges"][0]["diagnostics"]
    start = _dt.datetime(2022, 10, 1)
    m["predicted_ranges"] = [
        {"start": iso((start + _dt.timedelta(hours=6 * i)).isoformat()),
         "end": iso((start + _dt.timedelta(hours=6 * i, minutes=35)).isoformat()),
         "diagnostics": diag}
        for i in range(120)]
    m["unknown_event_metrics"] = {"num_identified": 118, "total_duration_in_seconds": 118 * 2100}
    return json.dumps(m)


def _pump_parsed():
    return examples.valid_parsed()


def _previous_without_active():
    doc = import_in_progress()
    return _with(doc, PreviousActiveModelVersion=1, PreviousActiveModelVersionArn=version(doc["ModelArn"], 1),
                 PreviousModelVersionActivatedAt=epoch("2023-09-01T09:12:40.300"))


P = examples.valid_wire


SERVICE_EVENTS = ("CreatedAt", "LastUpdatedTime", "TrainingExecutionStartTime", "TrainingExecutionEndTime",
                  "ModelVersionActivatedAt")


def _events_unset():
    """A classic mock fault: every event of the service 0, an unset value sent as a time."""
    return _with(P(), **{m: 0.0 for m in SERVICE_EVENTS})


def _data_unset():
    """Every data time 0, on a model still in its first training (no metrics yet)."""
    return _with(first_training_in_progress(), **{m: 0.0 for m in ("TrainingDataStartTime", "TrainingDataEndTime",
                                                                   "EvaluationDataStartTime", "EvaluationDataEndTime")})

INVALID = {
    "form.object": lambda: [P()],
    "schema.enum": lambda: _with(P(), DataPreProcessingConfiguration={"TargetSamplingRate": "PT2M"}),
    "schema.maxLength": lambda: _with(training_failed(), FailedReason=(
        "Training data for component motor has no valid rows in the evaluation range. " * 70)[:5001]),
    "schema.minLength": lambda: _with(P(), ModelMetrics=""),
    "schema.minimum": lambda: _with(P(), ActiveModelVersion=0, ActiveModelVersionArn=version(examples.MODEL_ARN, 0)),
    "schema.pattern": lambda: _with(P(), LabelsInputConfiguration={
        "S3InputConfiguration": {"Bucket": examples.BUCKET, "Prefix": "labels/centrifugal-pump-7"}}),
    "schema.required": lambda: _without(P(), "CreatedAt"),
    "schema.type": lambda: _with(P(), ActiveModelVersion="1"),
    "schema.timestamp": lambda: _with(_pump_parsed(), CreatedAt="2023-03-14T09:26:53.123000"),
    "form.timestamp-form": lambda: _with(_pump_parsed(), LastUpdatedTime=epoch("2023-03-14T10:48:05.761")),
    "form.timestamp-valid": lambda: _with(_pump_parsed(), CreatedAt="2023-02-29T09:26:53.123000+00:00"),
    "arn.model-name": lambda: _with(P(), ModelName="centrifugal-pump-07"),
    "arn.dataset-name": lambda: _with(P(), DatasetName="pump-station-sensors-v2"),
    "arn.partition": lambda: _with(P(), RoleArn="arn:aws-cn:iam::123456789012:role/service-role/LookoutEquipmentPumpRole"),
    "arn.same-home": lambda: _with(P(), DatasetArn=examples.DATASET_ARN.replace("us-east-1", "eu-west-1")),
    "embedded.metrics-json": lambda: _with(P(), ModelMetrics=P()["ModelMetrics"][:700]),
    "embedded.metrics-range-order": lambda: _with(P(), ModelMetrics=P()["ModelMetrics"].replace(
        '"start": "2022-10-18T06:00:00.000000", "end": "2022-10-19T14:30:00.000000"',
        '"start": "2022-10-19T14:30:00.000000", "end": "2022-10-18T06:00:00.000000"')),
    "embedded.schema-json": lambda: _with(P(), Schema=str(examples.SCHEMA)),
    "prose.next-retraining-utc-day": lambda: _with(retrained_by_scheduler(),
                                                  NextScheduledRetrainingStartDate=epoch("2024-01-30T08:00:00")),
    "prose.unlabeled-quality": lambda: _with(trained_unlabeled(), ModelQuality="QUALITY_THRESHOLD_MET"),
    "time.accumulated-inference": lambda: _with(retrained_by_scheduler(),
                                               AccumulatedInferenceDataEndTime=epoch("2023-09-30T23:55:00")),
    "time.activation-order": lambda: _with(retrained_by_scheduler(),
                                          PreviousModelVersionActivatedAt=epoch("2023-12-01T02:47:19.563")),
    "time.created-before-activation": lambda: _with(P(), ModelVersionActivatedAt=epoch("2023-03-13T10:48:05.761")),
    "time.created-before-retraining": lambda: _with(retrained_by_scheduler(),
                                                   LatestScheduledRetrainingStartTime=epoch("2023-02-01T00:00:00")),
    "time.created-before-training": lambda: _with(P(), TrainingExecutionStartTime=epoch("2023-03-14T09:20:00.000")),
    "time.created-before-updated": lambda: _with(P(), LastUpdatedTime=epoch("2023-03-14T04:48:05.761")),
    "time.evaluation-data-range": lambda: _with(P(), EvaluationDataEndTime=epoch("2022-09-30T00:00:00")),
    "time.import-job": lambda: _with(imported_from_another_account(), ImportJobEndTime=epoch("2023-08-02T12:31:47.065")),
    "time.training-data-range": lambda: _with(P(), TrainingDataEndTime=epoch("2021-10-01T00:00:00")),
    "time.training-execution": lambda: _with(P(), TrainingExecutionEndTime=epoch("2023-03-14T08:48:05.204")),
    "version.arn-belongs-to-model": lambda: _with(P(), ActiveModelVersionArn=version(
        examples.MODEL_ARN.replace("7f3e2b1c-9a4d-4e8f-b2c6-5d1a0e9f8c34", "2d8e4f60-1b3c-4a5d-9e7f-0a1b2c3d4e5f"), 1)),
    "version.arn-number": lambda: _with(P(), ActiveModelVersionArn=version(examples.MODEL_ARN, 2)),
    "time.plausible-event": _events_unset,
    "time.plausible-data": _data_unset,
    "import.end-needs-start": lambda: _with(P(), ImportJobEndTime=epoch("2023-03-14T09:40:12.300")),
}


# --- warnings: valid, with exactly the named warning ---------------------------

WARNINGS = {
    "schema.unknown-member": lambda: _with(P(), RetrainingFrequency="P30D"),
    "arn.kms-region": lambda: _with(P(), ServerSideKmsKeyId=examples.KMS_KEY_ARN.replace("us-east-1", "us-west-2")),
    "arn.role-account": lambda: _with(P(), RoleArn="arn:aws:iam::444455556666:role/LookoutEquipmentSharedRole"),
    "arn.source-version-region": lambda: _with(imported_from_another_account(),
                                              SourceModelVersionArn=SOURCE_ARN.replace("us-east-1", "eu-west-1")),
    "embedded.metrics-counts": lambda: _with(P(), ModelMetrics=P()["ModelMetrics"].replace(
        '"num_labeled": 2, "num_identified": 2', '"num_labeled": 2, "num_identified": 3')),
    "embedded.metrics-sensor-names": lambda: _with(P(), ModelMetrics=P()["ModelMetrics"].replace(
        "motor\\\\Speed", "motor\\\\Rpm")),
    "embedded.off-condition-sensor": lambda: _with(P(), OffCondition="motor\\Rpm<500"),
    "embedded.schema-column-types": lambda: _with(P(), Schema=P()["Schema"].replace(
        '{"Name":"Speed","Type":"DOUBLE"}', '{"Name":"Speed","Type":"DOUBLE"},{"Name":"ValveState","Type":"STRING"}')),
    "import.in-progress-has-source": lambda: _without(import_in_progress(), "SourceModelVersionArn", "ImportJobStartTime"),
    "prose.diagnostics-prefix-file": lambda: _with(P(), ModelDiagnosticsOutputConfiguration={
        "S3OutputConfiguration": {"Bucket": examples.BUCKET, "Prefix": "diagnostics/centrifugal-pump-7/"},
        "KmsKeyId": examples.KMS_KEY_ARN}),
    "prose.labeled-quality": lambda: _with(P(), ModelQuality="CANNOT_DETERMINE_QUALITY"),
    "prose.labels-source": lambda: _with(P(), LabelsInputConfiguration={
        "S3InputConfiguration": {"Bucket": examples.BUCKET, "Prefix": "labels/centrifugal-pump-7/"},
        "LabelGroupName": "centrifugal-pump-7-labels"}),
    "retraining.reason-only-when-failed": lambda: _with(retrained_by_scheduler(), LatestScheduledRetrainingFailedReason=(
        "Not enough new data: the dataset has 20 days of data after the last training range.")),
    "retraining.schedule-has-scheduler": lambda: _without(retrained_by_scheduler(), "RetrainingSchedulerStatus"),
    "status.in-progress-not-finished": lambda: _with(first_training_in_progress(),
                                                    TrainingExecutionEndTime=epoch("2023-09-12T15:20:41.006")),
    "status.metrics-need-training": lambda: _with(training_failed(), ModelQuality="CANNOT_DETERMINE_QUALITY"),
    "status.reason-only-when-failed": lambda: _with(P(), FailedReason=(
        "Training data for component motor has no valid rows in the evaluation range.")),
    "status.success-has-active-version": lambda: _without(imported_from_another_account(), "ActiveModelVersion",
                                                          "ActiveModelVersionArn", "ModelVersionActivatedAt"),
    "time.created-before-import": lambda: _with(imported_from_another_account(),
                                               ImportJobStartTime=epoch("2023-08-02T13:19:58.004")),
    "time.evaluation-after-training": lambda: _with(P(), EvaluationDataStartTime=epoch("2022-09-01T00:00:00")),
    "time.next-retraining-after-latest": lambda: _with(retrained_by_scheduler(),
                                                      NextScheduledRetrainingStartDate=epoch("2023-11-30T00:00:00")),
    "version.previous-differs": lambda: _with(retrained_by_scheduler(), PreviousActiveModelVersion=3,
                                             PreviousActiveModelVersionArn=retrained_by_scheduler()["ActiveModelVersionArn"]),
    "version.retrained-number": lambda: _with(retrained_by_scheduler(), LatestScheduledRetrainingModelVersion=1),
    "embedded.off-condition": lambda: _with(P(), OffCondition="Speed<500"),
    "import.fields-together": lambda: _without(imported_from_another_account(), "ImportJobStartTime", "ImportJobEndTime"),
    "retraining.details-need-status": lambda: _without(retrained_by_scheduler(), "LatestScheduledRetrainingStatus"),
    "retraining.failed-has-reason": lambda: _without(scheduled_retraining_failed(), "LatestScheduledRetrainingFailedReason"),
    "retraining.success-has-version": lambda: _without(retrained_by_scheduler(), "LatestScheduledRetrainingModelVersion"),
    "status.failed-has-reason": lambda: _without(training_failed(), "FailedReason"),
    "status.success-trained": lambda: _without(P(), "TrainingExecutionEndTime"),
    "version.activation-time": lambda: _without(P(), "ModelVersionActivatedAt"),
    "version.arn-pair": lambda: _without(P(), "ActiveModelVersionArn"),
    "version.previous-requires-active": _previous_without_active,
    "time.after-end-of-support": lambda: _with(P(), LastUpdatedTime=epoch("2026-10-20T08:00:00")),
    "embedded.metrics-shape": lambda: _with(P(), ModelMetrics=P()["ModelMetrics"].replace(
        '"num_labeled": 2,', '"num_labeled": "2",')),
    "embedded.metrics-in-evaluation-window": lambda: _with(P(), ModelMetrics=P()["ModelMetrics"].replace(
        '"start": "2022-10-16T18:25:00.000000"', '"start": "2022-09-16T18:25:00.000000"')),
    "embedded.metrics-size": lambda: _with(P(), ModelMetrics=_long_metrics()),
    "embedded.metrics-diagnostics-sum": lambda: _with(P(), ModelMetrics=P()["ModelMetrics"].replace(
        '"value": 0.31}', '"value": 0.61}')),
}


# --- issue 11: whole ARNs and names, numbers (rules/arn_form.py, rules/numbers.py) ---------

def _all_arns_in_partition(doc, partition):
    """Every ARN of the response moved to `partition`, so they still agree with one another."""
    return json.loads(json.dumps(doc).replace('"arn:aws:', f'"arn:{partition}:'))


INVALID.update({
    "schema.maximum": lambda: _with(retrained_by_scheduler(), LatestScheduledRetrainingAvailableDataInDays=2**31),
    "arn.model-form": lambda: _with(training_failed(), ModelArn=version(training_failed()["ModelArn"], 1)),
    "arn.dataset-form": lambda: _with(P(), DatasetArn=examples.DATASET_ARN.replace("sensors/", "sensors//")),
    "arn.version-form": lambda: _with(imported_from_another_account(),
                                     SourceModelVersionArn=SOURCE_ARN.replace("/model-version/", "/v2/model-version/")),
    "arn.role-form": lambda: _with(P(), RoleArn=f"arn:aws:iam::{examples.ACCOUNT}:role//LookoutEquipmentPumpRole"),
    "arn.kms-form": lambda: _with(P(), ServerSideKmsKeyId=examples.KMS_KEY_ARN + "/rotated"),
    "arn.region": lambda: _with(P(), ModelDiagnosticsOutputConfiguration={
        **P()["ModelDiagnosticsOutputConfiguration"], "KmsKeyId": examples.KMS_KEY_ARN.replace(":us-east-1:", "::")}),
    "name.s3-bucket": lambda: _with(P(), LabelsInputConfiguration={
        "S3InputConfiguration": {"Bucket": "192.168.5.4", "Prefix": "labels/centrifugal-pump-7/"}}),
    "retraining.days-not-negative": lambda: _with(retrained_by_scheduler(), LatestScheduledRetrainingAvailableDataInDays=-30),
    "form.wire-integer": lambda: _with(P(), ActiveModelVersion=1.0),
    "form.wire-timestamp-range": lambda: _with(P(), LastUpdatedTime=99999999999999999),
})

WARNINGS.update({
    "arn.partition-known": lambda: _all_arns_in_partition(P(), "aws-mars"),
})


# --- writing -----------------------------------------------------------------

def dumps(doc) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def files() -> dict[str, str]:
    """Relative path under contracts/recordings/ -> file text, for every generated file."""
    out = {}
    for name, (build, (style, tz)) in VALID.items():
        wire = build()
        out[f"valid/wire/{name}.json"] = dumps(wire)
        out[f"valid/parsed/{name}.json"] = dumps(to_parsed(name, wire, style, tz))
    for rule_id, build in INVALID.items():
        out[f"invalid/{rule_id}.json"] = dumps(build())
    for rule_id, build in WARNINGS.items():
        out[f"warnings/{rule_id}.json"] = dumps(build())
    return out


GENERATED_DIRS = ("valid/wire", "valid/parsed", "invalid", "warnings")


def differences(root: Path = ROOT) -> list[str]:
    """What differs between the committed recordings and what this script writes."""
    want = files()
    have = {str(p.relative_to(root)): p for d in GENERATED_DIRS for p in (root / d).glob("*.json")}
    problems = [f"missing: {rel}" for rel in sorted(set(want) - set(have))]
    problems += [f"not generated: {rel}" for rel in sorted(set(have) - set(want))]
    problems += [f"differs: {rel}" for rel in sorted(set(want) & set(have))
                 if have[rel].read_text(encoding="utf-8") != want[rel]]
    return problems


def write(root: Path = ROOT) -> None:
    want = files()
    for d in GENERATED_DIRS:
        (root / d).mkdir(parents=True, exist_ok=True)
        for p in (root / d).glob("*.json"):
            if str(p.relative_to(root)) not in want:
                p.unlink()
    for rel, text in want.items():
        (root / rel).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        diff = differences()
        print("\n".join(diff) or "recordings are up to date")
        sys.exit(1 if diff else 0)
    write()
    print(f"wrote {len(files())} files under {ROOT}")
