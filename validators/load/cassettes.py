"""vcrpy cassettes (and pytest-recording's, which are vcrpy's): the DescribeModel answers they hold.

A cassette is `{"interactions": [{"request": ..., "response": ...}], "version": N}`, written as
YAML (vcrpy's default) or JSON. What vcrpy really writes, and this reads:
- header values as lists; botocore's request headers are bytes, so PyYAML writes them `!!binary`;
- the response body as `{"string": text}`, or `{"string": !!binary ...}` when it is not UTF-8 or was
  compressed (then a `Content-Encoding` header says how);
- Python 2 era cassettes tag text `!!python/unicode` or `!!python/str`.

An interaction is a DescribeModel call when its `X-Amz-Target` header is the service's target prefix
(read from botocore's model) and the operation's name. Each one becomes an item: a 2xx answer's body is
checked as the wire form; an error answer is a note, not a finding (see `interaction_items`).
"""
from __future__ import annotations

import json
import zlib
from functools import lru_cache
from typing import Iterator

from l4e_contract.load import files
from l4e_contract.load.files import LoadError, as_text, parse_json
from l4e_contract.load.items import Item

SERVICE = "lookoutequipment"
OPERATION = "DescribeModel"


# --- YAML ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _loader():
    """PyYAML's safe loader (libyaml's when built with it): plain data only, never an object of a
    Python class; plus the two text tags of Python 2 era cassettes, read as text."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class CassetteLoader(base):
        pass

    for tag in ("tag:yaml.org,2002:python/unicode", "tag:yaml.org,2002:python/str"):
        CassetteLoader.add_constructor(tag, base.construct_yaml_str)
    return CassetteLoader


def parse_yaml(data: bytes, what: str = "file"):
    """Safe YAML to plain data; LoadError is one line (YAML's own messages take three)."""
    import yaml

    text = as_text(data, what, "YAML")
    try:
        return yaml.load(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        where = f" at line {exc.problem_mark.line + 1} column {exc.problem_mark.column + 1}" if exc.problem_mark else ""
        problem = " ".join(str(exc.problem or exc.context or "not YAML").split())
        raise LoadError(f"malformed YAML: {problem}{where}") from None
    except yaml.YAMLError as exc:
        raise LoadError(f"malformed YAML: {' '.join(str(exc).split())[:160]}") from None
    except RecursionError:
        raise LoadError(f"{what} nests too deeply to parse") from None
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:
        # PyYAML's constructors raise these on a value its tag cannot be: `2023-02-30`, `!!int x`
        raise LoadError(f"malformed YAML: a value its type cannot hold ({' '.join(str(exc).split())[:120]})") from None


# --- recognising a cassette -------------------------------------------------------------------------

def is_cassette(doc) -> bool:
    """vcrpy's shape: an object with a list of interactions and a format version."""
    return isinstance(doc, dict) and isinstance(doc.get("interactions"), list) and "version" in doc


@lru_cache(maxsize=1)
def target_prefix() -> str:
    """The X-Amz-Target prefix of the service, from botocore's model (loaded only when a cassette is read)."""
    import botocore.session

    return botocore.session.get_session().get_service_model(SERVICE).metadata["targetPrefix"]


@lru_cache(maxsize=1)
def operation_errors() -> frozenset[str]:
    """The error shapes botocore's model lists for DescribeModel."""
    import botocore.session

    model = botocore.session.get_session().get_service_model(SERVICE)
    return frozenset(shape.name for shape in model.operation_model(OPERATION).error_shapes)


# --- reading an interaction --------------------------------------------------------------------------

def _text(value) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def header(message: dict, name: str) -> str | None:
    """A header's (first) value, by name in any case; vcrpy keeps each as a list, maybe of bytes."""
    headers = message.get("headers") if isinstance(message, dict) else None
    if not isinstance(headers, dict):
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, (str, bytes)) and _text(key).lower() == wanted:
            if isinstance(value, list):
                value = value[0] if value else None
            return _text(value)
    return None


def body_bytes(message: dict) -> bytes | None:
    """The body as bytes: `{"string": ...}` (vcrpy), or a bare string; None when there is none."""
    body = message.get("body") if isinstance(message, dict) else None
    if isinstance(body, dict):
        body = body.get("string")
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes):
        return body
    return None


def decoded(data: bytes, encoding: str | None) -> bytes:
    """A body as the client read it: gzip or deflate undone (bounded), as vcrpy's
    decode_compressed_response would have."""
    encoding = (encoding or "identity").strip().lower()
    if encoding in ("identity", ""):
        return data
    if encoding not in ("gzip", "deflate"):
        raise LoadError(f"body has Content-Encoding {encoding!r}, which this reader does not undo")
    inflater = zlib.decompressobj(47 if encoding == "gzip" else 15)
    try:
        out = inflater.decompress(data, files.MAX_BYTES + 1)
    except zlib.error as exc:
        raise LoadError(f"body is not valid {encoding}: {exc}") from None
    if len(out) > files.MAX_BYTES:
        raise LoadError(f"body inflates to over {files.MAX_BYTES:,} bytes")
    return out


