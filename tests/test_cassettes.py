"""vcrpy cassettes, recorded by the real vcrpy with a real boto3 client against `serve`, read by `validate`
and by the pytest plugin: one result per DescribeModel interaction, error answers said for what they are."""
from __future__ import annotations

import gzip
import json

import pytest
import yaml

import recorded
from l4e_contract.cli import main
from l4e_contract.load import cassettes, files
from l4e_contract.load.sources import iter_sources

MODELS = ["chiller-5", recorded.BROKEN_RULE, recorded.NOT_JSON, recorded.MISSING]


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    """One YAML cassette (vcrpy's default) and one JSON cassette of the same calls, and a clean one."""
    folder = tmp_path_factory.mktemp("cassettes")
    with recorded.served() as server:
        recorded.record_cassette(folder / "calls.yaml", server, MODELS)
        # vcrpy's JSON serializer refuses botocore's bytes header values: a team that wants JSON
        # cassettes decodes them before they are recorded
        recorded.record_cassette(folder / "calls.json", server, MODELS, serializer="json",
                                 before_record_request=_text_headers)
        recorded.record_cassette(folder / "clean" / "ok.yml", server, ["chiller-5", "turbine-4", recorded.MISSING])
    return folder


def _text_headers(request):
    for name, value in list(request.headers.items()):
        if isinstance(value, bytes):
            request.headers[name] = value.decode()
    return request


def _run(capsys, *args):
    code = main(["validate", "--format", "json", *map(str, args)])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def test_what_vcrpy_writes_is_what_this_reads(recordings):
    """The cassette really has the forms the reader handles: headers as !!binary, bodies as {string: ...}."""
    text = (recordings / "calls.yaml").read_text()
    assert "X-Amz-Target:\n      - !!binary" in text
    assert "    body:\n      string: '{\"ModelName\"" in text


@pytest.mark.parametrize("name", ["calls.yaml", "calls.json"])
def test_each_describe_model_interaction_is_a_result_named_after_cassette_and_interaction(recordings, capsys, name):
    cassette = recordings / name
    code, doc, err = _run(capsys, cassette)
    by_source = {r["source"]: r for r in doc["results"]}
    # interaction 1 is ListModels; 2-5 describe MODELS in order
    assert list(by_source) == [f"{cassette}#2 DescribeModel chiller-5", f"{cassette}#3 DescribeModel pump-broken",
                               f"{cassette}#4 DescribeModel pump-not-json"]
    good, broken, not_json = by_source.values()
    assert good["verdict"] == "valid"
    assert broken["verdict"] == "invalid"
    assert [v["rule"] for v in broken["violations"]] == ["time.training-data-range"]
    assert not_json["verdict"] == "error" and "malformed JSON" in not_json["error"]
    assert code == 2  # a body that is not JSON could not be checked
    # the error answer is said for what it is, and the other operation counted, on stderr
    assert (f"{cassette}#5 DescribeModel pump-missing: note: recorded error ResourceNotFoundException (HTTP 400): "
            "Model pump-missing not found; not judged") in err
    assert f"{cassette}: note: 1 other interaction(s) counted, not judged (ListModels 1)" in err


def test_a_recorded_error_answer_does_not_fail_the_run(recordings, capsys):
    code, doc, err = _run(capsys, recordings / "clean")
    assert [r["verdict"] for r in doc["results"]] == ["valid", "valid"]
    assert doc["summary"]["error"] == 0 and code == 0
    assert "recorded error ResourceNotFoundException" in err


def test_a_yaml_file_that_is_not_a_cassette_is_skipped_in_a_folder_and_named_with_verbose(recordings, tmp_path, capsys):
    (tmp_path / "ci.yml").write_text("jobs:\n  test:\n    runs-on: ubuntu-latest\n")
    (tmp_path / "calls.yaml").write_bytes((recordings / "clean" / "ok.yml").read_bytes())
    code, doc, err = _run(capsys, tmp_path)
    assert code == 0 and len(doc["results"]) == 2
    assert "ci.yml" not in err
    main(["validate", "-v", str(tmp_path)])
    assert f"{tmp_path / 'ci.yml'}: note: skipped: YAML that is not a vcrpy cassette" in capsys.readouterr().err
    code, doc, _ = _run(capsys, tmp_path / "ci.yml")  # named: an error, saying why
    assert code == 2 and doc["results"][0]["error"] == "not a vcrpy cassette (YAML with no 'interactions' list)"


