"""The schema: generated from botocore, curated by the deviations, portable, ECMA-262 patterns."""
from __future__ import annotations

import copy
import json

import pytest

from l4e_contract.contract import committed
from l4e_contract.contract import paths
from l4e_contract.contract import generate as schema_gen
from l4e_contract.contract.patterns import PatternError, compile_pattern, search
from l4e_contract.contract.schema_check import check_schema
from l4e_contract.drift.schema import schema_changes


@pytest.fixture(scope="module")
def model():
    return schema_gen.service_model()


@pytest.fixture(scope="module")
def schema_doc():
    return json.loads(paths.schema_path().read_text(encoding="utf-8"))


def test_regenerating_from_installed_botocore_reproduces_the_committed_schema(schema_doc):
    changes = schema_changes(schema_doc, schema_gen.generate())
    assert changes == [], "schema drift from installed botocore:\n" + "\n".join(changes)


def test_committed_file_is_byte_for_byte_what_the_generator_writes(schema_doc):
    assert paths.schema_path().read_text(encoding="utf-8") == schema_gen.dumps(schema_gen.generate())


def test_every_output_member_of_describe_model_is_in_the_schema(model, schema_doc):
    members = model.operation_model("DescribeModel").output_shape.members
    assert len(members) == 42
    assert set(members) <= set(schema_doc["properties"])
    assert set(schema_doc["properties"]) - set(members) == {"ResponseMetadata"}


@pytest.mark.parametrize("member", ["Status", "LatestScheduledRetrainingStatus", "RetrainingSchedulerStatus",
                                    "ModelQuality"])
def test_enums_come_from_the_model(model, member):
    shape = model.operation_model("DescribeModel").output_shape.members[member]
    assert committed.enum(member) == list(shape.enum)


def test_nested_enum_and_required_members(model):
    rate = committed.resolve(committed.definition("DataPreProcessingConfiguration")["properties"]["TargetSamplingRate"])
    assert rate["enum"][0] == "PT1S" and rate["enum"][-1] == "PT1H" and len(rate["enum"]) == 11
    assert committed.definition("ModelDiagnosticsOutputConfiguration")["required"] == ["S3OutputConfiguration"]
    assert committed.definition("ModelDiagnosticsS3OutputConfiguration")["required"] == ["Bucket"]
    assert committed.definition("LabelsS3InputConfiguration")["required"] == ["Bucket"]


def test_bounds_and_patterns_come_from_the_model(model):
    out = model.operation_model("DescribeModel").output_shape.members
    anchored = {name for d in schema_gen.load_deviations() for name in d.get("anchor", ())}
    for member in ("ModelName", "ModelArn", "FailedReason", "ModelMetrics", "Schema", "OffCondition"):
        shape, node = out[member], committed.member(member)
        assert node.get("minLength") == shape.metadata.get("min")
        # a bound the contract does not hold is kept as x-botocore-maxLength (deviation metrics-longer-than-the-model)
        assert node.get("maxLength", node.get("x-botocore-maxLength")) == shape.metadata.get("max")
        pattern = shape.metadata.get("pattern")
        assert node.get("pattern") == (schema_gen.anchored(pattern) if shape.name in anchored else pattern)
    # the model's min, and the range of its type: ModelVersion is a long (int64)
    assert committed.member("ActiveModelVersion") == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def test_identity_members_are_required_as_a_documented_deviation(schema_doc):
    assert schema_doc["required"] == ["ModelName", "ModelArn", "Status", "CreatedAt"]
    raw = schema_gen.generate_raw()
    assert "required" not in raw  # botocore marks none required: the deviation adds them
    ids = [d["id"] for d in schema_gen.load_deviations()]
    assert "required-identity" in ids and "diagnostics-prefix-holds-file-name" in ids
    for d in schema_gen.load_deviations():
        assert d["reason"] and d["basis"] and (d.get("patch") or d.get("anchor"))


def _minimal(**extra):
    doc = {"ModelName": "pump", "ModelArn": "arn:aws:lookoutequipment:us-east-1:123456789012:model/pump/abc",
           "Status": "SUCCESS", "CreatedAt": 1672531200}
    doc.update(extra)
    return doc


def _rules(doc):
    return {v.rule for v in check_schema(doc)}


