"""`l4e-contract`: one entry point, one module per subcommand.

Each module of this package (l4e_contract.cli.<command>) has `HELP`, `add_arguments(parser)` and
`run(args) -> int`. Modules are imported only when their command runs, so
`validate` never pays for botocore, boto3 or Hypothesis.
"""
from __future__ import annotations

import argparse
import importlib
import sys

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


def _module(name: str):
    return importlib.import_module(f"l4e_contract.cli.{name.replace('-', '_')}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="l4e-contract", description="Contract tests for Lookout for Equipment DescribeModel.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or name == only:
            try:
                _module(name).add_arguments(p)
            except ModuleNotFoundError as exc:
                if not exc.name or not exc.name.startswith("l4e_contract.cli."):
                    raise
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Only the chosen command's arguments are built: the others' modules stay unimported.
    only = next((a for a in argv if a in COMMANDS), None)
    parser = build_parser(only)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        module = _module(args.command)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("l4e_contract.cli."):
            print(f"l4e-contract: the {args.command} command is not available in this build", file=sys.stderr)
            return 2
        raise
    try:
        return module.run(args)
    except KeyboardInterrupt:
        print("l4e-contract: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0

