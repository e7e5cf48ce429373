"""Trustworthy under bad input (issue 12): exit codes a CI can trust, only regular files read,
input bounded in size, one-line errors, control characters escaped.

Anything that could hang (a FIFO) runs in a subprocess with a timeout, so a regression fails
instead of holding the suite forever.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import l4e_contract
from l4e_contract.check.results import Result
from l4e_contract.cli import COMMANDS, GuardedOutput, _parsers, main
from l4e_contract.contract import committed, paths
from l4e_contract.load import files as loader
from l4e_contract.report.console import TextReporter, printable

RECORDINGS = paths.recordings_dir()
VALID, INVALID = RECORDINGS / "valid", RECORDINGS / "invalid"
GOOD = {
    "ModelName": "pump-7",
    "ModelArn": "arn:aws:lookoutequipment:us-east-1:123456789012:model/pump-7/5e1c3a9b-7d2f-4c8e-9a41-2b6f0d8e1c37",
    "Status": "IN_PROGRESS",
    "CreatedAt": 1672531200.0,
}
TIMEOUT = 60  # seconds; a hang is a failure, never a stuck suite


def cli(*args, stdout=subprocess.PIPE, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "l4e_contract.cli", *map(str, args)], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=TIMEOUT, **kw)


def _json(capsys, *args):
    code = main(["validate", "--format", "json", *map(str, args)])
    return code, json.loads(capsys.readouterr().out)


# --- 1. exit codes a CI can trust ------------------------------------------------------------


@pytest.mark.parametrize("folder, fmt, expected", [(INVALID, "text", 1), (VALID, "json", 2)])
def test_a_closed_stdout_never_exits_0_and_is_one_line_on_stderr(folder, fmt, expected):
    """`validate invalid | head -1`: the reader goes away; the violations still decide the exit
    code, and a valid run whose output was lost is not a success either."""
    proc = subprocess.Popen([sys.executable, "-m", "l4e_contract.cli", "validate", "--format", fmt, str(folder)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # before the first write: every write meets a closed pipe
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == expected
    assert err.strip().splitlines() == ["l4e-contract validate: cannot write the output (Broken pipe); it is incomplete"]


def test_a_full_disk_on_stdout_is_one_line_not_a_traceback():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        proc = cli("validate", INVALID, stdout=full)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "l4e-contract validate: cannot write the output (No space left on device); it is incomplete"]


class _FailingStream:
    def __init__(self, after: int):
        self.after, self.written = after, []

    def write(self, text):
        if len(self.written) >= self.after:
            raise BrokenPipeError(32, "Broken pipe")
        self.written.append(text)
        return len(text)

    def flush(self):
        pass


def test_guarded_output_keeps_the_first_error_and_drops_what_follows():
    stream = _FailingStream(after=1)
    out = GuardedOutput(stream)
    out.write("a")
    out.write("b")
    out.write("c")
    assert stream.written == ["a"] and isinstance(out.error, BrokenPipeError)


def test_a_write_error_after_a_valid_run_is_exit_2(tmp_path, monkeypatch, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD))
    monkeypatch.setattr(sys, "stdout", _FailingStream(after=0))
    code = main(["validate", str(good)])
    assert code == 2
    assert "cannot write the output (Broken pipe)" in capsys.readouterr().err


@pytest.mark.parametrize("layout, words", [
    ({}, "no *.json or *.yaml or *.yml file in this folder"),
    ({"notes.txt": "x", "sub/readme.md": "y"}, "no *.json or *.yaml or *.yml file in this folder"),
])
def test_a_folder_with_nothing_to_check_exits_2_and_says_why(tmp_path, capsys, layout, words):
    folder = tmp_path / "recordings"
    folder.mkdir()
    for rel, text in layout.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
    code, doc = _json(capsys, folder)
    assert code == 2
    assert doc["results"] == [{"source": str(folder), "verdict": "error", "violations": [], "warnings": [],
                               "error": words}]


def test_a_folder_named_like_a_file_is_not_a_silent_success(tmp_path, capsys):
    (tmp_path / "x.json").mkdir()
    assert main(["validate", str(tmp_path / "x.json")]) == 2
    assert "a folder (its name ends in .json) with no *.json or *.yaml or *.yml file below it" in capsys.readouterr().out


def test_an_empty_path_is_refused_not_walked_as_the_current_folder(tmp_path, monkeypatch, capsys):
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    monkeypatch.chdir(tmp_path)  # what '' would walk
    with pytest.raises(SystemExit) as exc:
        main(["validate", ""])
    out = capsys.readouterr()
    assert exc.value.code == 2 and out.out == ""
    assert "argument PATH: an empty path (an unset variable?)" in out.err
    assert "usage: l4e-contract validate" in out.err


def test_a_report_dir_that_is_a_file_is_refused_before_any_file_is_checked(tmp_path, capsys):
    blocker = tmp_path / "reports"
    blocker.write_text("a file")
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    assert main(["validate", str(tmp_path / "good.json"), "--report-dir", str(blocker)]) == 2
    out = capsys.readouterr()
    assert out.out == ""  # nothing ran
    assert out.err == (f"l4e-contract validate: argument --report-dir: cannot write reports to {blocker}: "
                       "it exists and is not a folder\n")


def test_record_out_that_is_a_file_is_refused_before_connecting(tmp_path, capsys):
    blocker = tmp_path / "out"
    blocker.write_text("a file")
    # port 9 on 127.0.0.1: nothing answers, so a run that started would report unreachable models
    code = main(["record", "--endpoint-url", "http://127.0.0.1:9", "--unsigned", "--max-attempts", "1",
                 "--out", str(blocker)])
    out = capsys.readouterr()
    assert code == 2 and out.out == ""
    assert out.err.splitlines() == [f"l4e-contract record: argument --out: cannot write recordings to {blocker}: "
                                    "it exists and is not a folder"]


def test_drift_of_a_missing_folder_prints_no_comparison(tmp_path, capsys):
    assert main(["drift", str(tmp_path / "nonexistent"), str(VALID)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and f"argument OLD_DIR: {tmp_path / 'nonexistent'}: no such folder" in out.err


def test_drift_of_an_empty_folder_is_an_error_not_every_model_removed(tmp_path, capsys):
    (tmp_path / "new").mkdir()
    assert main(["drift", str(VALID / "wire"), str(tmp_path / "new")]) == 2
    assert f"error: {tmp_path / 'new'}: no *.json file in this folder" in capsys.readouterr().out


@pytest.mark.parametrize("args", [
    ("valid", "valid/wire"),
    ("valid/wire", "valid"),
    ("valid", "valid/wire/../wire", "valid/parsed/"),
])
def test_each_file_is_checked_once_however_the_paths_overlap(capsys, args):
    expected = len(list(VALID.rglob("*.json")))
    code, doc = _json(capsys, *(RECORDINGS / a for a in args))
    sources = [r["source"] for r in doc["results"]]
    assert code == 0 and doc["summary"]["total"] == expected == len(sources)
    assert len({os.path.realpath(s) for s in sources}) == expected


def test_a_file_named_twice_or_inside_a_named_folder_is_checked_once(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.json").write_text(json.dumps(GOOD))
    (tmp_path / "b.json").write_text(json.dumps(GOOD))
    monkeypatch.chdir(tmp_path)
    code, doc = _json(capsys, "a.json", "./a.json", tmp_path / "a.json", tmp_path)
    assert [r["source"] for r in doc["results"]] == ["a.json", str(tmp_path / "b.json")]


def test_every_command_lists_its_exit_codes_in_help(capsys):
    for name in COMMANDS:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        out = capsys.readouterr().out
        assert exc.value.code == 0
        assert "exit codes:" in out, name
        assert "  0    " in out and "  2    " in out and "usage error" in out, name


def test_every_option_has_help_text():
    _, subparsers = _parsers(None)
    missing = [f"{name} {action.option_strings or action.dest}" for name, p in subparsers.items()
               for action in p._actions if not action.help]
    assert missing == []


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"l4e-contract {l4e_contract.__version__}\n"
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert f'version = "{l4e_contract.__version__}"' in pyproject


@pytest.mark.parametrize("command", ["validate", "drift", "live"])
def test_a_bad_flag_shows_the_subcommands_usage(capsys, command):
    with pytest.raises(SystemExit) as exc:
        main([command, "--no-such-flag", "x"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith(f"usage: l4e-contract {command} ")
    assert f"l4e-contract {command}: error: unrecognized arguments: --no-such-flag" in err


# --- 2. only regular files are read ----------------------------------------------------------


@pytest.fixture
def specials(tmp_path):
    """A folder with a good recording beside a FIFO and a socket named *.json."""
    folder = tmp_path / "recordings"
    folder.mkdir()
    (folder / "good.json").write_text(json.dumps(GOOD))
    os.mkfifo(folder / "fifo.json")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(folder / "socket.json"))
    except OSError:  # a path too long for AF_UNIX: the FIFO still makes the point
        pass
    yield folder
    sock.close()


def test_validate_reports_a_fifo_and_a_socket_without_opening_them(specials):
    proc = cli("validate", "--format", "json", specials, specials / "fifo.json", "/dev/null")
    doc = json.loads(proc.stdout)
    errors = {Path(r["source"]).name: r["error"] for r in doc["results"] if r["verdict"] == "error"}
    assert proc.returncode == 2 and doc["summary"]["valid"] == 1
    assert errors["fifo.json"] == "not a regular file (a FIFO); only regular files are read"
    assert errors["null"] == "not a regular file (a character device); only regular files are read"
    if (specials / "socket.json").exists():
        assert errors["socket.json"] == "not a regular file (a socket); only regular files are read"


def test_drift_reports_a_fifo_without_opening_it(specials):
    proc = cli("drift", specials, specials)
    assert proc.returncode == 2
    assert f"error: {specials / 'fifo.json'}: not a regular file (a FIFO)" in proc.stdout


def test_serve_skips_a_fifo_without_opening_it(specials):
    proc = cli("serve", specials, "--exit-after", "0.2")
    assert proc.returncode == 0, proc.stderr
    assert f"skipped {specials / 'fifo.json'}: not a regular file (a FIFO)" in proc.stderr


def test_the_plugin_reports_a_fifo_without_opening_it(specials, pytester):
    pytester.makepyfile(test_user='''
def test_recording(l4e_recording, describe_model_contract):
    describe_model_contract(l4e_recording.body)
''')
    result = pytester.runpytest_subprocess(f"--l4e-recordings={specials}", f"--l4e-recordings={specials / 'fifo.json'}",
                                           timeout=TIMEOUT)
    result.stdout.fnmatch_lines(["*fifo.json: not a regular file (a FIFO)*"])
    assert result.parseoutcomes()["passed"] == 1


def test_load_file_checks_the_kind_again_after_opening(tmp_path, monkeypatch):
    """A file swapped for a FIFO between the stat and the open: opened non-blocking, refused."""
    fifo = tmp_path / "swapped.json"
    os.mkfifo(fifo)
    real_stat = os.stat
    monkeypatch.setattr(loader.os, "stat", lambda p, *a, **k: real_stat(__file__))
    with pytest.raises(loader.LoadError, match="a FIFO"):
        loader.load_file(fifo)


# --- 3. input bounded by what a DescribeModel response can be ---------------------------------


def _string_members() -> dict[str, int]:
    """Every string member (nested ones too) of the committed schema, with its maxLength."""
    out = {}

    def walk(node, path):
        node = committed.resolve(node)
        if node.get("type") == "string":
            out[path] = node.get("maxLength", 0)
        for name, child in node.get("properties", {}).items():
            walk(child, f"{path}/{name}")
        assert "items" not in node, f"{path} is a list: MAX_CHARACTERS assumes none"

    walk(committed.schema(), "")
    return out


def test_the_size_limit_holds_every_member_at_its_bound_in_the_widest_escaping():
    members = _string_members()
    metrics = ("/ModelMetrics", "/PriorModelMetrics")
    chars = sum(max(n, loader.METRICS_CHARACTERS) if m in metrics else n for m, n in members.items())
    assert chars <= loader.MAX_CHARACTERS
    assert 6 * chars < loader.MAX_BYTES  # every character as \\uXXXX


def _at_bound(fill) -> dict:
    """A body with every string member at its bound (metrics at the allowance), filled by `fill(member, n)`."""
    body: dict = {}
    for member, n in _string_members().items():
        if member.endswith("Metrics"):
            n = loader.METRICS_CHARACTERS
        *parents, leaf = member.strip("/").split("/")
        node = body
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = fill(member, n)
    return body


def test_the_largest_response_in_bytes_is_accepted(tmp_path):
    path = tmp_path / "largest.json"
    envelope = {"l4e_recording": {"operation": "DescribeModel"}, "body": _at_bound(lambda m, n: "\u00e9" * n)}
    path.write_text(json.dumps(envelope, indent=2, ensure_ascii=True))
    assert path.stat().st_size > 18_000_000
    doc = loader.load_file(path)
    assert len(doc["body"]["Schema"]) == 1_000_000


def test_the_largest_response_in_commas_and_brackets_is_accepted(tmp_path):
    path = tmp_path / "crowded.json"
    marks = ",[{"
    path.write_text(json.dumps(_at_bound(lambda m, n: marks[len(m) % 3] * n), indent=2))
    doc = loader.load_file(path)
    assert len(doc["ModelMetrics"]) == loader.METRICS_CHARACTERS


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_text(json.dumps({**GOOD, "Schema": "x" * 3000}))
    monkeypatch.setattr(loader, "MAX_BYTES", 2000)
    monkeypatch.setattr(loader, "_read_at_most", None)  # reading it would fail the test with a TypeError
    with pytest.raises(loader.LoadError, match="over the 2,000 byte limit"):
        loader.load_file(path)


def test_more_values_than_a_response_can_hold_is_refused_before_parsing(tmp_path, monkeypatch):
    path = tmp_path / "crowded.json"
    path.write_text('{"ModelName": "a", "X": [' + ",".join(["{}"] * 2000) + "]}")
    monkeypatch.setattr(loader, "MAX_VALUES", 1000)
    monkeypatch.setattr(loader, "json", None)  # parsing it would fail the test with an AttributeError
    with pytest.raises(loader.LoadError, match=r"holds 4,002 commas and brackets, more values than a "
                                               r"DescribeModel response can hold \(at most 1,000\)"):
        loader.load_file(path)


def test_more_members_than_a_response_has_stops_the_parse(tmp_path, monkeypatch):
    path = tmp_path / "members.json"
    path.write_text(json.dumps({**GOOD, "DataPreProcessingConfiguration": {f"k{i}": 1 for i in range(200)}}))
    monkeypatch.setattr(loader, "MAX_MEMBERS", 100)
    with pytest.raises(loader.LoadError, match="holds over 100 JSON objects and members outside its strings"):
        loader.load_file(path)
    monkeypatch.setattr(loader, "MAX_MEMBERS", 300)
    assert len(loader.load_file(path)["DataPreProcessingConfiguration"]) == 200


# --- 7. control characters are escaped when printed --------------------------------------------


def test_printable_escapes_controls_c1_and_bidi_overrides_and_keeps_the_rest():
    assert printable("a\x1b[31m\u202e\n\x9b\t\x7f") == "a\\x1b[31m\\u202e\\x0a\\x9b\\x09\\x7f"
    assert printable("pump-7 café 😀 /a/b.json") == "pump-7 café 😀 /a/b.json"


def test_the_text_reporter_never_prints_a_raw_escape(capsys):
    reporter = TextReporter(sys.stdout, verbose=True)
    reporter.result(Result.failed("evil\x1b]0;title\x07.json", "bad \x1b[2J byte"))
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert out == "evil\\x1b]0;title\\x07.json: error: bad \\x1b[2J byte\n"


def test_validate_escapes_a_model_name_and_a_file_name_from_the_input(tmp_path, capsys):
    evil = "pump\x1b[2J\x1b]0;owned\x07"
    path = tmp_path / "rec\x1b[31m.json"
    path.write_text(json.dumps({**GOOD, "ModelName": evil}))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "rec\\x1b[31m.json: " in out and "pump\\x1b[2J" in out


def test_drift_escapes_names_from_recordings(tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a.json").write_text(json.dumps(GOOD))
    evil = "x\x1b[2Jy"
    (new / "a.json").write_text(json.dumps({**GOOD, "ModelName": evil,
                                             "ModelArn": GOOD["ModelArn"].replace("pump-7", evil)}))
    main(["drift", str(old), str(new)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "+ model us-east-1/x\\x1b[2Jy" in out


# --- 7. clear one-line errors -------------------------------------------------------------------


def test_an_endpoint_url_that_is_not_a_url_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["live", "--endpoint-url", "notaurl"])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "Traceback" not in err
    assert "argument --endpoint-url: 'notaurl' is not a URL: give a scheme and a host" in err


def test_an_empty_model_name_is_a_usage_error_naming_the_bounds(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["live", "--model", ""])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "argument --model: '' is not a model name: DescribeModel takes 1 to 200 characters matching" in err


def test_a_profile_that_does_not_exist_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    config = tmp_path / "config"
    config.write_text("[profile ci]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    assert main(["live", "--profile", "nosuch"]) == 2
    assert capsys.readouterr().err == ("l4e-contract live: --profile nosuch: no such profile in the AWS config or "
                                       "credentials files (ProfileNotFound; known: ci)\n")


@pytest.mark.parametrize("argv, words", [
    (["live", "--read-timeout", "0"], "argument --read-timeout: 0: must be a number of seconds above 0"),
    (["live", "--connect-timeout", "soon"], "argument --connect-timeout: 'soon' is not a number of seconds"),
    (["fidelity", "--endpoint-url", "http://127.0.0.1:9", "--max-attempts", "0"], "argument --max-attempts: 0: must be at least 1"),
    (["serve", ""], "argument DIR: an empty path"),
])
def test_bad_values_are_usage_errors_naming_the_option(capsys, argv, words):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and words in err and f"usage: l4e-contract {argv[0]}" in err


def test_json_output_escapes_what_a_terminal_acts_on_and_still_decodes_to_the_same_text(tmp_path, capsys):
    path = tmp_path / "rec\u202e\x9b.json"
    path.write_text(json.dumps({**GOOD, "ModelName": "pump\x9b2J\u2066"}))
    for stream in (True, False):
        from l4e_contract.report.console import reporter

        out = reporter("json", sys.stdout, stream=stream)
        result = Result.failed(str(path), "bad \x9b\u202e")
        out.result(result)
        out.finish([result], {"total": 1})
        text = capsys.readouterr().out
        assert not any(c in text for c in "\x9b\u202e\u2066")
        assert json.loads(text)["results"][0] == result.to_dict()
    assert main(["validate", "--format", "json", str(path)]) == 1
    text = capsys.readouterr().out
    assert not any(c in text for c in "\x9b\u202e\u2066")
    assert json.loads(text)["results"][0]["source"] == str(path)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_file_name_that_is_not_utf8_is_printed_escaped_even_on_a_strict_stdout(tmp_path, fmt):
    folder = os.fsencode(tmp_path / "recs")
    os.mkdir(folder)
    with open(os.path.join(folder, b"bad\xff.json"), "w") as fh:
        fh.write("{")
    proc = cli("validate", "--format", fmt, os.fsdecode(folder), env={**os.environ, "PYTHONIOENCODING": "utf-8:strict"})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    if fmt == "text":
        assert "bad\\xff.json: error: truncated or malformed JSON" in proc.stdout
    else:
        assert json.loads(proc.stdout)["results"][0]["source"].endswith("bad\udcff.json")


def test_guarded_output_writes_what_a_strict_stream_cannot_encode_as_escapes():
    import io

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    out = GuardedOutput(stream)
    out.write("caf\u00e9\n")
    out.flush()
    assert raw.getvalue() == b"caf\\xe9\n" and out.error is None
