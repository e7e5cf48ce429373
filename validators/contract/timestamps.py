"""The two JSON forms of a timestamp, and boto3's third (a datetime object).

wire:   epoch seconds, a JSON number, possibly fractional (the JSON 1.0 protocol)
parsed: RFC 3339 text with an offset (boto3's datetime dumped with isoformat() or str())
boto3:  a datetime object, as the client returns it; it must carry tzinfo
"""
from __future__ import annotations

import datetime as _dt
import re

WIRE, PARSED, BOTO3 = "wire", "parsed", "boto3"

# Same grammar as the schema's ParsedTimestamp pattern, with groups to build the value.
_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))\Z"
)
_UTC = _dt.timezone.utc

# The windows a real timestamp lies in (rules/time_window.py). Each bound has its basis:
# - the service was first available as a preview announced on 2020-12-01 (AWS re:Invent 2020):
#   nothing the service did (create, train, import, activate, retrain) happened before;
SERVICE_FIRST_AVAILABLE = _dt.datetime(2020, 12, 1, tzinfo=_UTC).timestamp()
# - AWS ended support for the service on 2026-10-07: an event after that day is suspect, not impossible;
END_OF_SUPPORT = _dt.datetime(2026, 10, 8, tzinfo=_UTC).timestamp()  # the end of 2026-10-07
# - nothing has happened after the response was captured; AWS Signature Version 4 tolerates five
#   minutes between a client's clock and AWS's, the skew this suite allows too.
CLOCK_SKEW = 300.0
# - orderings between service events tolerate this much clock rounding between the service's parts
CLOCK_ROUNDING = 5.0
# What datetime can hold, and so what botocore's parser can return from wire epoch seconds: years 1 to 9999.
FIRST_READABLE = _dt.datetime(1, 1, 1, tzinfo=_UTC).timestamp()  # -62135596800
PAST_LAST_READABLE = _dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=_UTC).timestamp()  # 253402300800.0


def readable(seconds: float) -> bool:
    """Can botocore make a datetime of these epoch seconds (datetime.fromtimestamp(seconds, UTC))?"""
    return FIRST_READABLE <= seconds < PAST_LAST_READABLE


class TimestampError(ValueError):
    pass


class NotARealInstant(TimestampError):
    """RFC 3339 in shape, but no such date and time (February 30, hour 24, offset +25:00)."""


def form_of(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return WIRE
    if isinstance(value, str):
        return PARSED
    if isinstance(value, _dt.datetime):
        return BOTO3
    return None


def parse_rfc3339(text: str) -> float:
    """Epoch seconds of RFC 3339 text; TimestampError if it is not a real instant with an offset."""
    m = _RFC3339.match(text)
    if not m:
        raise TimestampError("not RFC 3339 text with an offset")
    y, mo, d, h, mi, s, frac, z, sign, oh, om = m.groups()
    try:
        if z:
            tz = _UTC
        else:
            if int(oh) > 23 or int(om) > 59:
                raise ValueError("offset out of range")
            delta = _dt.timedelta(hours=int(oh), minutes=int(om))
            tz = _dt.timezone(-delta if sign == "-" else delta)
        # RFC 3339 allows a leap second (:60); count it as the next second.
        leap = int(s) == 60
        value = _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), 59 if leap else int(s), tzinfo=tz)
    except ValueError as exc:
        raise NotARealInstant(f"not a real date and time ({exc})") from None
    return value.timestamp() + (1 if leap else 0) + (float(frac) if frac else 0.0)


def to_epoch(value) -> float | None:
    """Epoch seconds of a timestamp in any form, or None where it is not a usable timestamp."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            seconds = float(value)
        except OverflowError:  # an integer of hundreds of digits
            return None
        return seconds if seconds - seconds == 0.0 else None  # not NaN or infinite
    if isinstance(value, str):
        try:
            return parse_rfc3339(value)
        except TimestampError:
            return None
    if isinstance(value, _dt.datetime):
        # aware means utcoffset() is not None (a tzinfo may answer None: Python calls that naive)
        try:
            return value.timestamp() if value.utcoffset() is not None else None
        except Exception:  # a tzinfo is user code: its utcoffset() may raise anything
            return None
    return None


def as_text(value: _dt.datetime) -> str:
    """Parsed-form text of a datetime, as the schema reads boto3's: isoformat(), which has no offset
    for a naive one; text that is no timestamp where its tzinfo fails."""
    try:
        return value.isoformat()
    except Exception:  # a tzinfo is user code
        return "a datetime whose tzinfo fails"


def to_text(epoch: float) -> str:
    """Parsed-form text of epoch seconds, as boto3's datetime.isoformat() writes it."""
    return _dt.datetime.fromtimestamp(epoch, _UTC).isoformat()


def describe(epoch: float) -> str:
    """Readable UTC text of epoch seconds, for messages; raw seconds where no calendar date exists."""
    try:
        return _dt.datetime.fromtimestamp(epoch, _UTC).isoformat().replace("+00:00", "Z")
    except (OverflowError, OSError, ValueError):  # e.g. 2**70 seconds: past year 9999
        return f"{epoch:g} epoch seconds"
