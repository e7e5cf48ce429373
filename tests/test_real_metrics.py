"""ModelMetrics and DescribeModel responses shaped like real trainings' output (built by
tests/real_shaped.py; the facts and their sources are in docs/evidence/model-metrics.md).

Two kinds of test: the data keep the facts the real outputs show (so the data cannot drift into
something the service never sent), and the contract accepts them. A test marked
xfail(strict=True) names the rule that errs on real data today; once that rule is fixed the test
passes, strict xfail reports XPASS as a failure, and the mark is removed.
"""
from __future__ import annotations

import datetime as _dt
import json
import re

import botocore.session
import pytest
from dateutil.tz import tzlocal

import l4e_contract
import real_shaped

# The real range times: 'YYYY-MM-DDTHH:MM:SS.ffffff', no offset (notebook outputs, 2021-2022).
RANGE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}")
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")

_OUTPUT = botocore.session.get_session().get_service_model("lookoutequipment") \
    .operation_model("DescribeModel").output_shape
METRICS_MAX = _OUTPUT.members["ModelMetrics"].metadata["max"]
TIMESTAMP_MEMBERS = [n for n, s in _OUTPUT.members.items() if s.type_name == "timestamp"]

# Each metrics document in a real-shaped response whose Schema its diagnostics name; the newer
# keys came with model versions, so their host has an active version.
HOSTS = {"water-pump-2022": real_shaped.water_pump_response,
         "centrifugal-pump-2021": real_shaped.centrifugal_pump_response,
         "newer-keys-unlabelled": lambda: real_shaped.versioned_response({}, labelled=False),
         "newer-keys-labelled": lambda: real_shaped.versioned_response({}, labelled=True)}


@pytest.fixture(scope="module")
def wind_turbine():
    """The largest real model: its response, with the 124-sensor Schema and its windows."""
    response = real_shaped.water_pump_response()
    response.update({
        "ModelName": "wind-turbine-10min-PR-trial2",
        "Schema": real_shaped.schema_text({"R80711": real_shaped.WIND_SENSORS}),
        "TrainingDataStartTime": real_shaped.epoch("2012-12-31T23:00:00"),
        "TrainingDataEndTime": real_shaped.epoch("2017-01-10T08:40:00"),
        "EvaluationDataStartTime": real_shaped.epoch("2017-01-10T08:50:00"),
        "EvaluationDataEndTime": real_shaped.epoch("2018-01-12T23:00:00"),
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT10M"},
        "ModelMetrics": json.dumps(real_shaped.wind_turbine_metrics()),
    })
    response["ModelArn"] = response["ModelArn"].replace("water-pump-model", "wind-turbine-10min-PR-trial2")
    return response


def _metrics(name):
    return real_shaped.METRICS[name]()


def _in_response(name):
    response = HOSTS[name]()
    response["ModelMetrics"] = json.dumps(_metrics(name))
    return response


def _sensors(response) -> list[str]:
    schema = json.loads(response["Schema"])
    return [f"{c['ComponentName']}\\{col['Name']}" for c in schema["Components"]
            for col in c["Columns"] if col["Type"] != "DATETIME"]


def _utc(epoch: float) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).replace(tzinfo=None)


# --- the committed data -------------------------------------------------------------

def test_committed_files_are_what_the_generator_writes():
    assert real_shaped.differences() == []


# --- the data keep the real facts --------------------------------------------------------

@pytest.mark.parametrize("name", sorted(real_shaped.METRICS))
def test_range_times_read_like_the_service(name):
    doc = _metrics(name)
    times = [r[k] for key in ("labeled_ranges", "predicted_ranges") for r in doc[key] for k in ("start", "end")]
    assert all(RANGE_TIME.fullmatch(t) for t in times)


@pytest.mark.parametrize("name", sorted(real_shaped.METRICS))
def test_diagnostics_name_every_sensor_of_the_schema_once(name):
    sensors = _sensors(HOSTS[name]())
    for r in _metrics(name)["predicted_ranges"]:
        assert sorted(d["name"] for d in r["diagnostics"]) == sorted(sensors)


@pytest.mark.parametrize("name", sorted(real_shaped.METRICS))
def test_diagnostics_are_floats_summing_to_one(name):
    for r in _metrics(name)["predicted_ranges"]:
        values = [d["value"] for d in r["diagnostics"]]
        assert all(type(v) is float for v in values)
        assert abs(sum(values) - 1.0) < 1e-9


@pytest.mark.parametrize("name", ["water-pump-2022", "centrifugal-pump-2021"])
def test_zero_length_predicted_ranges_occur(name):
    assert any(r["start"] == r["end"] for r in _metrics(name)["predicted_ranges"])


