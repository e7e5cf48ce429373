"""Reports of a run, written to `<report_dir>/<run-id>/`: report.json, junit.xml and index.html.

    where = write_reports(results, "reports", command="validate", documents=bodies)

- report.json is the document `--format json` prints, plus a `run` member
  (command, run id, start and end, versions);
- junit.xml is what CI systems show: one testcase per source;
- index.html is for a person: counts per rule and per source, and each source's
  timeline with its findings marked.

The run folder is built under a hidden temporary name in the same report_dir
and renamed into place at the end, so a reader never sees half a report: a
run either has its folder, whole, or none.

The reports are written as results arrive (RunReport), so a run over 100,000
files holds no result and no body in memory: report.json takes each result as
it comes; the JUnit test cases and the HTML rows and sections go to spill files
in the run folder, one per verdict (the page shows problems first), and are
joined under their headings, whose counts are known only at the end.
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import os
import re
import secrets
import shutil
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from l4e_contract.check.results import ERROR, INVALID, VALID, Result, Tally

JSON_NAME, JUNIT_NAME, HTML_NAME = "report.json", "junit.xml", "index.html"
MAX_TEXT = 4000  # characters of any one message kept in JUnit and HTML
MAX_SYSTEM_OUT = 64_000
MAX_TIMELINES = 2000  # sources with findings drawn; the rest are listed with their findings, no picture
# A source with no finding at all says little: the page keeps the first ones whole (a section and
# its timeline), lists the next ones as table rows, and only counts the rest (report.json has all).
MAX_CLEAN_SECTIONS = 500
MAX_CLEAN_ROWS = 5000
TMP_PREFIX = ".tmp-"

class ReportError(OSError):
    """The reports could not be written; str() is the one-line reason."""


# XML 1.0 forbids these code points outright, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def new_run_id(now: float | None = None) -> str:
    """UTC time to the millisecond, then a short random part: ids sort in run order."""
    t = _dt.datetime.fromtimestamp(time.time() if now is None else now, _dt.timezone.utc)
    return t.strftime("%Y%m%dT%H%M%S") + f"{t.microsecond // 1000:03d}Z-{secrets.token_hex(3)}"


def clean(text, limit: int = MAX_TEXT) -> str:
    """Text safe for XML and HTML: forbidden code points shown as \\xNN, long text cut with a note."""
    text = str(text)
    if len(text) > limit:
        text = f"{text[:limit]}... ({len(text):,} characters, cut)"
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _iso(epoch: float) -> str:
    return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _process_start() -> float | None:
    """When this process started (Linux), so `started` covers the whole run, not just the writing."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat", encoding="ascii") as fh:
            boot = next(int(line.split()[1]) for line in fh if line.startswith("btime "))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def run_metadata(command: str, run_id: str, started: float | None, finished: float) -> dict:
    from l4e_contract import __version__

    meta = {
        "command": command,
        "run_id": run_id,
        "started": _iso(started) if started is not None else None,
        "finished": _iso(finished),
        "l4e_contract_version": __version__,
        # only when the run already loaded it: a report never pays for importing botocore
        "botocore_version": getattr(sys.modules.get("botocore"), "__version__", None),
    }
    return meta


# --- report.json ----------------------------------------------------------------------------------


def _result_json(r: Result) -> str:
    # json.dump(indent=2) puts each result two levels deep: four more spaces on every line
    return json.dumps(r.to_dict(), indent=2, ensure_ascii=False).replace("\n", "\n    ")


def _json_tail(summary: dict, meta: dict, extra: dict | None) -> str:
    """What follows the results: the same text json.dump(indent=2) gives the whole document."""
    rest = {"summary": summary, "run": meta, **(extra or {})}
    return "".join(f',\n  {json.dumps(k)}: ' + json.dumps(v, indent=2, ensure_ascii=False, default=str).replace("\n", "\n  ")
                   for k, v in rest.items()) + "\n}\n"


# --- junit.xml -------------------------------------------------------------------------------------