BROKEN_CASSETTES = {
    "truncated.yaml": (b"interactions:\n- request:\n    body: '{\"ModelName\": \"a\n", "malformed YAML"),
    "tabs.yaml": (b"interactions:\n\t- x\n", "malformed YAML"),
    "binary.yaml": (bytes(range(256)), "binary, not YAML"),
    "latin1.yaml": ("a: caf\u00e9\n".encode("latin-1"), "not UTF-8"),
    "empty.yaml": (b"", "empty"),
    "bad-base64.yaml": (b"interactions: []\nversion: 1\nx: !!binary 'a'\n", "malformed YAML"),
    "deep.yaml": (b"[" * 100_000 + b"]" * 100_000, "malformed YAML"),
    "no-such-date.yaml": (b"interactions: []\nversion: 1\nrecorded: 2023-02-30\n", "a value its type cannot hold"),
    "bad-tag.yaml": (b"interactions: []\nversion: !!int one\n", "a value its type cannot hold"),
}


def test_a_broken_cassette_is_a_one_line_error_and_the_rest_is_checked(recordings, tmp_path, capsys):
    for name, (data, _) in BROKEN_CASSETTES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.yaml").write_bytes((recordings / "clean" / "ok.yml").read_bytes())
    code, doc, _ = _run(capsys, tmp_path)
    assert code == 2
    errors = {r["source"].rsplit("/", 1)[-1]: r["error"] for r in doc["results"] if r["verdict"] == "error"}
    assert set(errors) == set(BROKEN_CASSETTES)
    for name, (_, words) in BROKEN_CASSETTES.items():
        assert words in errors[name] and "\n" not in errors[name] and len(errors[name]) < 200, (name, errors[name])
    assert sum(r["verdict"] == "valid" for r in doc["results"]) == 2


def test_yaml_is_read_safely_no_python_object_is_built(tmp_path, capsys):
    marker = tmp_path / "pwned"
    (tmp_path / "evil.yaml").write_text(
        f"interactions: !!python/object/apply:os.system ['touch {marker}']\nversion: 1\n")
    code, doc, _ = _run(capsys, tmp_path / "evil.yaml")
    assert code == 2 and "could not determine a constructor" in doc["results"][0]["error"]
    assert not marker.exists()


def test_a_cassette_is_bounded_in_size_like_a_json_file(recordings, monkeypatch, capsys):
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    code, doc, _ = _run(capsys, recordings / "calls.yaml")
    assert code == 2 and "over the 1,000 byte limit" in doc["results"][0]["error"]


def _rewrite(recordings, tmp_path, change) -> str:
    """The recorded YAML cassette with `change(interaction)` applied to its DescribeModel interactions."""
    doc = cassettes.parse_yaml((recordings / "calls.yaml").read_bytes())
    for interaction in doc["interactions"][1:]:
        change(interaction)
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.dump(doc, Dumper=yaml.SafeDumper))
    return str(path)


def test_another_services_describe_model_is_counted_not_judged(recordings, tmp_path, capsys):
    """SageMaker has a DescribeModel too: the target prefix, read from botocore's model, tells them apart."""
    def to_sagemaker(interaction):
        interaction["request"]["headers"]["X-Amz-Target"] = [b"SageMaker.DescribeModel"]

    path = _rewrite(recordings, tmp_path, to_sagemaker)
    code, doc, err = _run(capsys, path)
    assert doc["results"] == []
    assert "5 other interaction(s) counted, not judged (ListModels 1, SageMaker.DescribeModel 4)" in err
    assert code == 2 and "nothing was checked" in err  # a run that checked nothing is never a success
    assert cassettes.target_prefix() == "AWSLookoutEquipmentFrontendService"


