"""`l4e-contract`: one entry point, one module per subcommand.

Each module of this package (l4e_contract.cli.<command>) has `HELP`, `add_arguments(parser)` and
`run(args) -> int`. Modules are imported only when their command runs, so
`validate` never pays for botocore, boto3 or Hypothesis.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap

from l4e_contract import __version__

COMMANDS = {
    "validate": "Check recorded responses (files or folders) against the contract.",
    "rules": "Print the rule catalogue.",
    "schema": "Show, regenerate or check the schema against the installed botocore model.",
    "live": "Describe the models of an AWS account (or compatible endpoint) and validate them.",
    "record": "Record DescribeModel responses from an endpoint, redacted, as recordings.",
    "serve": "Serve recordings over the real JSON 1.0 protocol: a contract-backed mock.",
    "fidelity": "Score how faithfully a mock endpoint follows the contract.",
    "drift": "Compare two sets of recordings, and the schema against installed botocore.",
}

EXIT_OK, EXIT_FAIL, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

# What each code means, per command; shown by --help. Every command also exits 2 on a usage error
# and when its output cannot be written (a closed pipe, a full disk).
EXIT_CODES = {
    "validate": {0: "every file is valid (warnings allowed)",
                 1: "a contract violation",
                 2: "a file could not be read or checked, or nothing was checked (every other file "
                    "is still checked and reported)"},
    "rules": {0: "the catalogue was printed"},
    "schema": {0: "the schema matches botocore (--check), was written (--regenerate) or its path printed",
               1: "--check: the installed botocore model differs from the committed schema",
               2: "botocore has no model for the service"},
    "live": {0: "every model is valid (warnings allowed)",
             1: "a contract violation",
             2: "a model could not be checked (throttled, denied, deleted, timeout, unreachable, not JSON), "
                "or the client could not be set up",
             130: "interrupted by Ctrl-C (SIGINT): the calls in flight are cancelled, the partial report "
                  "(stdout and --report-dir) is written and marked interrupted, every model not yet checked is "
                  "an error 'not checked: interrupted'",
             143: "stopped by SIGTERM (a CI job's timeout): as for 130"},
    "record": {0: "every model was recorded",
               2: "a model could not be described or written",
               130: "interrupted by Ctrl-C (SIGINT): what was fetched is written, every other model is an error "
                    "'not recorded: interrupted'",
               143: "stopped by SIGTERM: as for 130"},
    "serve": {0: "stopped by Ctrl-C or --exit-after",
              2: "nothing to serve, or the port or --log cannot be used"},
    "fidelity": {0: "the mock is faithful (score 100)",
                 1: "the mock is not faithful",
                 2: "the endpoint cannot be reached, or the recordings cannot be read",
                 130: "interrupted by Ctrl-C (SIGINT): no score",
                 143: "stopped by SIGTERM: no score"},
    "drift": {0: "no drift",
              1: "drift: models added or removed, members, types, values or enum values changed",
              2: "a recording could not be read or compared, or a folder holds no *.json"},
}
_ALWAYS = "a usage error, or the output could not be written (a closed pipe, a full disk)"


def epilog(name: str | None) -> str:
    codes = dict(EXIT_CODES.get(name, {})) if name else {0: "success", 1: "a check failed"}
    codes[EXIT_ERROR] = f"{codes[EXIT_ERROR]}; or {_ALWAYS}" if EXIT_ERROR in codes else _ALWAYS
    return "exit codes:\n" + "\n".join(textwrap.fill(meaning, 96, initial_indent=f"  {code:<4} ", subsequent_indent=" " * 7)
                                        for code, meaning in sorted(codes.items()))


def _module(name: str):
    return importlib.import_module(f"l4e_contract.cli.{name.replace('-', '_')}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser, _ = _parsers(only)
    return parser


def _parsers(only: str | None):
    parser = argparse.ArgumentParser(prog="l4e-contract", description="Contract tests for Lookout for Equipment DescribeModel.",
                                     epilog=epilog(None), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"l4e-contract {__version__}",
                        help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers = {}
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text, epilog=epilog(name),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        subparsers[name] = p
        if only is None or name == only:
            try:
                _module(name).add_arguments(p)
            except ModuleNotFoundError as exc:
                if not exc.name or not exc.name.startswith("l4e_contract.cli."):
                    raise
    return parser, subparsers


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Only the chosen command's arguments are built: the others' modules stay unimported.
    only = next((a for a in argv if a in COMMANDS), None)
    parser, subparsers = _parsers(only)
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # argparse reports these from the top-level parser, with the top-level usage: the
        # subcommand's usage is the one that says which options exist
        (subparsers.get(args.command) or parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    if not args.command:
        parser.print_help()
        return EXIT_ERROR
    problems = _filesystem_problems(args, subparsers[args.command])
    if problems:  # a folder that cannot be written or read: said now, not after the whole run
        for problem in problems:
            print(f"l4e-contract {args.command}: {problem}", file=sys.stderr)
        return EXIT_ERROR
    try:
        module = _module(args.command)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("l4e_contract.cli."):
            print(f"l4e-contract: the {args.command} command is not available in this build", file=sys.stderr)
            return EXIT_ERROR
        raise
    return _run_guarded(module, args)


def _filesystem_problems(args, parser) -> list[str]:
    from l4e_contract.cli.arguments import filesystem_problems

    return filesystem_problems(args, parser)


def _run_guarded(module, args) -> int:
    """The command's run, with stdout guarded: a write error (a closed pipe, a full disk) stops the
    output, not the run, so the exit code still tells what was found; it is never 0 then."""
    out = GuardedOutput(sys.stdout)
    sys.stdout = out
    try:
        code = module.run(args)
        out.flush()
    except KeyboardInterrupt:
        out.flush()
        print("l4e-contract: interrupted", file=sys.stderr)
        code = EXIT_INTERRUPTED
    finally:
        sys.stdout = out.stream
    if out.error is not None:
        reason = out.error.strerror or out.error.__class__.__name__
        print(f"l4e-contract {args.command}: cannot write the output ({reason}); it is incomplete",
              file=sys.stderr)
        return code or EXIT_ERROR
    return code


class GuardedOutput:
    """A text stream that keeps its first write error instead of raising it, and drops what follows.

    Python's own last flush at exit would hit the same error and print "Exception ignored ...";
    after the first one the file descriptor is pointed at /dev/null, as the Python
    documentation advises for SIGPIPE, so that flush has nowhere to fail."""

    def __init__(self, stream):
        self.stream = stream
        self.error: OSError | None = None

    def write(self, text: str) -> int:
        if self.error is None:
            try:
                return self.stream.write(text)
            except UnicodeEncodeError:  # a strict stdout (PYTHONIOENCODING, a non-UTF-8 locale)
                return self.write(_encodable(text, getattr(self.stream, "encoding", None) or "utf-8"))
            except OSError as exc:
                self._failed(exc)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self.error is None:
            try:
                self.stream.flush()
            except OSError as exc:
                self._failed(exc)

    def _failed(self, exc: OSError) -> None:
        self.error = exc
        try:
            fd = self.stream.fileno()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        except (OSError, ValueError, AttributeError):  # not a real file (a test's buffer)
            pass

    def __getattr__(self, name):
        return getattr(self.stream, name)


def _encodable(text: str, encoding: str) -> str:
    return text.encode(encoding, "backslashreplace").decode(encoding)
