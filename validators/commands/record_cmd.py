"""l4e-contract record: DescribeModel responses written as redacted recording envelopes."""
from __future__ import annotations

import sys

DEFAULT_REGION = "us-east-1"


def add_arguments(p):
    p.add_argument("--profile", help="AWS profile (default: the usual credential chain)")
    p.add_argument("--region", action="append", metavar="R",
                   help="region to record; repeatable (default: the profile's region, else us-east-1)")
    p.add_argument("--endpoint-url", metavar="URL", help="a compatible endpoint instead of AWS")
    p.add_argument("--model", action="append", metavar="NAME", help="record only this model; repeatable (default: all)")
    p.add_argument("--out", metavar="DIR", default="contracts/recordings",
                   help="where to write <region>/<model>.json (default: contracts/recordings/ here)")
    p.add_argument("--no-redact", dest="redact", action="store_false",
                   help="keep account ids, KMS key ids, bucket names and request ids as sent")
    p.add_argument("--concurrency", type=int, default=4, metavar="N")
    p.add_argument("--retry-mode", choices=("standard", "adaptive"), default="standard")
    p.add_argument("--max-attempts", type=int, default=5, metavar="N", help="attempts per call, the first included")
    p.add_argument("--connect-timeout", type=float, default=5, metavar="S")
    p.add_argument("--read-timeout", type=float, default=30, metavar="S")
    p.add_argument("--unsigned", action="store_true", help="send unsigned requests (a local mock needs no credentials)")


def run(args) -> int:
    from l4e_contract.aws import ClientSettings, connect, session
    from l4e_contract.record import record

    if args.concurrency < 1 or args.max_attempts < 1:
        print("l4e-contract record: --concurrency and --max-attempts are at least 1", file=sys.stderr)
        return 2
    settings = ClientSettings(retry_mode=args.retry_mode, max_attempts=args.max_attempts,
                              connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
                              max_pool_connections=max(10, args.concurrency), unsigned=args.unsigned)
    try:
        sess = session(args.profile)
        regions = list(dict.fromkeys(args.region or [sess.region_name or DEFAULT_REGION]))
        connections = [connect(r, sess=sess, endpoint_url=args.endpoint_url, settings=settings) for r in regions]
    except Exception as exc:
        print(f"l4e-contract record: {exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return 2
    out = args.out

    def report(outcome):
        if outcome.error:
            print(f"{outcome.source}: error: {outcome.error}")
        else:
            print(f"{outcome.source}: wrote {outcome.path}")

    outcomes = record(connections, out, models=args.model, redact=args.redact,
                      concurrency=args.concurrency, on_recorded=report)
    errors = sum(1 for o in outcomes if o.error)
    print(f"{len(outcomes) - errors} recorded, {errors} error(s)"
          + ("" if args.redact else " (not redacted)"), file=sys.stderr)
    return 2 if errors else 0