def _status(response: dict) -> int | None:
    status = response.get("status")
    code = status.get("code") if isinstance(status, dict) else status
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _model_asked(request: dict) -> str | None:
    """The ModelName the request asked for, when its body says (for the result's name)."""
    try:
        params = json.loads(body_bytes(request) or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    name = params.get("ModelName") if isinstance(params, dict) else None
    return name if isinstance(name, str) and name else None


def error_of(response: dict) -> tuple[str, str]:
    """(code, message) of a recorded error answer, as botocore reads them: the x-amzn-ErrorType
    header before the body's __type, each cut at ':' and '#'."""
    code = header(response, "x-amzn-ErrorType")
    message = ""
    try:
        doc = json.loads(decoded(body_bytes(response) or b"{}", header(response, "Content-Encoding")))
    except (ValueError, UnicodeDecodeError, LoadError):
        doc = None
    if isinstance(doc, dict):
        code = code or _text(doc.get("__type")) or _text(doc.get("code"))
        message = _text(doc.get("message")) or _text(doc.get("Message")) or ""
    if code:
        code = code.split(":")[0].split("#")[-1]
    return code or "an unnamed error", " ".join(message.split())[:160]


def operation_of(request: dict) -> str:
    """The operation an interaction called: its X-Amz-Target, or what it was when not this service's."""
    target = header(request, "X-Amz-Target")
    if not target:
        return "a call with no X-Amz-Target"
    prefix, _, operation = target.partition(".")
    return operation if prefix == target_prefix() else target


def interaction_items(name: str, index: int, interaction) -> Item | None:
    """The item of one DescribeModel interaction; None for another operation's.

    A 2xx answer's body is checked as the wire form: one that is not JSON is an error result.
    An error answer (4xx, 5xx) is a note, not a finding and not an error: a cassette that records a
    ResourceNotFoundException is a faithful record of what the service said (tests of error handling
    record them on purpose), DescribeModel's contract is the shape of its success, and an error
    result would fail the run (exit 2, "could not be read") over input that was read perfectly well.
    """
    request = interaction.get("request") if isinstance(interaction, dict) else None
    response = interaction.get("response") if isinstance(interaction, dict) else None
    if not isinstance(request, dict) or operation_of(request) != OPERATION:
        return None
    model = _model_asked(request)
    source = f"{name}#{index} {OPERATION}" + (f" {model}" if model else "")
    meta = {"cassette": name, "interaction": index, "model": model}
    if not isinstance(response, dict):
        return Item(source, error="interaction has no response", meta=meta)
    status = _status(response)
    meta["status"] = status
    if status is None:
        return Item(source, error="response has no status code", meta=meta)
    if not 200 <= status < 300:
        code, message = error_of(response)
        known = "" if code in operation_errors() else f"; botocore's model lists no {code} for {OPERATION}"
        return Item(source, note=f"recorded error {code} (HTTP {status})" + (f": {message}" if message else "")
                    + f"{known}; not judged (the contract is that of a successful answer)",
                    answered_error=True, meta=meta)
    raw = body_bytes(response)
    if raw is None:
        return Item(source, error="response has no body", meta=meta)
    try:
        data = decoded(raw, header(response, "Content-Encoding"))
        meta["body_bytes"] = len(data)
        body = parse_json(data, "body")
    except LoadError as exc:
        return Item(source, error=str(exc), meta=meta)
    return Item(source, body=body, meta=meta)


def cassette_items(name: str, doc: dict) -> Iterator[Item]:
    """Every DescribeModel interaction of a cassette, in order; then one note counting the others.

    The bodies read are bounded, together, like one file: within a cassette they cannot add up to
    more than its own size, unless YAML aliases repeat one body many times over (a few bytes an
    alias: a 64 MB cassette would otherwise have millions of bodies to check)."""
    others: dict[str, int] = {}
    found = 0
    budget = files.MAX_BYTES
    for index, interaction in enumerate(doc["interactions"], 1):
        if budget < 0:
            yield Item(name, error=f"its bodies add up to over {files.MAX_BYTES:,} bytes (YAML aliases repeat them?); "
                                   f"read up to interaction {index - 1}")
            return
        item = interaction_items(name, index, interaction)
        if item is not None:  # the inflated size of a gzip body, else the size recorded
            budget -= item.meta.get("body_bytes") or len(body_bytes(interaction.get("response")) or b"")
        else:
            request = interaction.get("request") if isinstance(interaction, dict) else None
            what = operation_of(request) if isinstance(request, dict) else "an interaction with no request"
            others[what] = others.get(what, 0) + 1
            continue
        found += 1
        yield item
    if others:
        counted = ", ".join(f"{what} {n}" for what, n in sorted(others.items()))
        yield Item(name, note=f"{sum(others.values())} other interaction(s) counted, not judged ({counted})",
                   meta={"cassette": name, "others": others})
    if not found:
        yield Item(name, note=f"no {OPERATION} interaction in this cassette", meta={"cassette": name})
