"""JSON Schema `pattern` with the semantics the specification gives it: ECMA-262.

Python's `re` differs where it matters for the model's patterns: it cannot
compile `\\p{M}` (FailedReason), its `\\d` matches any Unicode digit, and its `$`
also matches before a final newline. `regress` is an ECMA-262 engine, so a
pattern means here exactly what it means to every other JSON Schema validator.
Patterns are unanchored: they search, as JSON Schema says.
"""
from __future__ import annotations

from functools import lru_cache

import regress


class PatternError(ValueError):
    pass


@lru_cache(maxsize=None)
def compile_pattern(pattern: str) -> "regress.Regex":
    try:
        # "u": Unicode mode, which gives \p{..} and code-point (not UTF-16) matching
        return regress.Regex(pattern, "u")
    except Exception as exc:  # regress raises its own error type
        raise PatternError(f"not an ECMA-262 pattern: {pattern!r}: {exc}") from None


def search(pattern: str, text: str) -> bool:
    try:
        return compile_pattern(pattern).find(text) is not None
    except UnicodeEncodeError:
        # a lone surrogate ("\ud800" is legal JSON) is no Unicode text, and the engine reads only text:
        # it is searched as U+FFFD, which no class of the model's patterns admits where it would not
        return compile_pattern(pattern).find(text.encode("utf-8", "replace").decode("utf-8")) is not None
