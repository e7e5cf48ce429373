"""Numbers: counts that cannot be negative, wire integers botocore hands over as floats, and wire
timestamps botocore cannot turn into a datetime.

The integer members' type ranges (int32 for `integer`, int64 for `long`) are the schema's
(`minimum`/`maximum`, generated from the model's shape types).
"""
from __future__ import annotations

from functools import lru_cache

from l4e_contract.contract import committed
from l4e_contract.contract.timestamps import FIRST_READABLE, PAST_LAST_READABLE, WIRE, readable
from l4e_contract.rules.registry import rule
from l4e_contract.rules.time_window import wrong_scale

DAYS = "LatestScheduledRetrainingAvailableDataInDays"


@lru_cache(maxsize=1)
def integer_members() -> tuple[str, ...]:
    """Top-level members whose schema type is integer (the model's integer and long shapes)."""
    return tuple(m for m in committed.schema()["properties"] if committed.member(m).get("type") == "integer")


@rule("retraining.days-not-negative", needs=(DAYS,),
      description="LatestScheduledRetrainingAvailableDataInDays is not negative.",
      source="logic: the documentation calls it 'the number of days of data used in the most recent scheduled "
             "retraining run', a count; the model's Integer shape gives no minimum")
def days_not_negative(ctx):
    n = ctx.int(DAYS)
    low = committed.member(DAYS).get("minimum")
    # below the type's range it is the schema's finding (schema.minimum), reported once
    if n is not None and n < 0 and (low is None or n >= low):
        yield f"/{DAYS}", f"{n} days: a number of days of data cannot be negative"


@rule("form.wire-integer", needs_any=integer_members(),
      description="In the wire form, integer members are written as JSON integers: no fraction or exponent (2, not "
                  "2.0 or 2e0).",
      source="model: these members are integer/long shapes; botocore's JSON parser passes numbers through as "
             "json.loads reads them, so boto3 would hand the caller the float 2.0 where the model says integer")
def wire_integers(ctx):
    if ctx.form != WIRE:
        return
    for m in integer_members():
        v = ctx.doc.get(m)
        # a float with a fraction is not an integer at all: the schema's finding (schema.type)
        if v.__class__ is float and v.is_integer():
            yield f"/{m}", f"{v!r} is written with a fraction or an exponent; the model's type is an integer"


@rule("form.wire-timestamp-range",
      description="Wire-form timestamps lie where botocore can turn them into a datetime: epoch seconds from "
                  f"{FIRST_READABLE:.0f} (0001-01-01) to before {PAST_LAST_READABLE:.0f} (10000-01-01), UTC.",
      source="botocore.utils.parse_timestamp reads epoch seconds with datetime.fromtimestamp, which holds years "
             "1 to 9999 only; outside them it raises and so does boto3's describe_model")
def wire_timestamps_readable(ctx):
    for m, _, form in ctx.stamps():
        seconds = ctx.time(m)
        # None: not a finite number at all, form.timestamp-valid's finding
        if form != WIRE or seconds is None:
            continue
        # the same test as datetime.fromtimestamp(seconds, UTC) succeeding (tests hold it to botocore's parser)
        if not readable(seconds):
            cause = wrong_scale(seconds, ctx.captured_at)
            yield f"/{m}", (f"{ctx.doc[m]!r} epoch seconds is outside the years 1-9999 botocore can read "
                            f"(datetime.fromtimestamp: {FIRST_READABLE:.0f} to {PAST_LAST_READABLE:.0f}); "
                            "boto3 raises on this response" + (f"; {cause}" if cause else ""))
