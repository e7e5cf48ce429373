"""Issue 11, points 2 and 3: whole ARNs and names, numbers. The classic mock faults are each caught, by the
rule that names them; real-shaped values pass; the bounds the rules state are botocore's own.
"""
from __future__ import annotations

import json

import pytest

import l4e_contract
from l4e_contract.contract import arns, committed
from l4e_contract.contract import generate as schema_gen
from l4e_contract.contract import paths
from l4e_contract.rules import numbers

from examples import ACCOUNT, DATASET_ARN, KMS_KEY_ARN, MODEL_ARN, as_boto3, as_parsed, valid_wire

VERSION_1 = f"{MODEL_ARN}/model-version/1"


def with_model_arn(arn):
    """The trained model named by `arn`, its version ARN following it (as a mock that builds one from the other)."""
    def change(d):
        d["ModelArn"] = arn
        d["ActiveModelVersionArn"] = f"{arn}/model-version/1"
        return d
    return change


def put(**members):
    def change(d):
        d.update(members)
        return d
    return change


def diagnostics_key(key):
    def change(d):
        d["ModelDiagnosticsOutputConfiguration"]["KmsKeyId"] = key
        return d
    return change


def bucket(name):
    return put(LabelsInputConfiguration={"S3InputConfiguration": {"Bucket": name, "Prefix": "labels/"}})


def everything_in(partition, region):
    def change(d):
        return json.loads(json.dumps(d).replace('"arn:aws:', f'"arn:{partition}:').replace(":us-east-1:", f":{region}:"))
    return change


def errors_of(change):
    report = l4e_contract.validate(change(valid_wire()))
    return report.rules, report.warning_rules


# --- the mock faults of the issue: each is caught ------------------------------------------

