"""A picture of one response's timestamps: an inline SVG, one lane per phase of the model's life.

An ordering error is seen faster than read: a data range that ends before it
starts, an activation before the model existed. Members named by a finding's
pointer are drawn red (errors) or amber (warnings), with the message as the
tooltip. The picture is self-contained SVG text (no scripts, no external
assets), to be inlined in the HTML report; every piece of text is escaped.
"""
from __future__ import annotations

import datetime as _dt
import html
import re
from dataclasses import dataclass

from l4e_contract.contract import committed
from l4e_contract.findings import ERROR, Violation
from l4e_contract.contract.timestamps import to_epoch

# Lanes are presentation, not contract: which members belong on one line of the
# picture. Members are checked against the schema below, and any timestamp the
# schema gains later is drawn in an "other" lane rather than dropped.
LANES: tuple[tuple[str, tuple[tuple[str, str | None, str], ...]], ...] = (
    ("Training data", (("TrainingDataStartTime", "TrainingDataEndTime", "range"),)),
    ("Evaluation data", (("EvaluationDataStartTime", "EvaluationDataEndTime", "range"),)),
    ("Training run", (("TrainingExecutionStartTime", "TrainingExecutionEndTime", "range"),)),
    ("Model", (("CreatedAt", None, "created"), ("LastUpdatedTime", None, "updated"))),
    ("Import job", (("ImportJobStartTime", "ImportJobEndTime", "range"),)),
    ("Activations", (("PreviousModelVersionActivatedAt", None, "previous"),
                     ("ModelVersionActivatedAt", None, "active"))),
    ("Inference data", (("AccumulatedInferenceDataStartTime", "AccumulatedInferenceDataEndTime", "range"),)),
    ("Retraining", (("LatestScheduledRetrainingStartTime", None, "latest"),
                    ("NextScheduledRetrainingStartDate", None, "next"))),
)

WIDTH = 960
LABEL_W = 150
RIGHT_PAD = 24
LANE_H = 28
TOP = 10
AXIS_H = 34
COLORS = {"ok": "#3b6fb6", "error": "#c62828", "warning": "#d98e04"}


@dataclass
class Mark:
    """One thing drawn: an interval (start and end members) or a single instant."""

    lane: str
    label: str
    start_member: str
    end_member: str | None
    start: float | None
    end: float | None


def _known_lanes() -> list[tuple[str, tuple]]:
    members = set(committed.timestamp_members())
    lanes = []
    placed = set()
    for name, items in LANES:
        kept = tuple(i for i in items if i[0] in members and (i[1] is None or i[1] in members))
        placed.update(m for i in kept for m in (i[0], i[1]) if m)
        if kept:
            lanes.append((name, kept))
    rest = tuple((m, None, m) for m in committed.timestamp_members() if m not in placed)
    if rest:
        lanes.append(("Other", rest))
    return lanes


def marks_of(body: dict) -> list[Mark]:
    out = []
    for lane, items in _known_lanes():
        for start_m, end_m, label in items:
            start = to_epoch(body.get(start_m)) if start_m in body else None
            end = to_epoch(body.get(end_m)) if end_m and end_m in body else None
            if start is None and end is None:
                continue
            if label == "range" and (start is None or end is None):
                label = "start, no end" if end is None else "end, no start"
            if label in ("previous", "active"):
                version = body.get("PreviousActiveModelVersion" if label == "previous" else "ActiveModelVersion")
                if isinstance(version, int) and not isinstance(version, bool):
                    label = f"{label} v{version}"
            out.append(Mark(lane, label, start_m, end_m, start, end))
    return out


def _member_of(pointer: str) -> str:
    return pointer.lstrip("/").split("/", 1)[0].replace("~1", "/").replace("~0", "~")


def findings_by_member(findings: list[Violation]) -> dict[str, list[Violation]]:
    """Findings by the timestamp member they concern.

    A finding concerns the member its pointer names. An ordering rule (time.*)
    points at one member of the pair it compares and names the other in its
    message; both ends are marked, since either may be the wrong one.
    """
    members = committed.timestamp_members()
    out: dict[str, list[Violation]] = {}
    for v in findings:
        named = {_member_of(v.pointer)} & set(members)
        if v.rule.startswith("time."):
            named |= {m for m in members if re.search(rf"\b{m}\b", v.message)}
        for m in named:
            out.setdefault(m, []).append(v)
    return out


def _fmt(epoch: float, fmt: str = "%Y-%m-%d %H:%M:%SZ") -> str:
    try:
        return _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).strftime(fmt)
    except (OverflowError, OSError, ValueError):
        return f"{epoch:g} s"


def _tick_format(span: float) -> str:
    """Short enough that six labels fit: dates for long spans, times of day for short ones."""
    if span >= 5 * 86400:
        return "%Y-%m-%d"
    if span >= 6 * 3600:
        return "%m-%d %H:%MZ"
    return "%H:%M:%SZ"


