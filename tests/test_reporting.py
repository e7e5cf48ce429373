"""Reports: report.json, junit.xml and index.html in reports/<run-id>/, written atomically."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import l4e_contract
from l4e_contract.report import files as reporting
from l4e_contract.report import timeline
from l4e_contract.cli import main
from l4e_contract.findings import ERROR, WARNING, Violation
from l4e_contract.check.results import Result, document

from examples import as_boto3, as_parsed, valid_wire

HOSTILE = "ctl\x00\x01\x1b\x7f ]]> <script>alert(1)</script> & \"q\" \ud800 " + "x" * 50_000


def _results():
    good = valid_wire()
    bad = valid_wire()
    # the training data range ends before it starts: one time rule broken
    bad["TrainingDataEndTime"], bad["TrainingDataStartTime"] = bad["TrainingDataStartTime"], bad["TrainingDataEndTime"]
    bad_report = l4e_contract.validate(bad)
    assert bad_report.rules == {"time.training-data-range"}, bad_report.explain()
    results = [
        Result.from_report("good.json", l4e_contract.validate(good)),
        Result.from_report("bad.json", bad_report),
        Result.failed("broken.json", "truncated or malformed JSON: Unterminated string at line 1 column 9"),
        Result(source="hostile.json", verdict="invalid",
               violations=[Violation("/ModelName", "schema.type", HOSTILE)],
               warnings=[Violation("/X", "schema.unknown-member", HOSTILE, WARNING)]),
    ]
    return results, {"good.json": good, "bad.json": bad, "hostile.json": {"ModelName": HOSTILE}}


@pytest.fixture
def written(tmp_path):
    results, documents = _results()
    where = reporting.write_reports(results, tmp_path / "reports", command="validate", documents=documents)
    return where, results


def test_the_run_folder_holds_three_reports_and_nothing_else(written, tmp_path):
    where, _ = written
    assert where.parent == tmp_path / "reports"
    assert sorted(p.name for p in where.iterdir()) == ["index.html", "junit.xml", "report.json"]
    assert [p.name for p in (tmp_path / "reports").iterdir()] == [where.name]  # no temporary folder left


def test_run_ids_are_utc_time_then_random_and_sort_in_run_order():
    a = reporting.new_run_id(1_700_000_000.0)
    b = reporting.new_run_id(1_700_000_000.5)
    c = reporting.new_run_id(1_800_000_000.0)
    assert re.fullmatch(r"\d{8}T\d{9}Z-[0-9a-f]{6}", a)
    assert a.startswith("20231114T221320000Z")
    assert sorted([c, b, a]) == [a, b, c]
    assert reporting.new_run_id(1_700_000_000.0) != a  # the random part tells same-millisecond runs apart


def test_report_json_is_the_validate_document_plus_run_metadata(written):
    where, results = written
    doc = json.loads((where / "report.json").read_text(encoding="utf-8"))
    run = doc.pop("run")
    expected = document(results)
    assert doc["summary"] == expected["summary"] == {"total": 4, "valid": 1, "invalid": 2, "error": 1, "warnings": 1}
    assert [r["source"] for r in doc["results"]] == [r.source for r in results]
    assert doc["results"][1]["violations"] == [v.to_dict() for v in results[1].violations]
    assert doc["results"][2]["error"].startswith("truncated")
    # the lone surrogate of hostile input survives as its JSON escape
    assert doc["results"][3]["violations"][0]["message"] == HOSTILE
    assert run["command"] == "validate" and run["run_id"] == where.name
    assert run["l4e_contract_version"] == l4e_contract.__version__
    assert run["started"] <= run["finished"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", run["finished"])


def test_junit_counts_failures_errors_and_carries_every_violation(written):
    where, results = written
    root = ET.parse(where / "junit.xml").getroot()
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {"good.json", "bad.json", "broken.json", "hostile.json"}
    assert list(cases["good.json"]) == []
    failure = cases["bad.json"].find("failure")
    assert "time.training-data-range" in failure.get("message")
    assert "/TrainingDataEndTime" in failure.text
    error = cases["broken.json"].find("error")
    assert error.get("message").startswith("truncated or malformed JSON")
    props = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert props["command"] == "validate" and props["run_id"] == where.name


def test_junit_stays_valid_xml_for_hostile_text_and_cuts_huge_messages(written):
    where, _ = written
    raw = (where / "junit.xml").read_bytes()
    root = ET.fromstring(raw)  # parses: no raw control characters, nothing unescaped
    case = next(c for c in root.iter("testcase") if c.get("name") == "hostile.json")
    text = case.find("failure").text
    assert "\\x00" in text and "\\x1b" in text and "\x00" not in text
    assert "]]>" in text and "<script>" in text  # kept as text, escaped in the file
    assert b"<script>" not in raw
    assert len(text) < 10_000 and "characters, cut" in text
    assert "warning:" in case.find("system-out").text


def test_html_is_escaped_self_contained_and_counts_rules_and_models(written):
    where, _ = written
    page = (where / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x00" not in page and "\x1b" not in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)  # no external assets
    # counts per rule and the model named by each source
    row = re.search(r"<tr><td><code>time\.training-data-range</code></td>(.*?)</tr>", page).group(1)
    assert re.findall(r">(\d+)<", row) == ["1", "0", "1"]
    assert "centrifugal-pump-7" in page
    # the sources with problems come first: error, then invalid, then valid
    order = [page.index(f"{name} — ") for name in ("broken.json", "bad.json", "hostile.json", "good.json")]
    assert order[0] < min(order[1:3]) and max(order[1:3]) < order[3]
    assert "broken.json" in page and "Unterminated string" in page


def test_every_timeline_is_well_formed_svg_and_the_violation_is_drawn_red(written):
    where, _ = written
    page = (where / "index.html").read_text(encoding="utf-8")
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == 2  # good and bad have timestamps; hostile.json has none, broken.json no body
    trees = [ET.fromstring(s) for s in svgs]
    ns = "{http://www.w3.org/2000/svg}"
    bad, good = trees  # sources with problems come first
    assert not [g for g in good.iter(f"{ns}g") if "error" in g.get("class", "")]
    red = [g for g in bad.iter(f"{ns}g") if g.get("class") == "mark error"]
    assert len(red) == 1
    title = red[0].find(f"{ns}title").text
    assert "TrainingDataEndTime" in title and "[time.training-data-range]" in title
    assert "No timeline: the response has no readable timestamps." in page


def test_timelines_are_the_same_picture_in_wire_and_parsed_form():
    wire = valid_wire()
    assert timeline.svg(wire) == timeline.svg(as_parsed(wire)) == timeline.svg(as_boto3(wire))
    labels = " ".join(re.findall(r">([^<>]+)</text>", timeline.svg(wire)))
    for lane in ("Training data", "Evaluation data", "Training run", "Model", "Activations"):
        assert lane in labels


def test_timeline_draws_every_timestamp_the_contract_has():
    """A timestamp member left out of the lanes would silently vanish from the picture."""
    placed = {m for _, items in timeline._known_lanes() for i in items for m in i[:2] if m}
    assert placed == set(l4e_contract.contract.committed.timestamp_members())


def test_an_ordering_violation_marks_both_members_it_compares():
    doc = valid_wire()
    doc["ModelVersionActivatedAt"] = doc["CreatedAt"] - 86400
    report = l4e_contract.validate(doc)
    assert "time.created-before-activation" in report.rules
    marked = timeline.findings_by_member(report.violations)
    assert {"CreatedAt", "ModelVersionActivatedAt"} <= set(marked)
    out = timeline.svg(doc, report.violations)
    red = re.findall(r'<g class="mark error"><title>([^<]*)</title>', out)
    assert any(t.startswith("CreatedAt ") for t in red) and any(t.startswith("ModelVersionActivatedAt ") for t in red)
    # a rule that is not about ordering marks only the member its pointer names
    other = [Violation("/CreatedAt", "schema.timestamp", "ModelVersionActivatedAt is mentioned here")]
    assert set(timeline.findings_by_member(other)) == {"CreatedAt"}


def test_timeline_warnings_are_amber_and_unreadable_timestamps_are_named():
    doc = valid_wire()
    doc["CreatedAt"] = "yesterday"
    findings = [Violation("/CreatedAt", "schema.timestamp", "not a timestamp", ERROR),
                Violation("/TrainingExecutionEndTime", "x.warn", "odd", WARNING)]
    out = timeline.svg(doc, findings)
    assert "Not drawn (unreadable timestamp): CreatedAt" in out
    assert 'class="mark warning"' in out and 'class="mark error"' not in out
    assert timeline.svg([1, 2]).startswith('<p class="note">')


def test_a_crash_while_writing_leaves_no_report_at_all(tmp_path, monkeypatch):
    results, documents = _results()
    base = tmp_path / "reports"
    earlier = reporting.write_reports(results, base, command="validate", documents=documents)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(reporting, "_write_html", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        reporting.write_reports(results, base, command="validate", documents=documents, run_id="20990101T000000000Z-abcdef")
    assert [p.name for p in base.iterdir()] == [earlier.name]  # the earlier run is untouched, nothing half-written
    assert sorted(p.name for p in earlier.iterdir()) == ["index.html", "junit.xml", "report.json"]


def test_an_existing_run_folder_is_never_overwritten(tmp_path):
    results, _ = _results()
    (tmp_path / "r" / "same").mkdir(parents=True)
    with pytest.raises(reporting.ReportError, match="already exists"):
        reporting.write_reports(results, tmp_path / "r", command="validate", run_id="same")
    assert list((tmp_path / "r" / "same").iterdir()) == []


def test_a_report_dir_that_cannot_be_used_is_a_one_line_error(tmp_path, capsys):
    results, _ = _results()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(reporting.ReportError, match=f"cannot write reports to {blocker}"):
        reporting.write_reports(results, blocker, command="validate")
    doc = tmp_path / "a.json"
    doc.write_text(json.dumps(valid_wire()))
    code = main(["validate", str(doc), "--report-dir", str(blocker)])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write reports to" in err and "Traceback" not in err


def test_validate_report_dir_writes_the_reports(tmp_path, capsys):
    doc = valid_wire()
    (tmp_path / "a.json").write_text(json.dumps(doc))
    (tmp_path / "b.json").write_text("{")
    code = main(["validate", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--report-dir", str(tmp_path / "out")])
    assert code == 2
    (run,) = (tmp_path / "out").iterdir()
    report = json.loads((run / "report.json").read_text())
    assert report["summary"]["valid"] == 1 and report["summary"]["error"] == 1
    assert "<svg" in (run / "index.html").read_text()
    assert "reports written to" in capsys.readouterr().err


def test_report_json_is_json_dump_of_the_document_byte_for_byte(written):
    where, results = written
    text = (where / "report.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    expected = json.dumps(document(results, run=doc["run"]), indent=2, ensure_ascii=False) + "\n"
    assert text == expected.encode("utf-8", "backslashreplace").decode("utf-8")


def test_a_run_report_goes_to_disk_as_results_arrive_and_appears_whole_at_the_end(tmp_path):
    results, documents = _results()
    with reporting.RunReport(tmp_path, command="validate") as run:
        for r in results:
            run.add(r, documents.get(r.source))
        (partial,) = tmp_path.iterdir()
        assert partial.name.startswith(reporting.TMP_PREFIX)
        # each result is on disk already, not held until the end
        assert "broken.json" in (partial / "report.json").read_text(encoding="utf-8")
        assert "bad.json" in "".join(p.read_text(encoding="utf-8") for p in partial.glob(".sections-*"))
        where = run.finish()
    assert [p.name for p in tmp_path.iterdir()] == [where.name]
    assert sorted(p.name for p in where.iterdir()) == ["index.html", "junit.xml", "report.json"]


def test_leaving_a_run_report_unfinished_leaves_nothing(tmp_path):
    results, _ = _results()
    with pytest.raises(KeyboardInterrupt):
        with reporting.RunReport(tmp_path, command="validate") as run:
            run.add(results[0])
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_the_page_keeps_every_problem_and_bounds_the_clean_sources(tmp_path, monkeypatch):
    monkeypatch.setattr(reporting, "MAX_TIMELINES", 1)
    monkeypatch.setattr(reporting, "MAX_CLEAN_SECTIONS", 2)
    monkeypatch.setattr(reporting, "MAX_CLEAN_ROWS", 3)
    results, documents = _results()
    good, bad = documents["good.json"], documents["bad.json"]
    clean = [Result.from_report(f"clean-{i}.json", l4e_contract.validate(good)) for i in range(6)]
    with reporting.RunReport(tmp_path, command="validate") as run:
        for r in clean[:3]:
            run.add(r, good)
        run.add(results[1], bad)
        run.add(Result(source="bad-2.json", verdict="invalid", violations=results[1].violations), bad)
        for r in clean[3:]:
            run.add(r, good)
        where = run.finish()
    page = (where / "index.html").read_text(encoding="utf-8")
    assert "8 sources checked" in page
    rows = re.findall(r"<tr><td>(?:<a [^>]*>)?([^<]+)", page.split('class="sources"')[1])
    assert rows == ["bad.json", "bad-2.json", "clean-0.json", "clean-1.json", "clean-2.json"]
    assert "and 3 more valid sources with no finding" in page
    sections = re.findall(r"<section id=\"s\d+\"><h3>([^<]+) — ", page)
    assert sections == ["bad.json", "bad-2.json", "clean-0.json", "clean-1.json"]
    assert page.count("<svg") == 1 + 2  # one source with findings drawn, and the two clean sections
    assert "Timeline left out: only the first 1 sources with findings are drawn." in page
    report = json.loads((where / "report.json").read_text())
    assert len(report["results"]) == 8  # report.json keeps every source


def test_validate_refuses_an_unusable_report_dir_before_checking_anything(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(["validate", str(tmp_path / "nothing-here.json"), "--report-dir", str(blocker / "sub")])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""  # nothing was checked, nothing printed
    assert captured.err.count("\n") == 1 and "cannot write reports to" in captured.err


def test_reporting_never_imports_botocore_for_its_metadata(tmp_path):
    code = (
        "import sys, json\n"
        "from l4e_contract.report.files import write_reports\n"
        "from l4e_contract.check.results import Result\n"
        f"where = write_reports([Result('a', 'valid')], {str(tmp_path)!r}, command='validate')\n"
        "assert 'botocore' not in sys.modules, 'botocore was imported'\n"
        "print(json.load(open(where / 'report.json'))['run']['botocore_version'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "None"


# --- the example nightly workflow ------------------------------------------------------------------


def _workflow():
    import yaml

    from l4e_contract.contract import paths

    path = paths.contracts_dir().parent / ".github" / "workflows" / "nightly-live.yml"
    doc = yaml.safe_load(path.read_text())
    return doc, doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` key as True


def test_the_nightly_workflow_is_scheduled_assumes_a_role_and_keeps_reports_whatever_happens():
    doc, on = _workflow()
    assert on["schedule"][0]["cron"]
    assert doc["permissions"]["id-token"] == "write"
    (job,) = doc["jobs"].values()
    steps = job["steps"]
    creds = next(s for s in steps if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials"))
    assert "role-to-assume" in creds["with"] and "aws-access-key-id" not in creds["with"]
    live = next(s for s in steps if s.get("id") == "live")
    assert "l4e-contract live" in live["run"] and "--report-dir reports" in live["run"] and "--format json" in live["run"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact") and s["with"]["path"] == "reports/")
    assert upload["if"] == "always()"
    last = steps[-1]
    assert "steps.live.outputs.exit" in last["run"] and "exit 1" in last["run"]


def test_every_l4e_contract_command_in_the_workflow_parses():
    """A flag renamed in the CLI must not silently break the nightly job."""
    import shlex

    from l4e_contract.cli import build_parser

    doc, _ = _workflow()
    (job,) = doc["jobs"].values()
    commands = []
    for step in job["steps"]:
        for line in str(step.get("run", "")).splitlines():
            text = line.strip()
            if not text.startswith("l4e-contract "):
                continue
            for stop in (" > ", " || ", " | ", " && "):
                text = text.split(stop, 1)[0]
            commands.append(shlex.split(text)[1:])
    assert {c[0] for c in commands} >= {"live", "record", "drift"}
    for argv in commands:
        args = build_parser(argv[0]).parse_args(argv)  # SystemExit (a failure) on an unknown flag
        assert args.command == argv[0]
