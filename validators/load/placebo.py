"""placebo's recordings: `lookoutequipment.DescribeModel_1.json` holds `{"status_code": 200, "data": {...}}`.

`data` is boto3's parsed dict, dumped by placebo's serializer: a datetime is
`{"__class__": "datetime", "year": ..., "microsecond": ...}` with no zone. boto3's datetimes of a JSON
protocol service are in the recording machine's local zone (botocore parses epoch seconds with
tzlocal()), and placebo writes their wall-clock fields only. So the zone is a choice: UTC by default
(what placebo itself assumes when it plays them back, and what a CI machine usually runs in), or the
zone given with --placebo-tz (`+05:30`, or an IANA name such as `Asia/Kolkata`).
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from typing import Iterator

from l4e_contract.load.files import LoadError
from l4e_contract.load.items import Item

# placebo's file name: [prefix.]service.Operation_N.json (pill.get_new_file_path)
_FILE_NAME = re.compile(r"(?:.+\.)?(?P<service>[A-Za-z0-9-]+)\.(?P<operation>[A-Za-z0-9]+)_(?P<index>[0-9]+)\.json\Z")
_DATETIME_FIELDS = ("year", "month", "day", "hour", "minute", "second", "microsecond")
_OFFSET = re.compile(r"([+-])([0-9]{2}):?([0-9]{2})\Z")
UTC = _dt.timezone.utc


def parse_zone(text: str) -> _dt.tzinfo:
    """`Z`/`UTC`, a fixed offset (`+05:30`, `-0800`) or an IANA zone name; ValueError in one line."""
    text = text.strip()
    if text.upper() in ("Z", "UTC"):
        return UTC
    m = _OFFSET.match(text)
    if m:
        sign, hours, minutes = m.groups()
        if int(hours) > 23 or int(minutes) > 59:
            raise ValueError(f"offset {text!r} is out of range (at most ±23:59)")
        delta = _dt.timedelta(hours=int(hours), minutes=int(minutes))
        return _dt.timezone(-delta if sign == "-" else delta)
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{text!r} is neither an offset like +05:30 nor a time zone name like Asia/Kolkata") from None


def is_placebo(doc) -> bool:
    """placebo's shape: exactly a status code and the parsed data, nothing else."""
    return (isinstance(doc, dict) and len(doc) == 2 and "status_code" in doc and "data" in doc
            and isinstance(doc["status_code"], int) and not isinstance(doc["status_code"], bool))


def named_operation(path: str) -> tuple[str, str] | None:
    """(service, operation) from a placebo file name, or None when the name is not placebo's."""
    m = _FILE_NAME.match(os.path.basename(path))
    return (m["service"], m["operation"]) if m else None


def with_zone(data, tz: _dt.tzinfo, pointer: str = ""):
    """`data` with every placebo datetime made an aware datetime in `tz`; LoadError names a broken one."""
    if isinstance(data, dict):
        if data.get("__class__") == "datetime":
            return _datetime(data, tz, pointer)
        return {k: with_zone(v, tz, f"{pointer}/{k}") for k, v in data.items()}
    if isinstance(data, list):
        return [with_zone(v, tz, f"{pointer}/{i}") for i, v in enumerate(data)]
    return data


def _datetime(fields: dict, tz: _dt.tzinfo, pointer: str) -> _dt.datetime:
    unknown = set(fields) - {"__class__", "__module__", *_DATETIME_FIELDS}
    values = {k: fields.get(k, 0) for k in _DATETIME_FIELDS}
    if unknown or any(isinstance(v, bool) or not isinstance(v, int) for v in values.values()):
        raise LoadError(f"{pointer or '/'}: placebo datetime is not whole-number fields {', '.join(_DATETIME_FIELDS)}")
    try:
        # fold=0: a wall-clock time a DST change makes ambiguous is read as its first occurrence
        return _dt.datetime(tzinfo=tz, **values)
    except (ValueError, OverflowError) as exc:
        raise LoadError(f"{pointer or '/'}: placebo datetime is not a real date and time ({exc})") from None


def placebo_items(name: str, doc: dict, tz: _dt.tzinfo = UTC, operation: str | None = "DescribeModel") -> Iterator[Item]:
    """The item of one placebo file. `operation` is what its file name says (None: no placebo name,
    as on standard input: then it is taken for DescribeModel, like any document given to validate)."""
    status, data = doc["status_code"], doc["data"]
    meta = {"placebo": True, "status_code": status, "operation": operation or "DescribeModel"}
    if operation not in (None, "DescribeModel"):
        yield Item(name, note=f"placebo recording of {operation}: counted, not judged", verbose=True, meta=meta)
        return
    if not 200 <= status < 300:
        error = data.get("Error") if isinstance(data, dict) else None
        code = error.get("Code") if isinstance(error, dict) else None
        message = error.get("Message") if isinstance(error, dict) else None
        yield Item(name, note=f"recorded error {code or 'with no code'} (HTTP {status})"
                   + (f": {' '.join(str(message).split())[:160]}" if message else "")
                   + "; not judged (the contract is that of a successful answer)", answered_error=True, meta=meta)
        return
    try:
        body = with_zone(data, tz)
    except RecursionError:
        yield Item(name, error="placebo data nests too deeply to read", meta=meta)
        return
    except LoadError as exc:
        yield Item(name, error=str(exc), meta=meta)
        return
    yield Item(name, body=body, meta=meta)