def test_diagnostics_prefix_may_name_the_results_file_but_labels_prefix_keeps_the_model_pattern():
    file_prefix = "diagnostics/pump/model_diagnostics_results.json.gz"
    diag = {"S3OutputConfiguration": {"Bucket": "my-bucket", "Prefix": file_prefix}}
    assert _rules(_minimal(ModelDiagnosticsOutputConfiguration=diag)) == set()
    labels = {"S3InputConfiguration": {"Bucket": "my-bucket", "Prefix": file_prefix}}
    assert _rules(_minimal(LabelsInputConfiguration=labels)) == {"schema.pattern"}
    # without the deviation the generated schema would reject the diagnostics prefix
    raw = schema_gen.generate_raw()
    assert raw["$defs"]["ModelDiagnosticsS3OutputConfiguration"]["properties"]["Prefix"] == {"$ref": "#/$defs/S3Prefix"}


def test_empty_body_is_not_a_valid_response():
    assert _rules({}) == {"schema.required"}


def test_timestamps_in_both_forms_and_without_offset():
    assert _rules(_minimal(CreatedAt=1672531200.125)) == set()
    assert _rules(_minimal(CreatedAt="2023-01-01T00:00:00+00:00")) == set()
    assert _rules(_minimal(CreatedAt="2023-01-01 00:00:00.5-05:30")) == set()
    assert _rules(_minimal(CreatedAt="2023-01-01T00:00:00")) == {"schema.timestamp"}
    assert _rules(_minimal(CreatedAt=True)) == {"schema.timestamp"}


# --- ECMA-262 semantics ---------------------------------------------------------

def test_unicode_property_classes_compile_and_match():
    failed_reason = committed.member("FailedReason")["pattern"]
    assert failed_reason == "[\\P{M}\\p{M}]{1,5000}"
    assert search(failed_reason, "e\u0301")  # combining acute accent
    assert search(failed_reason, "\U0001F600")
    assert _rules(_minimal(Status="FAILED", FailedReason="x\u0301\U0001F600")) == set()


def test_digit_class_is_ascii_only():
    # \d is [0-9] in ECMA-262; Python's re would accept ARABIC-INDIC DIGIT THREE
    kms = committed.member("ServerSideKmsKeyId")["pattern"]
    assert search(kms, "arn:aws:kms:us-east-1:123456789012:key/abc")
    assert not search(kms, "arn:aws:kms:us-east-1:12345678901\u0663:key/abc")


def test_dollar_does_not_match_before_a_trailing_newline():
    name = committed.member("ModelName")["pattern"]
    assert search(name, "pump-7")
    assert not search(name, "pump-7\n")  # Python's re.search would match here
    assert _rules(_minimal(ModelName="pump\n")) == {"schema.pattern"}


def test_dot_does_not_match_line_terminators():
    assert not search("^a.b$", "a\nb") and not search("^a.b$", "a\u2028b")
    assert search("^a.b$", "a-b")


def test_unanchored_patterns_search():
    arn = schema_gen.generate_raw()["$defs"]["ModelArn"]["pattern"]  # botocore's, before the deviations
    assert not arn.startswith("^")
    assert search(arn, "prefix arn:aws:lookoutequipment:us-east-1:123456789012:model/x")


@pytest.mark.parametrize("text", [
    "prefix arn:aws:lookoutequipment:us-east-1:123456789012:model/x/y",
    "arn:aws:lookoutequipment:us-east-1:123456789012:model/x/y\nDROP TABLE models",
    " arn:aws:lookoutequipment:us-east-1:123456789012:model/x/y",
])
def test_anchored_model_arn_pattern_holds_the_whole_value(text):
    arn = committed.member("ModelArn")["pattern"]
    assert arn == schema_gen.anchored(schema_gen.generate_raw()["$defs"]["ModelArn"]["pattern"])
    assert search(arn, "arn:aws:lookoutequipment:us-east-1:123456789012:model/x/y")
    assert not search(arn, text)
    assert _rules(_minimal(ModelArn=text)) == {"schema.pattern"}