@pytest.mark.parametrize("name", sorted(real_shaped.RESPONSES))
def test_ranges_lie_inside_the_evaluation_window(name):
    response = real_shaped.RESPONSES[name]()
    first, last = _utc(response["EvaluationDataStartTime"]), _utc(response["EvaluationDataEndTime"])
    doc = json.loads(response["ModelMetrics"])
    for r in doc["labeled_ranges"] + doc["predicted_ranges"]:
        start, end = _dt.datetime.fromisoformat(r["start"]), _dt.datetime.fromisoformat(r["end"])
        assert first <= start <= end <= last


def test_labelled_totals_are_floats_and_agree_with_the_ranges():
    doc = _metrics("centrifugal-pump-2021")
    labeled, unknown = doc["labeled_event_metrics"], doc["unknown_event_metrics"]
    # the notebook's figures, floats as printed there
    assert labeled == {"num_labeled": 8, "num_identified": 8, "total_warning_time_in_seconds": 668040.0}
    assert unknown == {"num_identified": 8, "total_duration_in_seconds": 4200.0}
    assert len(doc["labeled_ranges"]) == labeled["num_labeled"]


def test_newer_keys_have_the_documented_types():
    doc = _metrics("newer-keys-unlabelled")
    assert DATE_ONLY.fullmatch(doc["data_start_time"]) and DATE_ONLY.fullmatch(doc["data_end_time"])
    assert doc["labels_present"] is False
    assert sorted(doc["model_version_metrics"]) == ["auc", "mean_fractional_lead_time", "precision", "recall"]
    assert all(type(v) is float for v in doc["model_version_metrics"].values())
    # the documented sample writes the zero totals as integers
    assert type(doc["labeled_event_metrics"]["total_warning_time_in_seconds"]) is int


def test_real_sized_metrics_exceed_botocores_maximum(wind_turbine):
    assert METRICS_MAX == 50000
    assert len(json.dumps(_metrics("water-pump-2022"))) > 4 * METRICS_MAX
    assert len(wind_turbine["ModelMetrics"]) > 150 * METRICS_MAX
    assert len(json.dumps(_metrics("centrifugal-pump-2021"))) < METRICS_MAX


# --- the contract accepts them ------------------------------------------------------

@pytest.mark.parametrize("name", [
    "water-pump-2022-06",
    "centrifugal-pump-2022-05",
])
def test_real_shaped_response_has_no_error(name):
    report = l4e_contract.validate(real_shaped.RESPONSES[name]())
    assert report.valid, report.violations


@pytest.mark.parametrize("name", [
    "water-pump-2022",
    "centrifugal-pump-2021",
    "newer-keys-unlabelled",
    "newer-keys-labelled",
])
def test_real_metrics_document_has_no_error(name):
    report = l4e_contract.validate(_in_response(name))
    assert report.valid, report.violations


def test_largest_real_model_has_no_error(wind_turbine):
    report = l4e_contract.validate(wind_turbine)
    assert report.valid, report.violations


def test_real_shaped_response_in_boto3_form_has_no_error():
    """boto3's dict as 2021-2022 notebooks print it: datetimes in tzlocal(), milliseconds kept."""
    response = real_shaped.centrifugal_pump_response()
    for member in TIMESTAMP_MEMBERS:
        if member in response:
            response[member] = _dt.datetime.fromtimestamp(response[member], tzlocal())
    report = l4e_contract.validate(response)
    assert report.valid, report.violations


def _unexpected_warnings(report):
    """Warnings beyond the one issue 11 allows on real data: ModelMetrics longer than botocore's maximum."""
    return [w for w in report.warnings if not (w.pointer == "/ModelMetrics" and w.rule == "embedded.metrics-size")]


@pytest.mark.parametrize("name", [
    "water-pump-2022-06",
    "centrifugal-pump-2022-05",
])
def test_real_shaped_response_warns_at_most_of_the_metrics_length(name):
    report = l4e_contract.validate(real_shaped.RESPONSES[name]())
    assert _unexpected_warnings(report) == []


@pytest.mark.parametrize("name", [
    "water-pump-2022",
    "centrifugal-pump-2021",
    "newer-keys-unlabelled",
    "newer-keys-labelled",
])
def test_real_metrics_document_warns_at_most_of_its_length(name):
    report = l4e_contract.validate(_in_response(name))
    assert _unexpected_warnings(report) == []


def test_no_other_warning_fires_on_real_metrics():
    """Besides the length, no warning fires on real metrics: a new rule that warns on real-shaped data
    shows here by its id."""
    fired = set()
    for name in real_shaped.METRICS:
        fired |= {w.rule for w in _unexpected_warnings(l4e_contract.validate(_in_response(name)))}
    assert fired == set()
