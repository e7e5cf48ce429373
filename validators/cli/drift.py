"""l4e-contract drift OLD_DIR NEW_DIR | --schema: what changed between two sets of recordings,
or between the committed schema and the installed botocore model. Exit 0 no drift, 1 drift, 2 error."""
from __future__ import annotations

import sys

from l4e_contract.report.console import json_text, printable

EXIT_OK, EXIT_DRIFT, EXIT_ERROR = 0, 1, 2


def add_arguments(p):
    from l4e_contract.cli.arguments import existing_folder

    p.add_argument("old", nargs="?", metavar="OLD_DIR", type=existing_folder, help="the earlier recordings (e.g. yesterday's nightly)")
    p.add_argument("new", nargs="?", metavar="NEW_DIR", type=existing_folder, help="the later recordings")
    p.add_argument("--schema", action="store_true",
                   help="compare the committed schema with the installed botocore model (new members, "
                        "new enum values, changed bounds)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: for a person (default); json: one document for a program")
    p.add_argument("--ignore-volatile", action="store_true",
                   help="leave timestamp value changes out of the output (they never count as drift)")
    p.add_argument("--verbose", "-v", action="store_true", help="also print notes (duplicate recordings)")


def run(args) -> int:
    if (args.old is None) != (args.new is None) or (args.old is None and not args.schema):
        print("l4e-contract drift: give OLD_DIR and NEW_DIR, or --schema (or both)", file=sys.stderr)
        return EXIT_ERROR
    from l4e_contract.drift import recordings as drift

    result = schema = None
    codes = [EXIT_OK]
    if args.old is not None:
        result = drift.compare_folders(args.old, args.new)
        codes.append(EXIT_ERROR if result.errors else EXIT_DRIFT if result.drifted else EXIT_OK)
    if args.schema:
        try:
            schema = drift.schema_drift()
        except Exception as exc:  # botocore without the service, an unreadable schema: one line, not a traceback
            schema = {"error": f"{exc.__class__.__name__}: {str(exc)[:200]}", "changes": [], "drift": False}
            codes.append(EXIT_ERROR)
        else:
            codes.append(EXIT_DRIFT if schema["drift"] else EXIT_OK)

    if args.format == "json":
        doc: dict = {}
        if result is not None:
            doc["recordings"] = result.to_dict(ignore_volatile=args.ignore_volatile)
        if schema is not None:
            doc["schema"] = schema
        doc["drift"] = any(part["drift"] for part in doc.values())
        sys.stdout.write(json_text(doc, indent=2, default=str) + "\n")
    else:
        if result is not None:
            _text_recordings(result, args.ignore_volatile, args.verbose)
        if schema is not None:
            _text_schema(schema)
    return max(codes)


def _text_recordings(d, ignore_volatile: bool, verbose: bool) -> None:
    w = _line
    w(f"drift {d.old.folder} -> {d.new.folder}: {d.compared} model(s) compared, "
      f"{len(d.added)} added, {len(d.removed)} removed")
    for key in d.added:
        w(f"+ model {key} ({d.new.models[key].source})")
    for key in d.removed:
        w(f"- model {key} ({d.old.models[key].source})")
    for c in d.lasting:
        w(f"~ {c}")
    for p in d.new_members:
        w(f"! new member {p}: in NEW, in no response of OLD")
    for p in d.vanished_members:
        w(f"! vanished member {p}: in OLD, in no response of NEW")
    for e in d.new_enum_values:
        where = "a value the contract knows" if e["in_contract"] else "NOT in the contract"
        w(f"! new enum value {e['value']!r} at {e['pointer']} ({len(e['models'])} model(s); {where})")
    members = d.per_member()
    if members:
        w("per member:")
        for pointer, kinds in members.items():
            w(f"  {pointer}: " + ", ".join(f"{k} in {n} model(s)" for k, n in kinds.items()))
    volatile = d.per_member(volatile=True)
    if volatile and not ignore_volatile:
        w("volatile (timestamps, not counted as drift):")
        for pointer, kinds in volatile.items():
            w(f"  {pointer}: changed in {sum(kinds.values())} model(s)")
    for source, error in d.errors:
        w(f"error: {source}: {error}")
    if verbose:
        for n in d.old.notes + d.new.notes:
            w(f"note: {n}")
    w(("drift" if d.drifted else "no drift") + (" (some files could not be read or compared)" if d.errors else ""))


def _text_schema(d: dict) -> None:
    w = _line
    if "error" in d:
        w(f"error: schema: {d['error']}")
        return
    for c in d["changes"]:
        w(f"schema drift: {c}")
    w(f"schema (generated from botocore {d['committed_botocore']}) vs installed botocore {d['installed_botocore']}: "
      + (f"{len(d['changes'])} change(s)" if d["changes"] else "no drift"))


def _line(text: str) -> None:
    """One line of output; names and values come from recordings, so control characters are escaped."""
    sys.stdout.write(printable(text) + "\n")
