"""Argument types that check a value when the command line is parsed, before anything runs.

Each is an argparse `type=`: a bad value ends the parse with the subcommand's usage and one
line naming the option and what is wrong (exit 2), instead of an error after a whole run (a
--report-dir that is a file) or a traceback from deep inside botocore (an endpoint URL).
"""
from __future__ import annotations

import argparse
import math
import os
from typing import Callable


def path_given(text: str) -> str:
    """A file or folder argument; '' is what an unset $DIR expands to, not the current folder."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path (an unset variable?); name a file or folder")
    return text


class PathArgument(str):
    """A path whose check against the file system runs after parsing, in `filesystem_problems`.

    Parsing alone never touches the disk (a CI workflow's command lines can be parsed where its
    folders do not exist), and `main` runs these checks before the command does anything."""

    check: Callable[[str], str | None]

    def __new__(cls, text: str, check: Callable[[str], str | None]):
        self = super().__new__(cls, text)
        self.check = check
        return self


def filesystem_problems(args, parser) -> list[str]:
    """'argument OPTION: what is wrong' for every PathArgument of `args` that fails its check."""
    names = {a.dest: "/".join(a.option_strings) or a.metavar or a.dest for a in parser._actions}
    problems = []
    for dest, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, PathArgument):
                problem = item.check(str(item))
                if problem:
                    problems.append(f"argument {names.get(dest, dest)}: {problem}")
    return problems


def existing_folder(text: str) -> str:
    return PathArgument(path_given(text), _existing_folder)


def _existing_folder(text: str) -> str | None:
    if not os.path.exists(text):
        return f"{text}: no such folder"
    if not os.path.isdir(text):
        return f"{text}: not a folder"
    return None


def writable_folder(what: str) -> Callable[[str], str]:
    """A folder the command will write `what` into: it exists and is writable, or can be created."""

    def folder(text: str) -> str:
        return PathArgument(path_given(text), lambda path: _unwritable(path, what))

    folder.__name__ = f"folder for {what}"  # argparse names the type in some messages
    return folder


def _unwritable(text: str, what: str) -> str | None:
    where = f"cannot write {what} to {text}"
    if os.path.exists(text):
        if not os.path.isdir(text):
            return f"{where}: it exists and is not a folder"
        if not os.access(text, os.W_OK | os.X_OK):
            return f"{where}: the folder is not writable"
        return None
    parent = _nearest_existing(os.path.abspath(text))
    if not os.path.isdir(parent):
        return f"{where}: {parent} is not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{where}: {parent} is not writable"
    return None


def _nearest_existing(path: str) -> str:
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


def positive_int(text: str) -> int:
    value = _number(text, int, "a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text}: must be at least 1")
    return value


def seconds(text: str) -> float:
    value = _number(text, float, "a number of seconds")
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text}: must be a number of seconds above 0")
    return value


def _number(text: str, kind, what: str):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None


def endpoint_url(text: str) -> str:
    """What botocore would accept as endpoint_url (it raises a bare ValueError much later)."""
    from botocore.utils import is_valid_endpoint_url, is_valid_ipv6_endpoint_url

    if not (is_valid_endpoint_url(text) or is_valid_ipv6_endpoint_url(text)):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a URL: give a scheme and a host, e.g. http://127.0.0.1:8080")
    return text


def model_name(text: str) -> str:
    """A ModelName DescribeModel accepts: its bounds and pattern, from the committed schema."""
    from l4e_contract.contract import committed
    from l4e_contract.contract.patterns import search

    shape = committed.member("ModelName")
    low, high, pattern = shape.get("minLength", 0), shape.get("maxLength"), shape.get("pattern")
    if len(text) < low or (high is not None and len(text) > high) or (pattern and not search(pattern, text)):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a model name: DescribeModel takes {low} to {high} characters matching {pattern}")
    return text