def test_a_gzip_body_and_a_binary_body_are_read_as_the_client_read_them(recordings, tmp_path, capsys):
    def gzipped(interaction):
        response = interaction["response"]
        response["body"]["string"] = gzip.compress(response["body"]["string"].encode())
        response["headers"]["Content-Encoding"] = ["gzip"]

    code, doc, _ = _run(capsys, _rewrite(recordings, tmp_path, gzipped))
    assert [r["verdict"] for r in doc["results"]] == ["valid", "invalid", "error"]
    assert "!!binary" in (tmp_path / "changed.yaml").read_text()

    def latin1(interaction):
        response = interaction["response"]
        response["body"]["string"] = response["body"]["string"].replace("chiller-5", "chill\u00e9r").encode("latin-1")

    code, doc, _ = _run(capsys, _rewrite(recordings, tmp_path, latin1))
    assert "not UTF-8" in doc["results"][0]["error"]


def test_python2_text_tags_of_old_cassettes_are_read_as_text(recordings, tmp_path, capsys):
    text = (recordings / "clean" / "ok.yml").read_text().replace("      string: '{", "      string: !!python/unicode '{")
    assert "!!python/unicode" in text
    (tmp_path / "old.yaml").write_text(text)
    code, doc, _ = _run(capsys, tmp_path / "old.yaml")
    assert code == 0 and [r["verdict"] for r in doc["results"]] == ["valid", "valid"]


def test_an_error_code_the_model_does_not_list_is_said(recordings, tmp_path):
    def unrecognized(interaction):
        interaction["response"]["status"] = {"code": 403, "message": "Forbidden"}
        interaction["response"]["body"]["string"] = '{"__type": "com.amazon.coral#UnrecognizedClientException"}'

    items = list(iter_sources([_rewrite(recordings, tmp_path, unrecognized)]))
    notes = [i.note for i in items if i.answered_error]
    assert len(notes) == 4
    assert notes[0].startswith("recorded error UnrecognizedClientException (HTTP 403); "
                               "botocore's model lists no UnrecognizedClientException for DescribeModel")


USER_TEST = '''
def test_recording_follows_the_contract(l4e_recording, describe_model_contract):
    describe_model_contract(l4e_recording.body, what=l4e_recording.source)
'''


def test_the_plugin_runs_a_test_per_describe_model_interaction(recordings, pytester):
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest(f"--l4e-recordings={recordings / 'calls.yaml'}", "-v", "-rs")
    result.assert_outcomes(passed=1, failed=1, errors=1, skipped=1)
    result.stdout.fnmatch_lines([
        "*test_recording_follows_the_contract?calls.yaml#2 DescribeModel chiller-5? PASSED*",
        "*test_recording_follows_the_contract?calls.yaml#3 DescribeModel pump-broken? FAILED*",
        "*test_recording_follows_the_contract?calls.yaml#4 DescribeModel pump-not-json? ERROR*",
        "*test_recording_follows_the_contract?calls.yaml#5 DescribeModel pump-missing? SKIPPED*",
    ])
    result.stdout.fnmatch_lines(["*recorded error ResourceNotFoundException (HTTP 400)*"])
    result.stdout.fnmatch_lines(["*calls.yaml: malformed JSON*"])


def test_yaml_aliases_cannot_multiply_the_work_past_the_size_bound(recordings, tmp_path, monkeypatch, capsys):
    """An alias costs a few bytes and repeats a whole interaction: the bodies read are bounded together."""
    text = (recordings / "clean" / "ok.yml").read_text()
    doc = cassettes.parse_yaml(text.encode())
    one = doc["interactions"][1]
    body_size = len(one["response"]["body"]["string"])
    bomb = {"interactions": [one] * 10_000, "version": 1}  # PyYAML writes the repeats as aliases
    path = tmp_path / "bomb.yaml"
    path.write_text(yaml.dump(bomb, Dumper=yaml.SafeDumper))
    limit = 2 * path.stat().st_size  # the file is well within it; its 10,000 bodies are not
    assert "*id001" in path.read_text() and 10_000 * body_size > 50 * limit
    monkeypatch.setattr(files, "MAX_BYTES", limit)
    code, doc, _ = _run(capsys, path)
    *checked, last = doc["results"]
    assert len(checked) == limit // body_size + 1 and {r["verdict"] for r in checked} == {"valid"}
    assert last["error"].startswith(f"its bodies add up to over {limit:,} bytes") and code == 2
