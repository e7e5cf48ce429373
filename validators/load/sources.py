"""Command-line paths to items: every form a DescribeModel answer is kept in, read the same way.

    for item in iter_sources(["recordings/", "cassettes/x.yaml", "-"]):
        ...  # item.body to check, or item.error (an error result), or item.note (said, not judged)

Forms, each recognised by its shape (never by guessing from the content of a member):
- a JSON response, wire or parsed form (AWS CLI output is the parsed form);
- `l4e-contract record`'s envelope;
- placebo's file (`{"status_code", "data"}`; its file name says the operation);
- a vcrpy or pytest-recording cassette (YAML, or JSON), one item per DescribeModel interaction.
Folders are walked by `iter_json_files` for *.json, *.yaml and *.yml; a YAML file that is not a
cassette is skipped there (a verbose note), and an error when named on the command line.
`-` is standard input: one document in any of these forms, named `<stdin>`.
"""
from __future__ import annotations

import datetime as _dt
import sys
from typing import IO, Iterator

from l4e_contract.load import cassettes, placebo
from l4e_contract.load.files import (LoadError, duplicate_key_findings, iter_json_files, load_file, parse_json,
                                     read_stream, unwrap_recording)
from l4e_contract.load.items import Item

STDIN = "-"
STDIN_NAME = "<stdin>"
YAML_SUFFIXES = (".yaml", ".yml")
SUFFIXES = (".json",) + YAML_SUFFIXES
SERVICE = "lookoutequipment"


def iter_sources(paths: list[str], *, placebo_tz: _dt.tzinfo | None = None,
                 stdin: IO[bytes] | None = None) -> Iterator[Item]:
    """Items for every path (files, folders, `-`), in order; standard input, when named, comes first
    and is read once. Never raises for bad input: each problem is an item's one-line error."""
    files = [p for p in paths if p != STDIN]
    if len(files) < len(paths):
        yield from stdin_items(stdin, placebo_tz)
    if not files:
        return
    named = set(files)
    for path, problem in iter_json_files(files, suffixes=SUFFIXES, empty_folders=True):
        if problem:
            yield Item(path, error=problem)
        else:
            yield from file_items(path, placebo_tz, named=path in named)


def file_items(path: str, placebo_tz: _dt.tzinfo | None = None, named: bool = True) -> Iterator[Item]:
    """The items of one file: YAML is read as a cassette, anything else as a JSON document."""
    if path.endswith(YAML_SUFFIXES):
        yield from _yaml_items(path, named)
        return
    duplicates: list[str] = []
    try:
        doc = load_file(path, duplicates=duplicates)
    except LoadError as exc:
        yield Item(path, error=str(exc))
        return
    yield from document_items(path, doc, placebo_tz, file_name=path, duplicates=duplicates)


def _yaml_items(path: str, named: bool) -> Iterator[Item]:
    try:
        doc = load_file(path, parse=cassettes.parse_yaml)
    except LoadError as exc:
        yield Item(path, error=str(exc))
        return
    if cassettes.is_cassette(doc):
        yield from cassettes.cassette_items(path, doc)
    elif named:  # asked for by name: say why nothing was checked
        yield Item(path, error="not a vcrpy cassette (YAML with no 'interactions' list)")
    else:
        yield Item(path, note="skipped: YAML that is not a vcrpy cassette", verbose=True)


def stdin_items(stream: IO[bytes] | None = None, placebo_tz: _dt.tzinfo | None = None) -> Iterator[Item]:
    """One document from standard input, in any form: a JSON response, an envelope, a placebo file
    or a cassette (JSON or YAML). JSON is tried first; what is not JSON is read as YAML, and then
    must be a cassette."""
    if stream is None:
        stream = getattr(sys.stdin, "buffer", None)  # None when the process has no standard input
        if stream is None:
            yield Item(STDIN_NAME, error="there is no standard input to read")
            return
    try:
        data = read_stream(stream)
    except LoadError as exc:
        yield Item(STDIN_NAME, error=str(exc))
        return
    duplicates: list[str] = []
    try:
        doc = parse_json(data, "input", duplicates=duplicates)
    except LoadError as json_error:
        try:
            doc = cassettes.parse_yaml(data, "input")
        except LoadError:
            yield Item(STDIN_NAME, error=str(json_error))
            return
        if not cassettes.is_cassette(doc):
            yield Item(STDIN_NAME, error=f"{json_error} (nor is it a vcrpy cassette)")
            return
    yield from document_items(STDIN_NAME, doc, placebo_tz, duplicates=duplicates)


def document_items(name: str, doc, placebo_tz: _dt.tzinfo | None = None, file_name: str | None = None,
                   duplicates: list[str] = ()) -> Iterator[Item]:
    """The items of one parsed document, by its shape. `duplicates`: keys its text named twice in one
    object, findings of a plain response or envelope (a contract violation, not an unreadable file)."""
    if cassettes.is_cassette(doc):
        yield from cassettes.cassette_items(name, doc)
    elif placebo.is_placebo(doc):
        named = placebo.named_operation(file_name) if file_name else None
        operation = None
        if named:
            service, op = named
            operation = op if service == SERVICE else f"{service}.{op}"
        yield from placebo.placebo_items(name, doc, placebo_tz or placebo.UTC, operation)
    else:
        body, meta = unwrap_recording(doc)
        yield Item(name, body=body, meta=meta, findings=tuple(duplicate_key_findings(doc, duplicates)))