ARN_FAULTS = {
    "junk before a valid ARN": (with_model_arn("x" + MODEL_ARN), "schema.pattern"),
    "a space before a valid ARN": (with_model_arn(" " + MODEL_ARN), "schema.pattern"),
    "junk after a valid dataset ARN": (put(DatasetArn=DATASET_ARN + " trailing junk"), "arn.dataset-form"),
    "a trailing space": (put(DatasetArn=DATASET_ARN + " "), "arn.dataset-form"),
    "a trailing space on the model, its version following": (with_model_arn(MODEL_ARN + " "),
                                                              {"arn.model-form", "arn.version-form"}),
    "a newline followed by SQL": (put(DatasetArn=DATASET_ARN + "\nDROP TABLE models;"), "schema.pattern"),
    "a model version ARN given as ModelArn": (
        lambda d: {k: v for k, v in put(ModelArn=VERSION_1)(d).items()
                   if k not in ("ActiveModelVersion", "ActiveModelVersionArn", "ModelVersionActivatedAt",
                                "ModelMetrics", "ModelQuality", "TrainingExecutionEndTime")} | {"Status": "IN_PROGRESS"},
        "arn.model-form"),
    "extra path segments": (put(DatasetArn=DATASET_ARN + "/v2/final"), "arn.dataset-form"),
    "a double slash": (with_model_arn(MODEL_ARN.replace("pump-7/", "pump-7//")), {"arn.model-form", "arn.version-form"}),
    "an empty region": (diagnostics_key(KMS_KEY_ARN.replace(":us-east-1:", "::")), "arn.region"),
    "a region of another partition": (diagnostics_key(KMS_KEY_ARN.replace("us-east-1", "cn-north-1")), "arn.region"),
    "a region of no form at all": (diagnostics_key(KMS_KEY_ARN.replace("us-east-1", "useast1")), "arn.region"),
    "a role path '//'": (put(RoleArn=f"arn:aws:iam::{ACCOUNT}:role//PumpRole"), "arn.role-form"),
    "a role name IAM does not allow": (put(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/Pump Role"), "arn.role-form"),
    "a KMS resource that is no key or alias": (put(ServerSideKmsKeyId=KMS_KEY_ARN.replace("key/", "keys/")),
                                               "arn.kms-form"),
    "a diagnostics key that is no KMS identifier": (diagnostics_key("key:1"), "arn.kms-form"),
    "a bucket that is an IP address": (bucket("10.0.0.12"), "name.s3-bucket"),
    "a bucket with two adjacent periods": (bucket("pump..data"), "name.s3-bucket"),
    "a bucket with the xn-- prefix": (bucket("xn--pump"), "name.s3-bucket"),
    "a bucket with the -s3alias suffix": (bucket("pump-s3alias"), "name.s3-bucket"),
}


@pytest.mark.parametrize("label", list(ARN_FAULTS))
def test_each_arn_and_name_fault_is_caught_by_its_rule(label):
    change, rules = ARN_FAULTS[label]
    assert errors_of(change) == (rules if isinstance(rules, set) else {rules}, set())


def test_every_arn_in_a_partition_botocore_does_not_list_is_a_warning():
    assert errors_of(everything_in("aws-mars", "us-east-1")) == (set(), {"arn.partition-known"})


NUMBER_FAULTS = {
    "int32 overflow": (put(LatestScheduledRetrainingAvailableDataInDays=2**31,
                           LatestScheduledRetrainingStatus="IN_PROGRESS"), "schema.maximum"),
    "int32 underflow": (put(LatestScheduledRetrainingAvailableDataInDays=-2**31 - 1,
                            LatestScheduledRetrainingStatus="IN_PROGRESS"), "schema.minimum"),
    "int64 overflow": (put(ActiveModelVersion=2**63, ActiveModelVersionArn=f"{MODEL_ARN}/model-version/{2**63}"),
                       "schema.maximum"),
    "a negative number of days": (put(LatestScheduledRetrainingAvailableDataInDays=-1,
                                      LatestScheduledRetrainingStatus="IN_PROGRESS"), "retraining.days-not-negative"),
    "a wire integer written 1.0": (put(ActiveModelVersion=1.0), "form.wire-integer"),
    "a wire timestamp of 99999999999999999": (put(LastUpdatedTime=99999999999999999), "form.wire-timestamp-range"),
    "a wire timestamp in year 10000": (put(LastUpdatedTime=253402300800), "form.wire-timestamp-range"),
}


@pytest.mark.parametrize("label", list(NUMBER_FAULTS))
def test_each_number_fault_is_caught_by_its_rule(label):
    change, rule = NUMBER_FAULTS[label]
    assert errors_of(change) == ({rule}, set())


def test_a_wire_integer_with_an_exponent_is_caught_as_the_service_body_reads():
    text = json.dumps(valid_wire()).replace('"ActiveModelVersion": 1', '"ActiveModelVersion": 1e0')
    report = l4e_contract.validate(json.loads(text))
    assert report.rules == {"form.wire-integer"} and "fraction or an exponent" in report.violations[0].message


def test_a_float_integer_is_only_a_wire_form_finding():
    # in boto3's dict (or its JSON dump) the float is what botocore handed over: the wire body is at fault
    doc = put(ActiveModelVersion=1.0)(valid_wire())
    assert l4e_contract.validate(as_parsed(doc)).valid and l4e_contract.validate(as_boto3(doc)).valid


def test_the_message_names_why_an_unreadable_timestamp_is_wrong():
    [v] = l4e_contract.validate(put(LastUpdatedTime=99999999999999999)(valid_wire())).violations
    assert v.pointer == "/LastUpdatedTime" and "years 1-9999" in v.message and "boto3 raises" in v.message


# --- real-shaped values pass --------------------------------------------------------------

VALID = {
    "the trained model": lambda d: d,
    "every ARN in aws-cn": everything_in("aws-cn", "cn-north-1"),
    "every ARN in aws-us-gov": everything_in("aws-us-gov", "us-gov-west-1"),
    "a role with no path": put(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/LookoutEquipmentRole"),
    "a role in a deep path": put(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/plants/north/LookoutEquipmentRole"),
    "a KMS alias ARN": put(ServerSideKmsKeyId=f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/lookout-equipment"),
    "a multi-Region key": put(ServerSideKmsKeyId=f"arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab"),
    "a diagnostics key id": diagnostics_key("1234abcd-12ab-34cd-56ef-1234567890ab"),
    "a diagnostics alias name": diagnostics_key("alias/ExampleAlias"),
    "a diagnostics alias ARN": diagnostics_key(f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/ExampleAlias"),
    "a bucket with dots": bucket("pump.data.example"),
    "zero days of data": put(LatestScheduledRetrainingAvailableDataInDays=0, LatestScheduledRetrainingStatus="IN_PROGRESS"),
    "the largest int32": put(LatestScheduledRetrainingAvailableDataInDays=2**31 - 1,
                             LatestScheduledRetrainingStatus="IN_PROGRESS"),
    "exponent-form timestamps (the service's serializer)": put(CreatedAt=1.678786013123e9),
}


@pytest.mark.parametrize("label", list(VALID))
def test_real_shaped_values_pass(label):
    assert errors_of(VALID[label]) == (set(), set())


def test_every_bundled_valid_recording_passes():
    for path in sorted((paths.recordings_dir() / "valid").rglob("*.json")):
        report = l4e_contract.validate(json.loads(path.read_text(encoding="utf-8")))
        assert report.valid and not report.warnings, (path.name, report.explain())


# --- the bounds are botocore's -------------------------------------------------------------

def test_integer_members_are_bounded_by_their_model_type():
    out = schema_gen.service_model().operation_model("DescribeModel").output_shape.members
    ranges = {"integer": (-2**31, 2**31 - 1), "long": (-2**63, 2**63 - 1)}
    checked = 0
    for name, shape in out.items():
        if shape.type_name in ranges:
            low, high = ranges[shape.type_name]
            node = committed.member(name)
            assert node["maximum"] == high and node["minimum"] == shape.metadata.get("min", low), name
            checked += 1
    assert checked == 4  # three versions (long) and the days of data (integer)


def test_the_partitions_and_iam_kms_shapes_are_botocores():
    committed_source = json.loads(paths.source_path().read_text(encoding="utf-8"))
    assert committed_source["partitions"] == schema_gen.partitions()
    assert committed_source["related_shapes"] == schema_gen.related_shapes()
    assert arns.fits_shape("iam.roleNameType", "r" * 64) and not arns.fits_shape("iam.roleNameType", "r" * 65)
    assert arns.fits_shape("iam.pathType", "/a/b/") and not arns.fits_shape("iam.pathType", "//")
    assert arns.fits_shape("kms.AliasNameType", "alias/x") and not arns.fits_shape("kms.AliasNameType", "alias/x y")
    assert arns.fits_shape("no.suchShape", "x") is None  # a shape source.json lacks claims nothing
    assert {"aws", "aws-cn", "aws-us-gov"} <= set(arns.partitions())
    assert arns.region_problem("aws", "us-east-1") is None
    assert arns.region_problem("aws-cn", "cn-north-1") is None
    assert arns.region_problem("aws-us-gov", "us-gov-west-1") is None
    assert arns.region_problem("aws", "cn-north-1") and arns.region_problem("aws-cn", "us-east-1")
    assert arns.region_problem("aws", "") == "has an empty region"


@pytest.fixture
def utc_machine(monkeypatch):
    """botocore tries the machine's local zone first: at the very edges of the range a zone east of UTC
    fails a second earlier. The bound the rule states is UTC's."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("seconds", [
    0, 1.678786013123e9, 99999999999999999, -99999999999999999, numbers.FIRST_READABLE, numbers.FIRST_READABLE - 1,
    numbers.PAST_LAST_READABLE - 0.5, numbers.PAST_LAST_READABLE, 253402300800 + 86400 * 400])
def test_the_rule_says_unreadable_exactly_where_botocores_parser_raises(utc_machine, seconds):
    from botocore.parsers import create_parser

    shape = schema_gen.service_model().operation_model("DescribeModel").output_shape
    body = json.dumps({"ModelName": "pump", "TrainingDataStartTime": seconds}).encode()
    try:
        create_parser("json").parse({"body": body, "headers": {}, "status_code": 200}, shape)
        botocore_reads_it = True
    except Exception:  # RuntimeError or ValueError, whichever botocore's fallbacks end in
        botocore_reads_it = False
    doc = put(TrainingDataStartTime=seconds)(valid_wire())
    flagged = "form.wire-timestamp-range" in l4e_contract.validate(doc).rules
    assert flagged == (not botocore_reads_it)


def test_a_botocore_float_for_an_integer_member_is_what_the_rule_prevents():
    """botocore's JSON parser returns 2.0 as it is for an integer shape: the caller gets a float."""
    from botocore.parsers import create_parser

    shape = schema_gen.service_model().operation_model("DescribeModel").output_shape
    parsed = create_parser("json").parse({"body": b'{"ActiveModelVersion": 2e0}', "headers": {}, "status_code": 200},
                                         shape)
    assert isinstance(parsed["ActiveModelVersion"], float)
