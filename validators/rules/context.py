"""What a rule sees: the response and typed accessors that never raise.

The schema reports wrong types; rules only reason about values of the right
type, so each accessor returns None for a member that is absent or mistyped.

Some fifty rules ask the same few questions of one response (its times, its
ARNs, its embedded documents), so the answers are worked out once per response
and kept on the context.
"""
from __future__ import annotations

import time

from l4e_contract.contract import arns, committed
from l4e_contract.contract.timestamps import PARSED, TimestampError, form_of, parse_rfc3339, to_epoch

_UNSEEN = object()


class Context:
    """One response, as the rules read it.

    has(name): is the member present. time(name): epoch seconds of a timestamp member,
    whatever its form; None if absent or unusable. stamps(): (member, value, form) of each
    timestamp member present, in schema order. form: that of the first timestamp.
    captured_at: when the response was captured, in epoch seconds.
    """

    __slots__ = ("doc", "form", "captured_at", "has", "time", "_stamps", "_text_errors", "_arns", "memo")

    def __init__(self, doc: dict, captured_at: float | None = None):
        self.doc = doc
        # when the response was captured (epoch seconds): nothing in it happened later. Now, unless told.
        self.captured_at = time.time() if captured_at is None else captured_at
        times, stamps, errors = {}, [], {}
        for m in committed.timestamp_members():
            if m not in doc:
                continue
            v = doc[m]
            f = form_of(v)
            if f == PARSED:
                # one parse serves time() and form.timestamp-valid's reason
                try:
                    times[m] = parse_rfc3339(v)
                except TimestampError as exc:
                    times[m] = None
                    errors[m] = exc
            else:
                times[m] = to_epoch(v)
            if f is not None:
                stamps.append((m, v, f))
        # has(name) and time(name) are the dicts' own C methods: the rules ask them some sixty times a response
        self.has = doc.__contains__
        self.time = times.get
        self._stamps = tuple(stamps)
        self._text_errors = errors
        self.form = stamps[0][2] if stamps else "unknown"
        self._arns: dict[str, arns.Arn | None] = {}
        # per-response results shared between rules (parsed embedded JSON): dropped with the context,
        # so a run over many large responses holds one at a time
        self.memo: dict = {}

    def stamps(self) -> tuple[tuple[str, object, str], ...]:
        return self._stamps

    def text_error(self, name: str) -> TimestampError | None:
        """Why the parsed-form (text) timestamp `name` is not an instant; None if it is one, or is not text."""
        return self._text_errors.get(name)

    def str(self, name: str) -> str | None:
        v = self.doc.get(name)
        return v if isinstance(v, str) else None

    def int(self, name: str) -> int | None:
        v = self.doc.get(name)
        if isinstance(v, bool):
            return None
        if isinstance(v, int):
            return v
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return None

    def obj(self, *path: str) -> dict | None:
        node = self.doc
        for p in path:
            node = node.get(p) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else None

    def arn(self, name: str) -> arns.Arn | None:
        parsed = self._arns.get(name, _UNSEEN)
        if parsed is _UNSEEN:
            parsed = self._arns[name] = arns.parse(self.doc.get(name))
        return parsed
