"""l4e-contract serve DIR: recordings served over the JSON 1.0 protocol until Ctrl-C."""
from __future__ import annotations

import sys
import time


def _pairs(values, what: str, convert=str) -> dict:
    out = {}
    for item in values or ():
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise ValueError(f"--{what} takes NAME=VALUE, not {item!r}")
        try:
            out[key] = convert(value)
        except ValueError:
            raise ValueError(f"--{what} {item!r}: {value!r} is not a number") from None
    return out


def add_arguments(p):
    from l4e_contract.cli.arguments import path_given
    from l4e_contract.endpoints.serve import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_WORKERS, LISTEN_BACKLOG

    p.add_argument("recordings", nargs="+", metavar="DIR", type=path_given,
                   help="folders or files of recordings (bare responses in wire or parsed form, or envelopes)")
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    p.add_argument("--throttle-every", type=int, default=0, metavar="N",
                   help="answer every Nth request with ThrottlingException")
    p.add_argument("--latency-ms", type=int, default=0, metavar="MS", help="delay every request")
    p.add_argument("--fail", action="append", metavar="MODEL=ERROR",
                   help="DescribeModel of MODEL always fails with ERROR (AccessDenied, InternalServerException, "
                        "ResourceNotFound, Throttling, ...); repeatable")
    p.add_argument("--fail-operation", action="append", metavar="OPERATION=ERROR",
                   help="every call of OPERATION (ListModels, DescribeModel) fails with ERROR; repeatable")
    p.add_argument("--malformed", action="append", metavar="MODEL=KIND",
                   help="DescribeModel of MODEL answers 200 with a broken body: empty, truncated, not-json, "
                        "array, string-number, not-utf8, deep; repeatable")
    p.add_argument("--slow", action="append", metavar="MODEL=MS", help="DescribeModel of MODEL takes MS longer")
    p.add_argument("--log", metavar="FILE",
                   help="append one JSON line per request to FILE (if it cannot be written, say so once and go on "
                        "answering)")
    p.add_argument("--idle-timeout", type=float, default=DEFAULT_IDLE_TIMEOUT, metavar="SECONDS",
                   help=f"close a connection that sends nothing for SECONDS (default {DEFAULT_IDLE_TIMEOUT:g})")
    p.add_argument("--max-workers", type=int, default=DEFAULT_MAX_WORKERS, metavar="N",
                   help=f"connections served at once (default {DEFAULT_MAX_WORKERS}); more wait in the "
                        f"listen backlog ({LISTEN_BACKLOG}) until one closes")
    p.add_argument("--exit-after", type=float, metavar="SECONDS", help="stop by itself after SECONDS")


def run(args) -> int:
    from l4e_contract.endpoints.serve import Faults, MockServer

    try:
        faults = Faults(
            throttle_every=args.throttle_every,
            latency_ms=args.latency_ms,
            fail=_pairs(args.fail, "fail"),
            fail_operations=_pairs(args.fail_operation, "fail-operation"),
            malformed=_pairs(args.malformed, "malformed"),
            slow=_pairs(args.slow, "slow", int),
        )
        server = MockServer(args.recordings, faults=faults, port=args.port, log_path=args.log,
                            idle_timeout=args.idle_timeout, max_workers=args.max_workers)
    except ValueError as exc:
        print(f"l4e-contract serve: {exc}", file=sys.stderr)
        return 2
    from l4e_contract.report.console import printable

    for line in server.skipped:
        print(printable(f"skipped {line}"), file=sys.stderr)
    if not server.models:
        print("l4e-contract serve: no recordings to serve", file=sys.stderr)
        return 2
    try:
        server.start()
    except (OSError, OverflowError) as exc:  # a busy or impossible port, an unwritable --log
        where = f"cannot write the log {args.log}" if getattr(exc, "filename", None) else \
            f"cannot listen on 127.0.0.1:{args.port}"
        print(f"l4e-contract serve: {where}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    print(f"serving {len(server.models)} model(s) at {server.endpoint_url} (Ctrl-C stops)", flush=True)
    try:
        deadline = time.monotonic() + args.exit_after if args.exit_after else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print(f"stopped after {len(server.requests)} request(s)", file=sys.stderr)
    return 0
