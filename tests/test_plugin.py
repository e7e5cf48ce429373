"""The pytest plugin (entry point pytest11): its fixtures in this suite, and in a user's project via pytester."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings

from l4e_contract.pytest_plugin import failure_message, strict_stubber_class, lookoutequipment_client
from l4e_contract.strategies import describe_model_responses, describe_model_violations
from l4e_contract.strategies.lifecycle import build, in_form

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")


def trained(seed: int = 7) -> dict:
    """One valid wire-form response of a trained model (a fixed seed: the same model every run)."""
    return build("trained", 0b1001_0101_0111, 0, random.Random(seed))[0]


def broken_twice() -> dict:
    """Training data that ends before it starts, and a ModelName that is not the one in ModelArn."""
    doc = trained()
    doc["TrainingDataStartTime"] = doc["TrainingDataEndTime"] + 3600
    doc["ModelName"] = doc["ModelName"] + "x"
    return doc


# --- loading --------------------------------------------------------------------------------

def test_the_plugin_is_loaded_by_its_entry_point(pytestconfig):
    plugin = pytestconfig.pluginmanager.get_plugin("l4e_contract")
    assert plugin is not None and plugin.__name__ == "l4e_contract.pytest_plugin"


def test_importing_the_plugin_imports_nothing_heavy():
    code = ("import sys, l4e_contract.pytest_plugin; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'hypothesis', 'jsonschema')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- describe_model_contract --------------------------------------------------------------

def test_contract_fixture_passes_a_valid_response_and_returns_its_report(describe_model_contract):
    report = describe_model_contract(trained())
    assert report.valid and report.form == "wire"


def test_contract_fixture_fails_listing_every_violation(describe_model_contract):
    with pytest.raises(pytest.fail.Exception) as failed:
        describe_model_contract(broken_twice())
    text = str(failed.value)
    assert text.startswith("DescribeModel response breaks the contract (2 findings):")
    assert "/TrainingDataEndTime: [time.training-data-range]" in text
    assert "/ModelArn: [arn.model-name]" in text


def test_contract_fixture_can_fail_on_warnings_and_unknown_members(describe_model_contract):
    doc = trained()
    doc["ModelStage"] = "beta"  # not in the contract: a warning, an error with strict
    describe_model_contract(doc)
    with pytest.raises(pytest.fail.Exception, match=r"\(warning\) /ModelStage: \[schema.unknown-member\]"):
        describe_model_contract(doc, warnings_fail=True)
    with pytest.raises(pytest.fail.Exception, match=r"/ModelStage: \[schema.unknown-member\]"):
        describe_model_contract(doc, strict=True)
    assert describe_model_contract.report(broken_twice()).rules == {"time.training-data-range", "arn.model-name"}


# --- strict_stubber -------------------------------------------------------------------------

def test_strict_stubber_serves_a_valid_response(strict_stubber):
    response = in_form(trained(), "boto3")
    strict_stubber.add_response("describe_model", response, {"ModelName": response["ModelName"]})
    got = strict_stubber.client.describe_model(ModelName=response["ModelName"])
    assert got["ModelArn"] == response["ModelArn"]
    strict_stubber.assert_no_pending_responses()
    assert strict_stubber.client.meta.region_name == "us-east-1"


def test_strict_stubber_rejects_what_botocore_accepts(strict_stubber):
    from botocore.exceptions import ParamValidationError
    from botocore.stub import Stubber

    response = in_form(broken_twice(), "boto3")
    Stubber(lookoutequipment_client()).add_response("describe_model", response)  # botocore's check: fine
    with pytest.raises(ParamValidationError) as err:
        strict_stubber.add_response("describe_model", response)
    assert "[time.training-data-range]" in str(err.value) and "[arn.model-name]" in str(err.value)
    strict_stubber.assert_no_pending_responses()  # nothing was queued


def test_strict_stubber_keeps_botocores_own_check(strict_stubber):
    from botocore.exceptions import ParamValidationError

    response = in_form(trained(), "boto3")
    response["ModelStage"] = "beta"  # botocore rejects members it does not know, before the contract is asked
    with pytest.raises(ParamValidationError, match="Unknown parameter"):
        strict_stubber.add_response("describe_model", response)
    response = in_form(trained(), "boto3")
    response["ActiveModelVersion"] = "1"
    with pytest.raises(ParamValidationError, match="Invalid type"):
        strict_stubber.add_response("describe_model", response)


def test_strict_stubber_leaves_other_operations_to_botocore(strict_stubber):
    from botocore.exceptions import ParamValidationError

    strict_stubber.add_response("list_models", {"ModelSummaries": [{"ModelName": "pump", "Status": "SUCCESS"}]})
    assert strict_stubber.client.list_models()["ModelSummaries"][0]["ModelName"] == "pump"
    with pytest.raises(ParamValidationError):
        strict_stubber.add_response("list_models", {"ModelSummaries": "none"})
    strict_stubber.add_client_error("describe_model", "ResourceNotFoundException", http_status_code=404)
    with pytest.raises(strict_stubber.client.exceptions.ResourceNotFoundException):
        strict_stubber.client.describe_model(ModelName="gone")


@settings(max_examples=15)
@given(describe_model_responses("boto3"))
def test_strict_stubber_accepts_every_generated_response(response):
    # a Stubber per example: function-scoped fixtures are not reset between Hypothesis examples
    with strict_stubber_class()(_client()) as stubber:
        stubber.add_response("describe_model", response)
        assert stubber.client.describe_model(ModelName=response["ModelName"]) == response


@settings(max_examples=30)
@given(describe_model_violations(form="boto3"))
def test_strict_stubber_rejects_every_mutation_that_breaks_an_error_rule(broken):
    from botocore.exceptions import ParamValidationError

    from l4e_contract import validate

    stubber = strict_stubber_class()(_client())
    if broken.rule == "schema.unknown-member":  # botocore's own check rejects members it does not know
        with pytest.raises(ParamValidationError, match="Unknown parameter"):
            stubber.add_response("describe_model", broken.response)
    elif validate(broken.response).valid:  # a warning: a stub may still use it
        stubber.add_response("describe_model", broken.response)
    else:
        with pytest.raises(ParamValidationError):
            stubber.add_response("describe_model", broken.response)


def test_strict_stubber_rejects_a_response_that_is_not_an_object(strict_stubber):
    from botocore.exceptions import ParamValidationError

    for response in (None, [], "{}"):
        with pytest.raises(ParamValidationError, match=r"\[form.object\]"):
            strict_stubber.add_response("describe_model", response)


_CLIENT = []


def _client():
    if not _CLIENT:
        _CLIENT.append(lookoutequipment_client())
    return _CLIENT[0]


def test_failure_message_counts_and_marks_warnings():
    from l4e_contract import validate

    doc = broken_twice()
    doc["Extra"] = 1
    text = failure_message(validate(doc))
    assert text.splitlines()[0].endswith("(2 findings):")
    assert text.splitlines()[-1].startswith("  (warning) /Extra: [schema.unknown-member]")


# --- in a user's project (pytester) ---------------------------------------------------------

USER_TEST = '''
def test_recording_follows_the_contract(l4e_recording, describe_model_contract):
    describe_model_contract(l4e_recording.body, what=l4e_recording.path.name)
'''


def _recordings(folder, pytester):
    path = pytester.path / folder
    (path / "nested").mkdir(parents=True)
    (path / "good.json").write_text(json.dumps(trained(1)))
    envelope = {"l4e_recording": {"operation": "DescribeModel", "region": "us-east-1", "model": "m"},
                "body": trained(2)}
    (path / "nested" / "enveloped.json").write_text(json.dumps(envelope))
    (path / "bad.json").write_text(json.dumps(broken_twice()))
    (path / "truncated.json").write_text(json.dumps(trained(3))[:-40])
    (path / "notes.txt").write_text("not a recording")
    return path


def test_recordings_option_parametrizes_over_a_folder(pytester):
    _recordings("recs", pytester)
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest("--l4e-recordings=recs", "-v")
    # a violation fails its test; a file that cannot be read is an error at setup; the rest still run
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.fnmatch_lines([
        "*test_recording_follows_the_contract?bad.json? FAILED*",
        "*test_recording_follows_the_contract?good.json? PASSED*",
        "*test_recording_follows_the_contract?truncated.json? ERROR*",
        "*test_recording_follows_the_contract?nested/enveloped.json? PASSED*",
    ])
    result.stdout.fnmatch_lines([
        "*DescribeModel bad.json breaks the contract (2 findings):*",
        "*/ModelArn: ?arn.model-name? ModelArn names model*",
        "*/TrainingDataEndTime: ?time.training-data-range?*",
    ])
    result.stdout.fnmatch_lines(["recs/truncated.json: truncated or malformed JSON*"])
    assert "Traceback" not in result.stdout.str() and "During handling" not in result.stdout.str()


def test_recordings_from_the_ini_option_and_a_missing_folder(pytester):
    _recordings("recs", pytester)
    pytester.makeini("[pytest]\nl4e_recordings = recs\n")
    pytester.makepyfile(test_user=USER_TEST)
    pytester.runpytest().assert_outcomes(passed=2, failed=1, errors=1)
    result = pytester.runpytest("--l4e-recordings=nowhere")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*nowhere: no such file or folder*"])


def test_without_recordings_the_test_is_skipped_not_failed(pytester):
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no recordings: give --l4e-recordings=DIR*"])


def test_user_tests_with_strategies_and_the_stubber(pytester):
    pytester.makepyfile(test_user='''
from hypothesis import given, settings
from l4e_contract.strategies import describe_model_responses, describe_model_violations

@settings(max_examples=5)
@given(describe_model_responses(form="parsed", lifecycles="rolled_back"))
def test_my_code_reads_any_rolled_back_model(response):
    assert response["PreviousActiveModelVersion"] > response["ActiveModelVersion"]

def test_my_stub_is_honest(strict_stubber):
    strict_stubber.add_response("describe_model", {"ModelName": "pump", "Status": "SUCCESS"})

def test_a_broken_response(describe_model_contract):
    describe_model_contract({"ModelName": "pump", "ModelArn": "arn:aws:lookoutequipment:us-east-1:123456789012:model/valve/1",
                             "Status": "TRAINED", "CreatedAt": 1.7e9})
''')
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*test_my_stub_is_honest*",
        "*ParamValidationError*",
    ])
    result.stdout.fnmatch_lines(["*/ModelArn: ?arn.model-name?*", "*/Status: ?schema.enum?*"])
