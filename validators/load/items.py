"""What a source on the command line turns into: items to check, errors and notes."""
from __future__ import annotations

from typing import Any, NamedTuple


class Item(NamedTuple):
    """One thing read from the command line's sources.

    body:  the response to check (when error and note are None)
    error: the one-line reason it could not be read (an error result)
    note:  said, not judged (a recorded error answer, another operation, a skipped file); verbose
           notes are said only with -v; answered_error marks the note of a recorded error answer
    meta:  what the recording says about itself (envelope metadata, cassette and interaction, placebo status)
    findings: what the text showed that the parsed body cannot (a key named twice in one object)

    A NamedTuple, not a frozen dataclass: one is made for every file of a run, and the dataclass
    took twice as long to make (about 1.5 us more a file, measured on 2,000 responses).
    """

    source: str
    body: Any = None
    error: str | None = None
    note: str | None = None
    verbose: bool = False
    answered_error: bool = False
    meta: dict | None = None
    findings: tuple = ()
