"""What a rule sees: the response and typed accessors that never raise.

The schema reports wrong types; rules only reason about values of the right
type, so each accessor returns None for a member that is absent or mistyped.

Some fifty rules ask the same few questions of one response (its times, its
ARNs), so the answers are worked out once per response and kept on the context.
"""
from __future__ import annotations

from l4e_contract.contract import arns
from l4e_contract.contract import committed
from l4e_contract.contract.timestamps import PARSED, WIRE, NotARealInstant, TimestampError, form_of, parse_rfc3339, to_epoch


_UNSEEN = object()


class Context:
    """One response, as the rules read it.

    has(name): is the member present. time(name): epoch seconds of a timestamp member,
    whatever its form; None if absent or unusable. Both are the dicts' own C methods:
    rules ask them some sixty times a response.
    """

    __slots__ = ("doc", "form", "_stamps", "_text_errors", "_arns", "memo", "has", "time", "all_real", "one_form")

    def __init__(self, doc: dict, form: str | None = None):
        self.doc = doc
        self.has = doc.__contains__
        # time(name) is the get of a table of every timestamp, and stamps() a tuple of them, both built
        # in this one pass: every response meets the time rules and the form rules
        times = {}
        stamps = []
        errors = {}
        # form.timestamp-valid's verdict, kept on the rare branches below: is every timestamp an instant?
        real = True
        # and form.timestamp-form's: the forms seen (a flag for each common one: a set per stamp costs more)
        wire = parsed = False
        others = set()
        for m in committed.timestamp_members():
            if m in doc:
                v = doc[m]
                if v.__class__ is float:
                    # the wire form: to_epoch(v) without the call for finite floats (v - v is nan for inf and nan)
                    if v - v == 0.0:
                        times[m] = v
                    else:
                        times[m] = None
                        real = False
                    wire = True
                    stamps.append((m, v, WIRE))
                elif isinstance(v, str):
                    # the parsed form: to_epoch(v), keeping why a text is not an instant for
                    # form.timestamp-valid, which would otherwise parse every text a second time
                    try:
                        times[m] = parse_rfc3339(v)
                    except TimestampError as exc:
                        times[m] = None
                        errors[m] = exc
                        # text of the wrong shape is the schema's finding; a real-looking unreal date is not
                        real = real and not isinstance(exc, NotARealInstant)
                    parsed = True
                    stamps.append((m, v, PARSED))
                else:
                    times[m] = to_epoch(v)
                    f = form_of(v)
                    if f is not None:
                        stamps.append((m, v, f))
                        others.add(f)
                        real = real and not (f == WIRE and times[m] is None)
        self.time = times.get
        self._stamps = tuple(stamps)
        # the response's form is that of its first timestamp (schema order), found in the pass above
        self.form = form or (stamps[0][2] if stamps else "unknown")
        self._text_errors = errors
        self.all_real = real
        self.one_form = not (wire and parsed) if not others else len(
            others | {f for f, seen in ((WIRE, wire), (PARSED, parsed)) if seen}) <= 1
        self._arns: dict[str, arns.Arn | None] = {}
        # per-response results shared between rules (parsed embedded JSON): dropped with the context,
        # so a run over many large responses holds one at a time
        self.memo: dict = {}

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

    @classmethod
    def of_wire(cls, doc: dict, times: dict) -> "Context":
        """The Context of a response whose timestamps are all finite floats, the wire form: `times` is
        each present timestamp member and its value, in schema order. What __init__ gives, without
        its pass: the fast path reads the timestamps itself (rules/fused.py, wire mode)."""
        self = cls.__new__(cls)
        self.doc = doc
        self.has = doc.__contains__
        self.time = times.get
        self._stamps = None  # built if asked for (only the rules' own functions ask)
        self.form = WIRE if times else "unknown"
        self._text_errors = {}
        self.all_real = self.one_form = True
        self._arns = {}
        self.memo = {}
        return self

    def stamps(self) -> tuple[tuple[str, object, str], ...]:
        """(member, value, form) of each timestamp member present with a timestamp form, in schema order."""
        if self._stamps is None:  # a wire-form Context: every timestamp member present is one
            self._stamps = tuple((m, self.doc[m], WIRE) for m in committed.timestamp_members() if m in self.doc)
        return self._stamps

    def text_error(self, name: str) -> TimestampError | None:
        """Why the parsed-form (text) timestamp `name` is not an instant; None if it is one, or is not text."""
        return self._text_errors.get(name)

    def arn(self, name: str) -> arns.Arn | None:
        # get with a default, not try/except KeyError: the first ask of each ARN would raise
        parsed = self._arns.get(name, _UNSEEN)
        if parsed is _UNSEEN:
            parsed = self._arns[name] = arns.parse(self.doc.get(name))
        return parsed
