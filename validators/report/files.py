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

from l4e_contract.check.results import ERROR, INVALID, VALID, Result, document, summarize

JSON_NAME, JUNIT_NAME, HTML_NAME = "report.json", "junit.xml", "index.html"
MAX_TEXT = 4000  # characters of any one message kept in JUnit and HTML
MAX_SYSTEM_OUT = 64_000
MAX_TIMELINES = 2000  # beyond this many sources, index.html lists the rest without pictures
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


def json_document(results: list[Result], meta: dict) -> dict:
    return document(results, run=meta)


def _write_json(path: Path, doc: dict) -> None:
    # Lone surrogates (legal in JSON input) cannot be UTF-8: written back as their \uXXXX escapes.
    with open(path, "w", encoding="utf-8", errors="backslashreplace") as fh:
        json.dump(doc, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


# --- junit.xml -------------------------------------------------------------------------------------


def junit_tree(results: list[Result], meta: dict) -> ET.ElementTree:
    summary = summarize(results)
    name = f"l4e-contract {meta['command']}"
    counts = {"tests": str(summary["total"]), "failures": str(summary[INVALID]), "errors": str(summary[ERROR]),
              "skipped": "0"}
    root = ET.Element("testsuites", {"name": name, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": name, **counts, "timestamp": meta["finished"]})
    props = ET.SubElement(suite, "properties")
    for key, value in meta.items():
        if value is not None:
            ET.SubElement(props, "property", {"name": key, "value": clean(value)})
    classname = f"l4e_contract.{meta['command']}"
    for r in results:
        case = ET.SubElement(suite, "testcase", {"classname": classname, "name": clean(r.source, 1000)})
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
    ET.indent(root)
    return ET.ElementTree(root)


def _write_junit(path: Path, results: list[Result], meta: dict) -> None:
    junit_tree(results, meta).write(path, encoding="utf-8", xml_declaration=True)


# --- index.html --------------------------------------------------------------------------------------


def _e(text, limit: int = MAX_TEXT) -> str:
    return html.escape(clean(text, limit), quote=True)


def model_of(body) -> str:
    name = body.get("ModelName") if isinstance(body, dict) else None
    return name if isinstance(name, str) and name else "—"


def rule_counts(results: list[Result]) -> list[tuple[str, int, int, int]]:
    """(rule, errors, warnings, sources) for every rule that fired, most frequent first."""
    errors, warnings, sources = Counter(), Counter(), Counter()
    for r in results:
        for v in r.violations:
            errors[v.rule] += 1
        for v in r.warnings:
            warnings[v.rule] += 1
        for rule in {v.rule for v in (*r.violations, *r.warnings)}:
            sources[rule] += 1
    rules = set(errors) | set(warnings)
    return sorted(((k, errors[k], warnings[k], sources[k]) for k in rules), key=lambda t: (-t[1], -t[2], t[0]))


_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}h3{font-size:1em;margin:1.6em 0 .4em;word-break:break-all}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.model{white-space:nowrap}td.n{text-align:right}.valid{color:#2e7d32}.invalid{color:#c62828}.error{color:#6a1b9a}
.warning{color:#b26a00}.note{color:#666;font-style:italic}code{font-size:.95em}
ul.findings{margin:.3em 0;padding-left:1.2em}ul.findings li{margin:.15em 0;word-break:break-word}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-right:4px}
""".strip()


def html_report(results: list[Result], meta: dict, documents: dict | None, extra: dict | None = None) -> str:
    from l4e_contract.report import timeline

    documents = documents or {}
    summary = summarize(results)
    # problems first: what could not be checked, then violations, then warnings
    rank = {ERROR: 0, INVALID: 1}
    results = sorted(results, key=lambda r: (rank.get(r.verdict, 3 if not r.warnings else 2)))
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>l4e-contract {_e(meta['command'])} {_e(meta['run_id'])}</title>",
           f"<style>{_CSS}</style></head><body>",
           f"<h1>l4e-contract {_e(meta['command'])}: {summary['total']} checked, "
           f"<span class=\"valid\">{summary[VALID]} valid</span>, "
           f"<span class=\"invalid\">{summary[INVALID]} invalid</span>, "
           f"<span class=\"error\">{summary[ERROR]} error</span>, "
           f"<span class=\"warning\">{summary['warnings']} warning(s)</span></h1>",
           "<p>" + " · ".join(f"{_e(k.replace('_', ' '))}: <code>{_e(v)}</code>"
                              for k, v in meta.items() if v is not None and k != "command") + "</p>"]
    for key, part in (extra or {}).items():
        # a command's own verdict (fidelity's score) heads the page in its words
        if isinstance(part, dict) and isinstance(part.get("summary"), str):
            out.append(f'<p class="headline"><b>{_e(key)}:</b> {_e(part["summary"])}</p>')

    out.append("<h2>Findings per rule</h2>")
    counts = rule_counts(results)
    if counts:
        out.append("<table><tr><th>rule</th><th>errors</th><th>warnings</th><th>sources</th></tr>")
        for rule, n_err, n_warn, n_src in counts:
            out.append(f"<tr><td><code>{_e(rule)}</code></td><td class=\"n\">{n_err}</td>"
                       f"<td class=\"n\">{n_warn}</td><td class=\"n\">{n_src}</td></tr>")
        out.append("</table>")
    else:
        out.append('<p class="note">No rule fired.</p>')

    out.append("<h2>Per model</h2><table><tr><th>source</th><th>model</th><th>verdict</th>"
               "<th>violations</th><th>warnings</th></tr>")
    for i, r in enumerate(results):
        out.append(f'<tr><td><a href="#s{i}">{_e(r.source, 300)}</a></td><td class="model">{_e(model_of(documents.get(r.source)), 300)}</td>'
                   f'<td class="{r.verdict}">{_e(r.verdict)}</td><td class="n">{len(r.violations)}</td>'
                   f'<td class="n">{len(r.warnings)}</td></tr>')
    out.append("</table>")

    out.append("<h2>Sources</h2>")
    out.append('<p class="legend"><span><i class="sw" style="background:#3b6fb6"></i>as recorded</span>'
               '<span><i class="sw" style="background:#c62828"></i>member named by a violation</span>'
               '<span><i class="sw" style="background:#d98e04"></i>member named by a warning</span>'
               '<span>hover a mark for its times and findings</span></p>')
    drawn = 0
    for i, r in enumerate(results):
        out.append(f'<section id="s{i}"><h3>{_e(r.source, 300)} — <span class="{r.verdict}">{_e(r.verdict)}</span></h3>')
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
        if r.source in documents:
            if drawn < MAX_TIMELINES:
                out.append(timeline.svg(documents[r.source], findings))
                drawn += 1
            else:
                out.append(f'<p class="note">Timeline left out: only the first {MAX_TIMELINES} are drawn.</p>')
        elif r.verdict != ERROR:
            out.append('<p class="note">No timeline: the run kept no body for this source.</p>')
        out.append("</section>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _write_html(path: Path, results: list[Result], meta: dict, documents: dict | None, extra: dict | None) -> None:
    with open(path, "w", encoding="utf-8", errors="replace") as fh:
        fh.write(html_report(results, meta, documents, extra))


# --- the run folder ------------------------------------------------------------------------------------


def write_reports(results: list[Result], report_dir, *, command: str, documents: dict[str, dict] | None = None,
                  run_id: str | None = None, started: float | None = None, extra: dict | None = None) -> Path:
    """Write report.json, junit.xml and index.html to `<report_dir>/<run_id>/`, atomically; return the folder.

    `documents` maps a result's source to the body that was checked (for the
    timelines). `started` (epoch seconds) defaults to this process's start.
    `extra` members are added to report.json (e.g. fidelity's score).
    """
    base = Path(report_dir)
    run_id = run_id or new_run_id()
    final = base / run_id
    try:
        base.mkdir(parents=True, exist_ok=True)
        if final.exists():
            raise FileExistsError(f"{final} already exists")
        tmp = base / f"{TMP_PREFIX}{run_id}-{secrets.token_hex(4)}"
        tmp.mkdir()
    except OSError as exc:
        raise ReportError(f"cannot write reports to {base}: {exc.strerror or exc}") from None
    meta = run_metadata(command, run_id, started if started is not None else _process_start(), time.time())
    try:
        _write_json(tmp / JSON_NAME, {**json_document(results, meta), **(extra or {})})
        _write_junit(tmp / JUNIT_NAME, results, meta)
        _write_html(tmp / HTML_NAME, results, meta, documents, extra)
        os.replace(tmp, final)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ReportError(f"cannot write reports to {base}: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
