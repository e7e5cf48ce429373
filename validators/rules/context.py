"""What a rule sees: the response and typed accessors that never raise.

The schema reports wrong types; rules only reason about values of the right
type, so each accessor returns None for a member that is absent or mistyped.
"""
from __future__ import annotations

from l4e_contract import arns, contract
from l4e_contract.timestamps import to_epoch


class Context:
    __slots__ = ("doc", "form", "_times", "memo")

    def __init__(self, doc: dict, form: str):
        self.doc = doc
        self.form = form
        self._times: dict[str, float | None] | None = None
        # per-response results shared between rules (parsed embedded JSON): dropped with the context,
        # so a run over many large responses holds one at a time
        self.memo: dict = {}

    def has(self, name: str) -> bool:
        return name in self.doc

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

    def time(self, name: str) -> float | None:
        """Epoch seconds of a timestamp member, whatever its form; None if absent or unusable."""
        if self._times is None:
            self._times = {m: to_epoch(self.doc[m]) for m in contract.timestamp_members() if m in self.doc}
        return self._times.get(name)

    def arn(self, name: str) -> arns.Arn | None:
        return arns.parse(self.doc.get(name))
