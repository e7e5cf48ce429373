"""l4e-contract schema: print the schema's path, regenerate it, or check it for drift."""
from __future__ import annotations

import json
import sys


def add_arguments(p):
    g = p.add_mutually_exclusive_group()
    g.add_argument("--regenerate", action="store_true",
                   help="generate from the installed botocore model, apply contracts/deviations.json, write")
    g.add_argument("--check", action="store_true",
                   help="exit 1 and name every change if the installed botocore model differs from the committed schema")


def run(args) -> int:
    from l4e_contract.contract import paths
    from l4e_contract.contract import generate as schema_gen

    try:
        return _run(args, paths, schema_gen)
    except schema_gen.ModelUnavailable as exc:
        print(f"l4e-contract schema: {exc}", file=sys.stderr)
        return 2


def _run(args, paths, schema_gen) -> int:
    from l4e_contract.drift.schema import schema_changes

    if args.regenerate:
        schema_gen.write()
        print(f"wrote {paths.schema_path()} from botocore {schema_gen.botocore_version()}")
        return 0
    if args.check:
        with open(paths.schema_path(), encoding="utf-8") as fh:
            committed = json.load(fh)
        changes = schema_changes(committed, schema_gen.generate())
        for c in changes:
            print(f"drift: {c}")
        if changes:
            print(f"{len(changes)} change(s) between the committed schema and botocore {schema_gen.botocore_version()}; "
                  "review, then run `l4e-contract schema --regenerate`", file=sys.stderr)
            return 1
        print(f"schema matches botocore {schema_gen.botocore_version()}")
        return 0
    print(paths.schema_path())
    return 0