def _ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    if hi <= lo:
        return [lo]
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def svg(body, findings: list[Violation] | None = None) -> str:
    """The timeline of one response as SVG text; a short note where there is nothing to draw."""
    if not isinstance(body, dict):
        return '<p class="note">No timeline: the response is not a JSON object.</p>'
    marks = marks_of(body)
    flagged = findings_by_member(findings or [])
    unplotted = [m for m in flagged if to_epoch(body.get(m)) is None]
    if not marks:
        note = "No timeline: the response has no readable timestamps."
        if unplotted:
            note += " Unreadable: " + ", ".join(unplotted) + "."
        return f'<p class="note">{_esc(note)}</p>'

    times = [t for m in marks for t in (m.start, m.end) if t is not None]
    lo, hi = min(times), max(times)
    span = hi - lo or 86400.0
    lo, hi = lo - span * 0.03, hi + span * 0.03
    plot_w = WIDTH - LABEL_W - RIGHT_PAD
    lanes = [name for name, _ in _known_lanes() if any(m.lane == name for m in marks)]
    height = TOP + LANE_H * len(lanes) + AXIS_H

    def x(t: float) -> float:
        return LABEL_W + (t - lo) / (hi - lo) * plot_w

    def state(*members) -> tuple[str, list[Violation]]:
        # a range rule names both ends of its pair: its finding is told once, not once per end
        found = list({id(v): v for m in members if m for v in flagged.get(m, [])}.values())
        if any(v.severity == ERROR for v in found):
            return "error", found
        return ("warning" if found else "ok"), found

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{WIDTH}" height="{height}" style="max-width:100%;height:auto" '
             f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="timeline of the response\'s timestamps" '
             'font-family="sans-serif" font-size="11">']
    for i, lane in enumerate(lanes):
        y = TOP + i * LANE_H
        if i % 2 == 0:
            parts.append(f'<rect x="0" y="{y}" width="{WIDTH}" height="{LANE_H}" fill="#f4f6f9"/>')
        parts.append(f'<text x="6" y="{y + LANE_H / 2 + 4:.1f}" fill="#333">{_esc(lane)}</text>')
    axis_y = TOP + LANE_H * len(lanes)
    parts.append(f'<line x1="{LABEL_W}" y1="{axis_y}" x2="{WIDTH - RIGHT_PAD}" y2="{axis_y}" stroke="#888"/>')
    tick_fmt = _tick_format(hi - lo)
    ticks = _ticks(lo, hi)
    for i, t in enumerate(ticks):
        tx = x(t)
        anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
        parts.append(f'<line x1="{tx:.1f}" y1="{TOP}" x2="{tx:.1f}" y2="{axis_y + 4}" stroke="#ddd"/>')
        parts.append(f'<text x="{tx:.1f}" y="{axis_y + 16}" text-anchor="{anchor}" fill="#555">'
                     f'{_esc(_fmt(t, tick_fmt))}</text>')

    # Instants sharing a lane (created/updated, previous/active) that sit close together
    # share one label, so their names are not printed on top of one another.
    labels = {id(m): m.label for m in marks}
    for lane in lanes:
        instants = sorted((x(m.start if m.start is not None else m.end), id(m)) for m in marks
                          if m.lane == lane and (m.end_member is None or m.start is None or m.end is None))
        head, prev = None, None
        for xv, idv in instants:
            if head is not None and xv - prev < 90:
                labels[head] += " · " + labels[idv]
                labels[idv] = ""
            else:
                head = idv
            prev = xv

    # flagged marks are drawn last, on top of any mark at the same instant
    order = {"ok": 0, "warning": 1, "error": 2}
    for m in sorted(marks, key=lambda m: order[state(m.start_member, m.end_member)[0]]):
        y = TOP + lanes.index(m.lane) * LANE_H
        mid = y + LANE_H / 2
        kind, found = state(m.start_member, m.end_member)
        color = COLORS[kind]
        why = "".join(f"\n[{v.rule}] {v.message}" for v in found)
        if m.end_member is not None and m.start is not None and m.end is not None:
            a, b = sorted((m.start, m.end))
            x1, x2 = x(a), x(b)
            w = max(x2 - x1, 3.0)
            reversed_ = m.start > m.end
            title = (f"{m.start_member} {_fmt(m.start)}\n{m.end_member} {_fmt(m.end)}"
                     + ("\nends before it starts" if reversed_ else "") + why)
            style = ' stroke-dasharray="4 2" stroke-width="2"' if reversed_ else ""
            parts.append(f'<g class="mark {kind}"><title>{_esc(title)}</title>'
                         f'<rect x="{x1:.1f}" y="{mid - 7:.1f}" width="{w:.1f}" height="14" rx="2" '
                         f'fill="{color}" fill-opacity="{0.35 if kind == "ok" else 0.55}" stroke="{color}"{style}/>'
                         '</g>')
            # endpoint ticks make an inverted interval visible as "end left of start"
            for member, t in ((m.start_member, m.start), (m.end_member, m.end)):
                k, _ = state(member)
                parts.append(f'<line x1="{x(t):.1f}" y1="{mid - 10:.1f}" x2="{x(t):.1f}" y2="{mid + 10:.1f}" '
                             f'stroke="{COLORS[k]}" stroke-width="2"/>')
        else:
            member = m.start_member if m.start is not None else m.end_member
            t = m.start if m.start is not None else m.end
            half = "" if m.end_member is None else f" (its {'end' if m.start is None else 'start'} is missing)"
            title = f"{member} {_fmt(t)}{half}{why}"
            r = 6 if kind == "ok" else 7
            cx = x(t)
            parts.append(f'<g class="mark {kind}"><title>{_esc(title)}</title>'
                         f'<path d="M {cx:.1f} {mid - r} L {cx + r:.1f} {mid} L {cx:.1f} {mid + r} '
                         f'L {cx - r:.1f} {mid} Z" fill="{color}" stroke="#fff"/></g>')
            anchor = "end" if cx > LABEL_W + plot_w * 0.8 else "start"
            dx = 9 if anchor == "start" else -9
            if labels[id(m)]:
                parts.append(f'<text x="{cx + dx:.1f}" y="{mid + 4:.1f}" text-anchor="{anchor}" fill="{color}">'
                             f'{_esc(labels[id(m)])}</text>')
    parts.append("</svg>")
    out = "".join(parts)
    if unplotted:
        out += f'<p class="note">Not drawn (unreadable timestamp): {_esc(", ".join(unplotted))}</p>'
    return out
