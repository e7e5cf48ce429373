"""The HTML report as a person sees it: opened in headless Chromium, looked at, measured.

Debian's `chromium` is driven over the DevTools protocol by playwright (the PyPI
wheel; no browser of its own is downloaded, `executable_path` names Debian's).
The screenshots are kept under reports/browser/ as CI artefacts.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from l4e_contract.cli import main
from l4e_contract.contract import paths
from l4e_contract.report import files as reporting
from l4e_contract.check.results import Result
from l4e_contract.findings import Violation

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason="chromium is not installed (Debian's chromium package; .ci/run installs it)")

ARTEFACTS = Path(__file__).resolve().parents[1] / "reports" / "browser"
RECORDINGS = paths.recordings_dir()
# as root in a container: no sandbox, no GPU, and nothing that reaches for the network
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}

# Every box on the page that is narrower than what it holds, and anything reaching past the
# body's right edge (an SVG has no scroll box of its own: its rectangle is compared instead).
OVERFLOW_JS = """() => {
  const bad = [];
  const right = document.body.getBoundingClientRect().right + 1;
  for (const el of document.body.querySelectorAll('*')) {
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + el.className : '');
    if (el.clientWidth && el.scrollWidth > el.clientWidth + 1) bad.push(name + ' holds ' + el.scrollWidth + 'px in ' + el.clientWidth + 'px');
    if (!(el instanceof SVGElement) || el.tagName.toLowerCase() === 'svg') {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > right) bad.push(name + ' ends at ' + Math.round(r.right) + 'px, past the body at ' + Math.round(right) + 'px');
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) bad.push('the page scrolls sideways: ' + page.scrollWidth + ' > ' + page.clientWidth);
  return bad.slice(0, 20);
}"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh --user-data-dir
            executable_path=CHROMIUM, headless=True, args=FLAGS, viewport=VIEWPORT, offline=True)
        yield context
        context.close()


class Opened:
    """A page and what it said on its console while loading."""

    def __init__(self, context, index: Path):
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        self.page.goto(index.as_uri(), wait_until="load")

    def text(self, selector: str) -> str:
        return self.page.inner_text(selector)

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def overflowing(self) -> list[str]:
        return self.page.evaluate(OVERFLOW_JS)


def _validate_to_report(tmp_path, *paths_) -> Path:
    code = main(["validate", "--quiet", *map(str, paths_), "--report-dir", str(tmp_path / "reports")])
    assert code in (0, 1), code
    (run,) = (tmp_path / "reports").iterdir()
    return run


def _keep(page, name: str, full_page: bool = True) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    where = ARTEFACTS / name
    page.screenshot(path=str(where), full_page=full_page)
    return where


def test_the_report_of_the_bundled_recordings_shows_counts_tables_and_timelines(browser, tmp_path):
    run = _validate_to_report(tmp_path, RECORDINGS)
    summary = json.loads((run / "report.json").read_text())["summary"]
    opened = Opened(browser, run / "index.html")

    shot = _keep(opened.page, "report.png")
    assert shot.stat().st_size > 10_000  # a picture with something in it, kept as an artefact
    heading = opened.text("h1")
    for figure in (f"{summary['total']} sources checked", f"{summary['valid']} valid", f"{summary['invalid']} invalid",
                   f"{summary['error']} error", f"{summary['warnings']} warning(s)"):
        assert figure in heading
    # the rule table has a row per rule that fired, the source table one per file
    fired = {v["rule"] for r in json.loads((run / "report.json").read_text())["results"]
             for v in (*r["violations"], *r["warnings"])}
    assert opened.count("table.rules tr") == len(fired) + 1
    assert opened.count("table.sources tr") == summary["total"] + 1
    # a timeline for every source whose body is an object (form.object.json's is not), drawn with a visible size
    timelines = opened.page.locator("svg.timeline")
    assert timelines.count() == summary["total"] - 1
    assert opened.count("section:has(svg.timeline), section:has(p.note:text('No timeline'))") == summary["total"]
    box = timelines.first.bounding_box()
    assert box["width"] > 600 and box["height"] > 80
    assert timelines.last.is_visible()
    assert opened.problems == []
    assert opened.overflowing() == []