def junit_case(r: Result, classname: str) -> ET.Element:
    case = ET.Element("testcase", {"classname": classname, "name": clean(r.source, 1000)})
    if r.verdict == INVALID:
        rules = sorted({v.rule for v in r.violations})
        failure = ET.SubElement(case, "failure", {
            "type": "contract-violation",
            "message": clean(f"{len(r.violations)} violation(s): {', '.join(rules)}", 1000)})
        failure.text = clean("\n".join(clean(v) for v in r.violations), MAX_SYSTEM_OUT)
    elif r.verdict == ERROR:
        err = ET.SubElement(case, "error", {"type": "unchecked", "message": clean(r.error or "error", 1000)})
        err.text = clean(r.error or "")
    if r.warnings:
        out = ET.SubElement(case, "system-out")
        out.text = clean("\n".join(f"warning: {clean(v)}" for v in r.warnings), MAX_SYSTEM_OUT)
    return case


def _junit_case_text(r: Result, classname: str) -> str:
    case = junit_case(r, classname)
    ET.indent(case, space="  ", level=2)
    return "    " + ET.tostring(case, encoding="unicode") + "\n"


def _junit_head(summary: dict, meta: dict) -> str:
    name = f"l4e-contract {meta['command']}"
    counts = {"tests": str(summary["total"]), "failures": str(summary[INVALID]), "errors": str(summary[ERROR]),
              "skipped": "0"}
    root = ET.Element("testsuites", {"name": name, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": name, **counts, "timestamp": meta["finished"]})
    props = ET.SubElement(suite, "properties")
    for key, value in meta.items():
        if value is not None:
            ET.SubElement(props, "property", {"name": key, "value": clean(value)})
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    # the suite's element, opened, with its properties: the cases are spliced in after them
    return "<?xml version='1.0' encoding='utf-8'?>\n" + text[:text.rindex("</testsuite>")].rstrip() + "\n"


_JUNIT_FOOT = "  </testsuite>\n</testsuites>"


# --- index.html --------------------------------------------------------------------------------------


def _e(text, limit: int = MAX_TEXT) -> str:
    return html.escape(clean(text, limit), quote=True)


def model_of(body) -> str:
    name = body.get("ModelName") if isinstance(body, dict) else None
    return name if isinstance(name, str) and name else "—"


class RuleCounts:
    """(rule, errors, warnings, sources) for every rule that fired, one result at a time."""

    def __init__(self):
        self.errors, self.warnings, self.sources = Counter(), Counter(), Counter()

    def add(self, r: Result) -> None:
        for v in r.violations:
            self.errors[v.rule] += 1
        for v in r.warnings:
            self.warnings[v.rule] += 1
        for rule in {v.rule for v in (*r.violations, *r.warnings)}:
            self.sources[rule] += 1

    def rows(self) -> list[tuple[str, int, int, int]]:
        """Most frequent first."""
        rules = set(self.errors) | set(self.warnings)
        return sorted(((k, self.errors[k], self.warnings[k], self.sources[k]) for k in rules),
                      key=lambda t: (-t[1], -t[2], t[0]))


def rule_counts(results: list[Result]) -> list[tuple[str, int, int, int]]:
    counts = RuleCounts()
    for r in results:
        counts.add(r)
    return counts.rows()


# the page's order: what could not be checked, then violations, then warnings, then the rest
RANKS = (ERROR, INVALID, "warning", VALID)


def rank_of(r: Result) -> str:
    if r.verdict in (ERROR, INVALID):
        return r.verdict
    return "warning" if r.warnings else VALID


_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}h3{font-size:1em;margin:1.6em 0 .4em;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:.5em 0;max-width:100%}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}td{overflow-wrap:anywhere}td.model{min-width:8em}td.n{text-align:right;white-space:nowrap}
.valid{color:#2e7d32}.invalid{color:#c62828}.error{color:#6a1b9a}
.warning{color:#b26a00}.note{color:#666;font-style:italic;overflow-wrap:anywhere}code{font-size:.95em;overflow-wrap:anywhere}
p{overflow-wrap:anywhere}ul.findings{margin:.3em 0;padding-left:1.2em}ul.findings li{margin:.15em 0;overflow-wrap:anywhere}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-right:4px}
svg.timeline{display:block}h1 span,p.counts span{white-space:nowrap}
""".strip()

_META_LABELS = {"run_id": "run id", "l4e_contract_version": "l4e-contract", "botocore_version": "botocore"}
_UNITS = {"source": ("source", "sources", "Per model"), "call": ("call", "calls", "Per call")}


class _Page:
    """index.html in parts: rows and sections spilled to files per rank as results arrive."""

    def __init__(self, folder: Path, unit: str):
        self.unit = _UNITS.get(unit, _UNITS["source"])
        self.rows = {k: open(folder / f".rows-{k}", "w+", encoding="utf-8", errors="replace") for k in RANKS}
        self.sections = {k: open(folder / f".sections-{k}", "w+", encoding="utf-8", errors="replace") for k in RANKS}
        self.rules = RuleCounts()
        self.count = 0
        self.drawn = 0
        self.clean_sections = 0
        self.clean_rows = 0
        self.clean_unlisted = 0
        self.timelines_left_out = 0

    def add(self, r: Result, body) -> None:
        from l4e_contract.report import timeline

        n, rank = self.count, rank_of(r)
        self.count += 1
        self.rules.add(r)
        clean_source = rank == VALID
        if clean_source and self.clean_rows >= MAX_CLEAN_ROWS:
            self.clean_unlisted += 1
            return
        with_section = not clean_source or self.clean_sections < MAX_CLEAN_SECTIONS
        self.clean_rows += clean_source
        self.clean_sections += clean_source and with_section
        name = f'<a href="#s{n}">{_e(r.source, 300)}</a>' if with_section else _e(r.source, 300)
        self.rows[rank].write(
            f'<tr><td>{name}</td><td class="model">{_e(model_of(body), 300)}</td>'
            f'<td class="{r.verdict}">{_e(r.verdict)}</td><td class="n">{len(r.violations)}</td>'
            f'<td class="n">{len(r.warnings)}</td></tr>\n')
        if not with_section:
            return
        out = [f'<section id="s{n}"><h3>{_e(r.source, 300)} — <span class="{r.verdict}">{_e(r.verdict)}</span></h3>']
        if r.verdict == ERROR:
            out.append(f'<p class="error">{_e(r.error or "")}</p>')
        findings = [*r.violations, *r.warnings]
        if findings:
            out.append('<ul class="findings">')
            for v in r.violations:
                out.append(f'<li class="invalid"><code>{_e(v.rule)}</code> <code>{_e(v.pointer or "/", 300)}</code> {_e(v.message)}</li>')
            for v in r.warnings:
                out.append(f'<li class="warning">warning <code>{_e(v.rule)}</code> <code>{_e(v.pointer or "/", 300)}</code> {_e(v.message)}</li>')
            out.append("</ul>")
        if body is not None:
            if clean_source or self.drawn < MAX_TIMELINES:
                out.append(timeline.svg(body, findings))
                self.drawn += not clean_source
            else:
                self.timelines_left_out += 1
                out.append(f'<p class="note">Timeline left out: only the first {MAX_TIMELINES:,} {self.unit[1]} '
                           'with findings are drawn.</p>')
        elif r.verdict != ERROR:
            out.append(f'<p class="note">No timeline: the run kept no body for this {self.unit[0]}.</p>')
        out.append("</section>\n")
        self.sections[rank].write("\n".join(out))

    def head(self, summary: dict, meta: dict, extra: dict | None) -> str:
        one, many, _ = self.unit
        counts = (f"{summary['total']:,} {one if summary['total'] == 1 else many} checked: "
                  f"<span class=\"valid\">{summary[VALID]:,} valid</span>, "
                  f"<span class=\"invalid\">{summary[INVALID]:,} invalid</span>, "
                  f"<span class=\"error\">{summary[ERROR]:,} error</span>, "
                  f"<span class=\"warning\">{summary['warnings']:,} warning(s)</span>")
        # a command's own verdict (fidelity's score) heads the page in its words; the counts,
        # of something else (calls), come below it, named for what they count
        headlines = [(k, p["summary"]) for k, p in (extra or {}).items()
                     if isinstance(p, dict) and isinstance(p.get("summary"), str)]
        out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
               '<meta name="viewport" content="width=device-width, initial-scale=1">',
               f"<title>l4e-contract {_e(meta['command'])} {_e(meta['run_id'])}</title>",
               f"<style>{_CSS}</style></head><body>"]
        if headlines:
            out.append(f'<h1 class="headline">l4e-contract {_e(meta["command"])}: {_e(headlines[0][1])}</h1>')
            out.extend(f'<p class="headline"><b>{_e(k)}:</b> {_e(text)}</p>' for k, text in headlines[1:])
            out.append(f'<p class="counts">{counts}</p>')
        else:
            out.append(f'<h1 class="counts">l4e-contract {_e(meta["command"])}: {counts}</h1>')
        out.append('<p class="meta">' + " · ".join(f"{_e(_META_LABELS.get(k, k))}: <code>{_e(v)}</code>"
                                                  for k, v in meta.items() if v is not None and k != "command") + "</p>")
        out.append("<h2>Findings per rule</h2>")
        rows = self.rules.rows()
        if rows:
            out.append(f'<table class="rules"><tr><th>rule</th><th>errors</th><th>warnings</th><th>{many}</th></tr>')
            for rule, n_err, n_warn, n_src in rows:
                out.append(f"<tr><td><code>{_e(rule)}</code></td><td class=\"n\">{n_err:,}</td>"
                           f"<td class=\"n\">{n_warn:,}</td><td class=\"n\">{n_src:,}</td></tr>")
            out.append("</table>")
        else:
            out.append('<p class="note">No rule fired.</p>')
        out.append(f'<h2>{self.unit[2]}</h2><table class="sources"><tr><th>{one}</th><th>model</th><th>verdict</th>'
                   "<th>violations</th><th>warnings</th></tr>")
        return "\n".join(out) + "\n"

    def middle(self) -> str:
        out = []
        if self.clean_unlisted:
            out.append(f'<tr><td colspan="5" class="note">and {self.clean_unlisted:,} more valid {self.unit[1]} with '
                       "no finding, not listed here (report.json lists every one)</td></tr>")
        out.append("</table>")
        out.append("<h2>Details</h2>")
        out.append('<p class="legend"><span><i class="sw" style="background:#3b6fb6"></i>as recorded</span>'
                   '<span><i class="sw" style="background:#c62828"></i>member named by a violation</span>'
                   '<span><i class="sw" style="background:#d98e04"></i>member named by a warning</span>'
                   '<span>hover a mark for its times and findings</span></p>')
        if self.clean_rows > self.clean_sections or self.clean_unlisted:
            out.append(f'<p class="note">Only the first {MAX_CLEAN_SECTIONS:,} valid {self.unit[1]} with no finding '
                       "have a section and a timeline.</p>")
        return "\n".join(out) + "\n"

    def close(self) -> None:
        for fh in (*self.rows.values(), *self.sections.values()):
            fh.close()


def _copy_spill(fh, out) -> None:
    fh.flush()
    fh.seek(0)
    shutil.copyfileobj(fh, out, 1 << 20)


def _write_html(path: Path, page: _Page, summary: dict, meta: dict, extra: dict | None) -> None:
    with open(path, "w", encoding="utf-8", errors="replace") as out:
        out.write(page.head(summary, meta, extra))
        for rank in RANKS:
            _copy_spill(page.rows[rank], out)
        out.write(page.middle())
        for rank in RANKS:
            _copy_spill(page.sections[rank], out)
        out.write("</body></html>\n")


def html_report(results: list[Result], meta: dict, documents: dict | None, extra: dict | None = None,
                unit: str = "source") -> str:
    """index.html's text for results held in memory (small runs, tests)."""
    import tempfile

    documents = documents or {}
    with tempfile.TemporaryDirectory() as tmp:
        page = _Page(Path(tmp), unit)
        tally = Tally()
        try:
            for r in results:
                tally.add(r)
                page.add(r, documents.get(r.source))
            _write_html(Path(tmp) / HTML_NAME, page, tally.summary, meta, extra)
        finally:
            page.close()
        return (Path(tmp) / HTML_NAME).read_text(encoding="utf-8")


# --- the run folder ------------------------------------------------------------------------------------


class RunReport:
    """report.json, junit.xml and index.html of one run, written as its results arrive.

        with RunReport("reports", command="validate") as run:
            for result, body in ...:
                run.add(result, body)
            where = run.finish()

    The folder is created at once, so a report_dir that cannot be used is known
    before the run starts (ReportError). Leaving the block without finish()
    (an exception, Ctrl-C) removes the unfinished folder.
    """

    def __init__(self, report_dir, *, command: str, run_id: str | None = None, started: float | None = None,
                 unit: str = "source"):
        self.base = Path(report_dir)
        self.command = command
        self.run_id = run_id or new_run_id()
        self.started = started if started is not None else _process_start()
        self.final = self.base / self.run_id
        self.tmp = None
        try:
            self.base.mkdir(parents=True, exist_ok=True)
            if self.final.exists():
                raise FileExistsError(f"{self.final} already exists")
            tmp = self.base / f"{TMP_PREFIX}{self.run_id}-{secrets.token_hex(4)}"
            tmp.mkdir()
            self.tmp = tmp
            # Lone surrogates (legal in JSON input) cannot be UTF-8: written back as their \uXXXX escapes.
            self._json = open(tmp / JSON_NAME, "w", encoding="utf-8", errors="backslashreplace")
            self._json.write('{\n  "results": [')
            self._cases = open(tmp / ".junit-cases", "w+", encoding="utf-8", errors="replace")
            self._page = _Page(tmp, unit)
        except OSError as exc:
            self.abandon()
            raise ReportError(f"cannot write reports to {self.base}: {exc.strerror or exc}") from None
        self._tally = Tally()
        self._classname = f"l4e_contract.{command}"

    def add(self, result: Result, body=None) -> None:
        """One result, and the body that was checked (for its timeline; None when there is none)."""
        try:
            self._json.write(("\n    " if self._tally.summary["total"] == 0 else ",\n    ") + _result_json(result))
            self._cases.write(_junit_case_text(result, self._classname))
            self._page.add(result, body if isinstance(body, dict) else None)
        except OSError as exc:
            raise ReportError(f"cannot write reports to {self.base}: {exc.strerror or exc}") from None
        self._tally.add(result)

    @property
    def summary(self) -> dict:
        return self._tally.summary

    def finish(self, extra: dict | None = None) -> Path:
        """Complete the three reports and move the folder into place; return it.

        `extra` members are added to report.json (e.g. fidelity's score).
        """
        summary = self._tally.summary
        meta = run_metadata(self.command, self.run_id, self.started, time.time())
        try:
            self._json.write(("\n  ]" if summary["total"] else "]") + _json_tail(summary, meta, extra))
            self._json.close()
            with open(self.tmp / JUNIT_NAME, "w", encoding="utf-8", errors="replace") as out:
                out.write(_junit_head(summary, meta))
                _copy_spill(self._cases, out)
                out.write(_JUNIT_FOOT)
            self._cases.close()
            _write_html(self.tmp / HTML_NAME, self._page, summary, meta, extra)
            self._page.close()
            for spill in self.tmp.glob(".*"):
                spill.unlink()
            os.replace(self.tmp, self.final)
        except OSError as exc:
            self.abandon()
            raise ReportError(f"cannot write reports to {self.base}: {exc.strerror or exc}") from None
        self.tmp = None
        return self.final

    def abandon(self) -> None:
        """Remove the unfinished folder; the run leaves no half report."""
        for name in ("_json", "_cases"):
            fh = getattr(self, name, None)
            if fh is not None:
                fh.close()
        if getattr(self, "_page", None) is not None:
            self._page.close()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.abandon()


def write_reports(results: list[Result], report_dir, *, command: str, documents: dict[str, dict] | None = None,
                  run_id: str | None = None, started: float | None = None, extra: dict | None = None,
                  unit: str = "source") -> Path:
    """Write report.json, junit.xml and index.html to `<report_dir>/<run_id>/`, atomically; return the folder.

    `documents` maps a result's source to the body that was checked (for the
    timelines). `started` (epoch seconds) defaults to this process's start.
    `extra` members are added to report.json (e.g. fidelity's score). `unit`
    names what a result is ("source", or "call" for fidelity) on the page.
    """
    documents = documents or {}
    with RunReport(report_dir, command=command, run_id=run_id, started=started, unit=unit) as run:
        for r in results:
            run.add(r, documents.get(r.source))
        return run.finish(extra)
