"""What `live` and `record` share: the arguments that name an account, and the clients built from them."""
from __future__ import annotations

import sys

DEFAULT_REGION = "us-east-1"


def add_account_arguments(p, verb: str) -> None:
    """--profile, --region, --endpoint-url, --model and the client's concurrency, retries and timeouts."""
    from l4e_contract.cli.arguments import endpoint_url, model_name, seconds
    from l4e_contract.endpoints.client import DEFAULT_CALL_DEADLINE  # imports no botocore
    p.add_argument("--profile", help="AWS profile (default: the usual credential chain)")
    p.add_argument("--region", action="append", metavar="R",
                   help="region to use; repeatable (default: the profile's region, else us-east-1)")
    p.add_argument("--endpoint-url", metavar="URL", type=endpoint_url,
                   help="a compatible endpoint instead of AWS (e.g. l4e-contract serve)")
    p.add_argument("--model", action="append", metavar="NAME", type=model_name,
                   help=f"{verb} only this model; repeatable (default: all)")
    p.add_argument("--concurrency", type=int, default=4, metavar="N", help="models described at once (default 4)")
    p.add_argument("--retry-mode", choices=("standard", "adaptive"), default="standard",
                   help="botocore's retry mode (adaptive also rate-limits on throttling)")
    p.add_argument("--max-attempts", type=int, default=5, metavar="N",
                   help="attempts per call, the first included (default 5)")
    p.add_argument("--connect-timeout", type=seconds, default=5, metavar="S",
                   help="seconds to wait for a connection (default 5)")
    p.add_argument("--read-timeout", type=seconds, default=30, metavar="S",
                   help="seconds to wait for each read from the socket (default 30)")
    p.add_argument("--call-deadline", type=seconds, default=DEFAULT_CALL_DEADLINE, metavar="S",
                   help="seconds a whole call may take: connecting, every read and every retry; a call past it "
                        f"is abandoned and its model an error 'deadline exceeded' (default {DEFAULT_CALL_DEADLINE:g})")
    p.add_argument("--unsigned", action="store_true", help="send unsigned requests (a local mock needs no credentials)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def connect_regions(args, command: str):
    """One read-only connection per region, or None after a one-line error on stderr."""
    from l4e_contract.endpoints.client import ClientSettings, connect, session

    if args.concurrency < 1 or args.max_attempts < 1:
        print(f"l4e-contract {command}: --concurrency and --max-attempts are at least 1", file=sys.stderr)
        return None
    settings = ClientSettings(retry_mode=args.retry_mode, max_attempts=args.max_attempts,
                              connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
                              max_pool_connections=max(10, args.concurrency), unsigned=args.unsigned,
                              call_deadline=args.call_deadline)
    try:
        sess = session(args.profile)
        regions = list(dict.fromkeys(args.region or [sess.region_name or DEFAULT_REGION]))
        return [connect(r, sess=sess, endpoint_url=args.endpoint_url, settings=settings) for r in regions]
    except Exception as exc:  # a profile that does not exist, a bad config file, an unknown region
        print(f"l4e-contract {command}: {setup_error(exc, args)}", file=sys.stderr)
        return None


def setup_error(exc: Exception, args) -> str:
    """One line for what stopped the clients being built, naming the option it came from."""
    from botocore.exceptions import ProfileNotFound

    if isinstance(exc, ProfileNotFound):
        import botocore.session

        known = sorted(botocore.session.Session().available_profiles)
        return (f"--profile {args.profile}: no such profile in the AWS config or credentials files "
                + (f"(ProfileNotFound; known: {', '.join(known)})" if known else "(ProfileNotFound)"))
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{exc.__class__.__name__}: {text}".rstrip(": ")