def test_a_range_rule_is_told_once_in_its_tooltip(browser, tmp_path):
    ranges = sorted(RECORDINGS.glob("invalid/time.*-range.json")) + [
        RECORDINGS / "invalid" / f"time.{n}.json" for n in ("training-execution", "import-job", "accumulated-inference")]
    assert len(ranges) == 5
    run = _validate_to_report(tmp_path, *ranges)
    opened = Opened(browser, run / "index.html")
    titles = opened.page.evaluate("() => [...document.querySelectorAll('g.mark.error > title')].map(t => t.textContent)")
    told = [line for t in titles for line in t.splitlines() if line.startswith("[time.")]
    assert {line.split("]")[0] for line in told} == {f"[{p.stem}" for p in ranges}
    for title in titles:
        lines = [line for line in title.splitlines() if line.startswith("[")]
        assert len(lines) == len(set(lines)), title
    assert opened.problems == [] and opened.overflowing() == []


def test_long_names_and_messages_stay_inside_their_boxes(browser, tmp_path):
    name = "pump-" + "x" * 180
    long_message = "a message without spaces " + "y" * 600
    results = [Result(source="/very/long/path/" + "d" * 250 + ".json", verdict="invalid",
                      violations=[Violation("/ModelName/" + "p" * 300, "schema.maxLength", long_message)])]
    where = reporting.write_reports(results, tmp_path, command="validate",
                                    documents={results[0].source: {"ModelName": name, "CreatedAt": 1.7e9}})
    opened = Opened(browser, where / "index.html")
    _keep(opened.page, "long-names.png")
    assert name in opened.text("table.sources")
    assert opened.problems == []
    assert opened.overflowing() == []


def test_a_fidelity_page_heads_with_its_score_and_counts_calls_apart(browser, tmp_path):
    headline = "fidelity of http://127.0.0.1:1 against 11 recorded model(s): score 96/100 (50/52 checks), NOT faithful"
    results = [Result(source=f"http://127.0.0.1:1 DescribeModel {i}", verdict="valid") for i in range(12)]
    results.append(Result(source="http://127.0.0.1:1 ListModels", verdict="invalid",
                          violations=[Violation("/ModelSummaries", "fidelity.structure", "missing")]))
    where = reporting.write_reports(results, tmp_path, command="fidelity", unit="call",
                                    extra={"fidelity": {"summary": headline}})
    opened = Opened(browser, where / "index.html")
    _keep(opened.page, "fidelity.png", full_page=False)
    assert opened.text("h1") == f"l4e-contract fidelity: {headline}"
    assert opened.text("p.counts").startswith("13 calls checked: 12 valid, 1 invalid")
    assert opened.text("table.sources th") == "call" and opened.text("table.rules th:last-child") == "calls"
    assert opened.problems == [] and opened.overflowing() == []


def test_a_thousand_sources_load_count_right_and_stay_usable(browser, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    # every kind of model and of violation, each body an object (so each has its timeline)
    kinds = sorted(RECORDINGS.glob("valid/wire/*.json")) + sorted(
        p for p in RECORDINGS.glob("invalid/*.json") if p.name != "form.object.json")
    for i in range(1000):
        shutil.copyfile(kinds[i % len(kinds)], folder / f"{i:04d}.json")
    run = _validate_to_report(tmp_path, folder)
    summary = json.loads((run / "report.json").read_text())["summary"]
    assert summary["total"] == 1000 and summary["invalid"] > 0 and summary["valid"] > 0
    opened = Opened(browser, run / "index.html")

    _keep(opened.page, "report-1000.png", full_page=False)
    assert "1,000 sources checked" in opened.text("h1")
    assert f"{summary['invalid']:,} invalid" in opened.text("h1")
    assert opened.count("table.sources tr") == 1001
    assert opened.count("svg.timeline") == 1000
    # usable: the last row's link takes the reader to its section, timeline and all
    last = opened.page.locator("table.sources a").last
    target = last.get_attribute("href")
    last.click()
    section = opened.page.locator(target)
    assert section.is_visible() and section.locator("svg.timeline").count() == 1
    assert opened.page.evaluate(f"() => document.querySelector('{target}').getBoundingClientRect().top") < VIEWPORT["height"]
    assert opened.page.evaluate("() => window.scrollY") > 0
    assert opened.problems == []
    assert opened.overflowing() == []

