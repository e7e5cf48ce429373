"""l4e-contract record: DescribeModel responses written as redacted recording envelopes."""
from __future__ import annotations

import sys


def add_arguments(p):
    from l4e_contract.cli.account_args import add_account_arguments

    from l4e_contract.cli.arguments import writable_folder

    add_account_arguments(p, "record")
    p.add_argument("--out", metavar="DIR", default="contracts/recordings", type=writable_folder("recordings"),
                   help="where to write <region>/<model>.json (default: contracts/recordings/ here)")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="keep account ids, KMS key ids, bucket names and request ids as sent")
    p.add_argument("--overwrite", action="store_true",
                   help="replace existing recordings (by default an existing file is an error for its model)")


def run(args) -> int:
    from l4e_contract.cli.account_args import connect_regions
    from l4e_contract.endpoints.record import record
    from l4e_contract.report.console import printable
    from l4e_contract.report.progress import Progress
    from l4e_contract.endpoints.signals import stop_on_signals

    connections = connect_regions(args, "record")
    if connections is None:
        return 2
    out = args.out

    progress = Progress("record", "model", verb="fetched", quiet=args.quiet)

    def report(outcome):
        with progress.hold():
            if outcome.error:
                print(printable(f"{outcome.source}: error: {outcome.error}"))
            else:
                print(printable(f"{outcome.source}: wrote {outcome.path}"))

    with stop_on_signals(), progress:  # SIGTERM too: what was fetched is still written
        run_ = record(connections, out, models=args.model, redact=args.redact, concurrency=args.concurrency,
                      overwrite=args.overwrite, on_recorded=report, on_progress=progress)
    outcomes = run_.outcomes
    errors = sum(1 for o in outcomes if o.error)
    print(f"{len(outcomes) - errors} recorded, {errors} error(s)"
          + ("" if args.redact else " (not redacted)"), file=sys.stderr)
    if run_.interrupted:
        print("l4e-contract record: interrupted; the models not fetched were not recorded", file=sys.stderr)
        return run_.exit_code
    return 2 if errors else 0
