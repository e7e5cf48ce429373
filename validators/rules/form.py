"""Rules about the document as a whole: one timestamp form, real instants."""
from __future__ import annotations

from l4e_contract.rules.registry import rule
from l4e_contract.contract.timestamps import PARSED, WIRE, NotARealInstant


@rule("form.timestamp-form",
      description="All timestamps of one response are in one form: wire (epoch seconds) or parsed (RFC 3339).",
      source="logic: a response is either the HTTP body or boto3's dict dumped to JSON, never a mix")
def one_timestamp_form(ctx):
    stamps = ctx.stamps()
    if not stamps:
        return
    first = stamps[0][2]
    for _, _, f in stamps:  # the usual case, one form, without building the table below
        if f != first:
            break
    else:
        return
    forms = {}
    for m, _, f in stamps:
        forms.setdefault(f, m)
    if len(forms) > 1:
        (fa, ma), (fb, mb) = list(forms.items())[:2]
        yield f"/{mb}", f"{mb} is in the {fb} form but {ma} is in the {fa} form"


@rule("form.timestamp-valid",
      description="Timestamps are real instants: parsed-form text names a real date and time (the schema checks "
                  "its shape); wire-form seconds are a finite number a float can hold.",
      source="model: timestamp members are instants; RFC 3339 requires a valid date and an offset; "
             "botocore reads epoch seconds as a float")
def real_instants(ctx):
    for m, v, f in ctx.stamps():
        if f == PARSED:
            exc = ctx.text_error(m)  # parse_rfc3339's error, from the Context's one parse of each text
            # the schema's pattern already names text of the wrong shape
            if isinstance(exc, NotARealInstant):
                yield f"/{m}", f"{v[:40]!r} is {exc}"
        elif f == WIRE and ctx.time(m) is None:
            # 1e999 reads as inf, and a 400-digit integer overflows a float: no instant either way
            yield f"/{m}", "is not a finite number of epoch seconds"
        # a naive boto3 datetime is the schema's finding (schema.timestamp: no UTC offset), not reported twice