def test_anchoring_keeps_alternations_whole_and_leaves_anchored_patterns_alone():
    prefix = committed.definition("S3Prefix")["pattern"]
    assert prefix == "^(?:(^$)|([\\u0009\\u000A\\u000D\\u0020-\\u00FF]{1,1023}/$))$"
    assert search(prefix, "") and search(prefix, "labels/a/")
    assert not search(prefix, "\u65e5labels/a/")  # botocore's pattern alone searches past the first character
    assert schema_gen.anchored("^[a-z]{1,3}$") == "^[a-z]{1,3}$"
    assert schema_gen.anchored("a|b") == "^(?:a|b)$"
    # every anchored $defs entry is anchored in the committed schema; FailedReason's is not
    anchored = {n for d in schema_gen.load_deviations() for n in d.get("anchor", ())}
    for name in anchored:
        p = committed.definition(name)["pattern"]
        assert p.startswith("^") and p.endswith("$"), name
    assert "BoundedLengthString" not in anchored


def test_every_pattern_in_the_schema_compiles_as_ecma():
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.append(node["pattern"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(committed.schema())
    assert len(found) >= 10
    for p in found:
        compile_pattern(p)
    with pytest.raises(PatternError):
        compile_pattern("(unclosed")


# --- portability: a second, independent engine -----------------------------------

def test_a_second_engine_gives_the_same_schema_verdicts():
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    other = jsonschema_rs.validator_for(committed.schema())
    docs = []
    for folder in ("valid", "invalid", "warnings"):
        for f in sorted((paths.recordings_dir() / folder).rglob("*.json")):
            docs.append((f.name, json.loads(f.read_text(encoding="utf-8"))))
    # hand-made edge cases beside the recordings
    docs += [("naive", _minimal(CreatedAt="2023-01-01T00:00:00")), ("nl", _minimal(ModelName="a\n")),
             ("digit", _minimal(ServerSideKmsKeyId="arn:aws:kms:us-east-1:12345678901\u0663:key/a")),
             ("mark", _minimal(FailedReason="\u0301")), ("empty", {}), ("array", [1])]
    assert len(docs) > 6
    disagree = [(name, ours) for name, doc in docs
                if (ours := not any(True for _ in check_schema(doc))) != other.is_valid(doc)]
    assert disagree == []


# --- drift naming -----------------------------------------------------------------

def test_drift_names_new_members_enum_values_bounds_and_patterns(schema_doc):
    changed = copy.deepcopy(schema_doc)
    changed["properties"]["ModelColour"] = {"type": "string"}
    changed["$defs"]["ModelStatus"]["enum"].append("DELETING")
    changed["$defs"]["ModelName"]["maxLength"] = 256
    changed["$defs"]["S3Bucket"]["pattern"] = "^.+$"
    changes = schema_changes(schema_doc, changed)
    assert "new member ModelColour in response" in changes
    assert "new enum value 'DELETING' in ModelStatus" in changes
    assert "maxLength of ModelName: 200 -> 256" in changes
    assert any(c.startswith("pattern of S3Bucket") for c in changes)


def test_drift_from_a_changed_botocore_model_is_named():
    """A new botocore release that adds an enum value and a member is named, not just 'different'."""
    import botocore.session
    from botocore.model import ServiceModel

    raw = botocore.session.get_session().get_component("data_loader").load_service_model(
        "lookoutequipment", "service-2")
    raw = copy.deepcopy(raw)
    raw["shapes"]["ModelStatus"]["enum"].append("DELETING")
    raw["shapes"]["DescribeModelResponse"]["members"]["ModelColour"] = {"shape": "ModelName"}
    regenerated = schema_gen.generate(ServiceModel(raw, "lookoutequipment"))
    changes = schema_changes(committed.schema(), regenerated)
    assert sorted(changes) == ["new enum value 'DELETING' in ModelStatus", "new member ModelColour in response"]


def test_a_botocore_without_the_service_is_one_line_not_a_traceback(monkeypatch, capsys):
    from botocore.exceptions import UnknownServiceError

    from l4e_contract.cli import main

    def gone(self, name, api_version=None):
        raise UnknownServiceError(service_name=name, known_service_names="s3")

    monkeypatch.setattr("botocore.session.Session.get_service_model", gone)
    assert main(["schema", "--check"]) == 2
    err = capsys.readouterr().err
    schema_doc = json.loads(paths.source_path().read_text())["botocore_version"]
    assert err.count("\n") == 1 and "has no lookoutequipment service model" in err and schema_doc in err


def test_an_unknown_rule_id_is_a_value_error():
    from l4e_contract import validate

    with pytest.raises(ValueError, match="unknown rule id"):
        validate(_minimal(), rules=["time.no-such-rule"])
    assert validate(_minimal(), rules=["arn.model-name"]).valid
