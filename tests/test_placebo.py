"""placebo's files, recorded by the real placebo with a real boto3 client against `serve`, read by
`validate` as boto3's parsed form; the zone placebo drops is UTC unless --placebo-tz says otherwise."""
from __future__ import annotations

import datetime as dt
import json

import pytest

import recorded
from l4e_contract.cli import main
from l4e_contract.contract.timestamps import to_epoch
from l4e_contract.load.placebo import parse_zone
from l4e_contract.load.sources import file_items

MODELS = ["chiller-5", recorded.BROKEN_RULE, recorded.NOT_JSON, recorded.MISSING]


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    """placebo's files of the same calls, recorded on a machine in UTC and on one in Asia/Kolkata."""
    folder = tmp_path_factory.mktemp("placebo")
    with recorded.served() as server:
        for zone in ("UTC", "Asia/Kolkata"):
            with recorded.local_zone(zone):
                recorded.record_placebo(folder / zone.replace("/", "-"), server, MODELS)
    return folder


def _run(capsys, *args):
    code = main(["validate", "--format", "json", *map(str, args)])
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def test_what_placebo_writes_is_what_this_reads(recordings):
    doc = json.loads((recordings / "UTC" / "lookoutequipment.DescribeModel_1.json").read_text())
    assert doc.keys() == {"status_code", "data"} and doc["status_code"] == 200
    assert doc["data"]["CreatedAt"]["__class__"] == "datetime" and "tzinfo" not in doc["data"]["CreatedAt"]


def test_each_describe_model_file_is_checked_as_boto3s_parsed_form(recordings, capsys):
    folder = recordings / "UTC"
    code, doc, err = _run(capsys, folder)
    by_name = {r["source"].rsplit("/", 1)[-1]: r for r in doc["results"]}
    assert list(by_name) == [f"lookoutequipment.DescribeModel_{n}.json" for n in (1, 2, 3)]
    good, broken, html = by_name.values()
    assert good["verdict"] == "valid" and not good["warnings"]
    assert [v["rule"] for v in broken["violations"]] == ["time.training-data-range"]
    # botocore turned the HTML page into {} and placebo recorded that: the contract catches it
    assert html["verdict"] == "invalid" and {v["rule"] for v in html["violations"]} == {"schema.required"}
    assert code == 1
    assert ("lookoutequipment.DescribeModel_4.json: note: recorded error ResourceNotFoundException (HTTP 400): "
            "Model pump-missing not found; not judged") in err
    assert "ListModels_1.json" not in err  # another operation: named only with -v
    main(["validate", "-v", str(folder)])
    assert "ListModels_1.json: note: placebo recording of ListModels: counted, not judged" in capsys.readouterr().err


def _created_at(path, tz=None) -> float:
    (item,) = file_items(str(path), tz)
    return to_epoch(item.body["CreatedAt"])


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "+05:30", "+0530"])
def test_the_recording_machines_zone_read_both_ways(recordings, zone):
    served = recorded.wire_body("chiller-5")
    utc_file = recordings / "UTC" / "lookoutequipment.DescribeModel_1.json"
    kolkata_file = recordings / "Asia-Kolkata" / "lookoutequipment.DescribeModel_1.json"
    # recorded in UTC: the default reads the instant the service sent
    assert _created_at(utc_file) == pytest.approx(served["CreatedAt"])
    # recorded in Kolkata: the same instant was written as Kolkata's wall clock, 5:30 ahead
    assert _created_at(kolkata_file) == pytest.approx(served["CreatedAt"] + 5.5 * 3600)
    assert _created_at(kolkata_file, parse_zone(zone)) == pytest.approx(served["CreatedAt"])


