"""l4e-contract fidelity --endpoint-url URL: score how faithfully a mock follows the contract.

Exit 0 only when the mock is faithful (score 100), 1 otherwise, 2 when the
endpoint cannot be reached or the recordings cannot be read.
"""
from __future__ import annotations

import sys

EXIT_FAITHFUL, EXIT_UNFAITHFUL, EXIT_ERROR = 0, 1, 2


def add_arguments(p):
    from l4e_contract.cli.arguments import endpoint_url, existing_folder, positive_int, seconds, writable_folder

    p.add_argument("--endpoint-url", required=True, metavar="URL", type=endpoint_url, help="the mock to check, e.g. http://127.0.0.1:4566")
    p.add_argument("--recordings", metavar="DIR", type=existing_folder,
                   help="what the mock should answer (default: the bundled contracts/recordings/valid)")
    p.add_argument("--region", default="us-east-1", help="region the client signs for (default us-east-1)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="text: for a person (default); json: one document for a program")
    p.add_argument("--report-dir", metavar="DIR", type=writable_folder("reports"), help="also write JSON, JUnit XML and HTML reports to DIR/<run-id>/")
    p.add_argument("--max-attempts", type=positive_int, default=2, metavar="N", help="attempts per call, the first included (default 2)")
    p.add_argument("--timeout", type=seconds, default=10, metavar="S", help="seconds to wait for an answer (default 10)")
    p.add_argument("--concurrency", type=positive_int, default=4, metavar="N", help="models described at once (default 4)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    from l4e_contract.endpoints.fidelity import DEFAULT_CALL_DEADLINE

    p.add_argument("--call-deadline", type=seconds, default=DEFAULT_CALL_DEADLINE, metavar="S",
                   help="seconds a whole call may take, connecting, reads and retries included "
                        f"(default {DEFAULT_CALL_DEADLINE:g})")


def run(args) -> int:
    from l4e_contract.endpoints import fidelity
    from l4e_contract.contract import paths

    from l4e_contract.endpoints.signals import exit_code_of, stop_on_signals
    from l4e_contract.report.progress import Progress

    recordings = args.recordings or str(paths.recordings_dir() / "valid")
    try:
        with stop_on_signals(), Progress("fidelity", "call", quiet=args.quiet) as progress:
            result = fidelity.check(args.endpoint_url, recordings, region=args.region,
                                    max_attempts=max(1, args.max_attempts), timeout=args.timeout,
                                    concurrency=args.concurrency, call_deadline=args.call_deadline,
                                    on_progress=progress)
    except KeyboardInterrupt as exc:  # no score from a part of the calls: a partial score would mislead
        print("l4e-contract fidelity: interrupted; no score", file=sys.stderr)
        return exit_code_of(exc)
    except fidelity.Unreachable as exc:
        print(f"l4e-contract fidelity: {args.endpoint_url}: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except fidelity.NoRecordings as exc:
        print(f"l4e-contract fidelity: no recordings to compare in {recordings}", file=sys.stderr)
        for s in exc.skipped:
            print(f"  skipped {s}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:  # botocore rejects a malformed endpoint URL
        print(f"l4e-contract fidelity: {args.endpoint_url}: {str(exc).splitlines()[0][:200]}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        sys.stdout.write(fidelity.dumps(result) + "\n")
    else:
        _text(result)
    if args.report_dir:
        from l4e_contract.report.files import write_reports

        results, documents = fidelity.as_results(result)
        try:
            where = write_reports(results, args.report_dir, command="fidelity", documents=documents, unit="call",
                                  extra={"fidelity": {k: v for k, v in result.to_dict().items() if k != "calls"}})
        except OSError as exc:
            print(f"l4e-contract fidelity: {exc}", file=sys.stderr)
            return EXIT_ERROR
        print(f"reports written to {where}", file=sys.stderr)
    return EXIT_FAITHFUL if result.faithful else EXIT_UNFAITHFUL


def _text(result) -> None:
    w = sys.stdout.write
    w(result.headline() + "\n")
    if not result.supported:
        return
    for name, op in result.operations().items():
        extra = f", {op['unsupported']} unsupported" if op["unsupported"] else ""
        w(f"  {name}: {op['passed']}/{op['total']} checks in {op['calls']} call(s){extra}\n")
    for c in result.calls:
        for f in c.findings:
            w(f"  ! {c.label}: [{f.kind}] {f.message}\n")
    for s in result.skipped:
        w(f"  note: recording skipped: {s}\n")
