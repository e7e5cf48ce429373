"""What a source on the command line turns into: items to check, errors and notes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Item:
    """One thing read from the command line's sources.

    body:  the response to check (when error and note are None)
    error: the one-line reason it could not be read (an error result)
    note:  said, not judged (a recorded error answer, another operation, a skipped file); verbose
           notes are said only with -v; answered_error marks the note of a recorded error answer
    meta:  what the recording says about itself (envelope metadata, cassette and interaction, placebo status)
    """

    source: str
    body: Any = None
    error: str | None = None
    note: str | None = None
    verbose: bool = False
    answered_error: bool = False
    meta: dict | None = None