def _utc_text(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")


def test_placebo_tz_on_the_command_line(recordings, capsys, tmp_path):
    """The HTML report's timeline shows the instants read: the served ones only with the right zone."""
    created = recorded.wire_body("chiller-5")["CreatedAt"]
    kolkata_file = recordings / "Asia-Kolkata" / "lookoutequipment.DescribeModel_1.json"
    pages = {}
    for zone in ("UTC", "Asia/Kolkata"):
        code = main(["validate", "--placebo-tz", zone, "--report-dir", str(tmp_path / zone), str(kolkata_file)])
        assert code == 0
        (pages[zone],) = [p.read_text() for p in (tmp_path / zone).glob("*/index.html")]
    capsys.readouterr()
    assert _utc_text(created) in pages["Asia/Kolkata"] and _utc_text(created) not in pages["UTC"]
    assert _utc_text(created + 5.5 * 3600) in pages["UTC"]
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--placebo-tz", "Mars/Olympus_Mons", str(kolkata_file)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --placebo-tz: 'Mars/Olympus_Mons' is neither an offset like +05:30 nor a time zone name" in err


@pytest.mark.parametrize("text, offset", [("UTC", 0), ("Z", 0), ("+05:30", 330), ("-08:00", -480), ("+0545", 345)])
def test_parse_zone_offsets(text, offset):
    zone = parse_zone(text)
    assert zone.utcoffset(dt.datetime(2023, 1, 1)) == dt.timedelta(minutes=offset)


def test_parse_zone_refuses_what_is_not_a_zone():
    for text in ("+25:00", "Europe/Nowhere", "../../etc/passwd", ""):
        with pytest.raises(ValueError):
            parse_zone(text)


def test_an_iana_zone_follows_daylight_saving():
    zone = parse_zone("America/New_York")
    assert dt.datetime(2023, 1, 1, tzinfo=zone).utcoffset() == dt.timedelta(hours=-5)
    assert dt.datetime(2023, 7, 1, tzinfo=zone).utcoffset() == dt.timedelta(hours=-4)


BROKEN = {
    "lookoutequipment.DescribeModel_7.json": ({"__class__": "datetime", "year": 2023, "month": 2, "day": 30},
                                              "/CreatedAt: placebo datetime is not a real date and time"),
    "lookoutequipment.DescribeModel_8.json": ({"__class__": "datetime", "year": "2023", "month": 1, "day": 1},
                                              "/CreatedAt: placebo datetime is not whole-number fields"),
}


def test_a_broken_placebo_datetime_is_a_one_line_error_naming_where(recordings, tmp_path, capsys):
    doc = json.loads((recordings / "UTC" / "lookoutequipment.DescribeModel_1.json").read_text())
    for name, (value, _) in BROKEN.items():
        (tmp_path / name).write_text(json.dumps({"status_code": 200, "data": dict(doc["data"], CreatedAt=value)}))
    code, out, _ = _run(capsys, tmp_path)
    assert code == 2
    for r in out["results"]:
        assert r["error"].startswith(BROKEN[r["source"].rsplit("/", 1)[-1]][1]), r


def test_a_placebo_file_of_another_service_is_not_judged(recordings, tmp_path, capsys):
    doc = json.loads((recordings / "UTC" / "lookoutequipment.DescribeModel_1.json").read_text())
    (tmp_path / "sagemaker.DescribeModel_1.json").write_text(json.dumps(doc))
    (tmp_path / "renamed.json").write_text(json.dumps(doc))  # placebo's shape without its name: DescribeModel
    code, out, _ = _run(capsys, "-v", tmp_path)
    assert [r["source"].rsplit("/", 1)[-1] for r in out["results"]] == ["renamed.json"]
    assert out["results"][0]["verdict"] == "valid" and code == 0


USER_TEST = '''
def test_recording_follows_the_contract(l4e_recording, describe_model_contract):
    describe_model_contract(l4e_recording.body, what=l4e_recording.source)
'''


def test_the_plugin_reads_placebo_files(recordings, pytester):
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest(f"--l4e-recordings={recordings / 'Asia-Kolkata'}", "--l4e-placebo-tz=Asia/Kolkata",
                                "-v", "-rs")
    result.assert_outcomes(passed=1, failed=2, skipped=1)
    result.stdout.fnmatch_lines(["*DescribeModel_1.json? PASSED*", "*DescribeModel_4.json? SKIPPED*"])
    result.stdout.fnmatch_lines(["*recorded error ResourceNotFoundException (HTTP 400)*"])
