"""Plausible times: every timestamp lies in the window its meaning allows.

The commonest mock faults are timestamps of the wrong scale (milliseconds or microseconds since
1970 where the protocol sends seconds), zeros from an unset field, and years no model ever saw.
Each member is one of three kinds, and each kind has a window with a basis
(contract/timestamps.py holds the bounds and their sources):

- service events: something the service did to this model. No earlier than the service's first
  availability, no later than the capture time (plus the clock skew AWS itself tolerates);
- the scheduled retraining date: set by the user, in the future by design, so only the lower bound
  (and the scale) applies to it;
- data times: references inside the dataset, which may lie years before the model, but after 1970
  and no later than the capture time.
"""
from __future__ import annotations

from l4e_contract.contract.timestamps import (CLOCK_SKEW, END_OF_SUPPORT, SERVICE_FIRST_AVAILABLE, describe,
                                              parse_rfc3339, readable)
from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import rule

SERVICE_EVENTS = ("CreatedAt", "LastUpdatedTime", "TrainingExecutionStartTime", "TrainingExecutionEndTime",
                  "ImportJobStartTime", "ImportJobEndTime", "ModelVersionActivatedAt",
                  "PreviousModelVersionActivatedAt", "LatestScheduledRetrainingStartTime")
SCHEDULED = ("NextScheduledRetrainingStartDate",)
DATA_TIMES = ("TrainingDataStartTime", "TrainingDataEndTime", "EvaluationDataStartTime", "EvaluationDataEndTime",
              "AccumulatedInferenceDataStartTime", "AccumulatedInferenceDataEndTime")

# The scales a mock confuses with seconds. A value read at one of these scales is taken for that
# mistake only when it then lands in this century: year 9999 in seconds is not 1978 in milliseconds.
_SCALES = (("milliseconds", 1e3), ("microseconds", 1e6), ("nanoseconds", 1e9))
_THIS_CENTURY = parse_rfc3339("2000-01-01T00:00:00Z")
_FIRST_AVAILABLE_TEXT = "2020-12-01, when the service was first available"


def _instants(ctx, members):
    """(member, epoch seconds) of each member that is an instant botocore can read: one it cannot
    (past year 9999, as milliseconds are) is form.wire-timestamp-range's finding, named once."""
    for m in members:
        seconds = ctx.time(m)
        if seconds is not None and readable(seconds):
            yield m, seconds


def _latest(ctx) -> float:
    return ctx.captured_at + CLOCK_SKEW


def wrong_scale(seconds: float, latest: float) -> str | None:
    """The likely cause of seconds beyond `latest`: a finer unit than seconds, named; None if none fits."""
    for name, scale in _SCALES:
        if _THIS_CENTURY <= seconds / scale <= latest:
            return (f"{seconds:.15g} looks like {name} since 1970, not seconds "
                    f"(as seconds it is {describe(seconds)}; as {name}, {describe(seconds / scale)})")
    return None


def _too_late(seconds: float, latest: float) -> str:
    return wrong_scale(seconds, latest) or (
        f"{describe(seconds)} is after the response was captured ({describe(latest - CLOCK_SKEW)})")


def _event_problem(seconds: float, latest: float | None) -> str | None:
    if seconds == 0:
        return "is 0 (1970-01-01): an unset timestamp, not an event of the service"
    if seconds < SERVICE_FIRST_AVAILABLE:
        return f"{describe(seconds)} is before {_FIRST_AVAILABLE_TEXT}"
    if latest is not None and seconds > latest:
        return _too_late(seconds, latest)
    return None


@rule("time.plausible-event",
      description="Service events lie between the service's first availability (2020-12-01) and the time the "
                  "response was captured (plus 5 minutes of clock skew); the scheduled retraining date lies "
                  "after 2020-12-01 and is in seconds, not a finer unit.",
      source="documentation: each is a time at which the service did something to this model ('created', "
             "'began', 'was completed', 'was activated'); the service was announced on 2020-12-01; "
             "the JSON 1.0 protocol sends epoch seconds; AWS SigV4 allows 5 minutes of clock skew")
def plausible_event(ctx):
    latest = _latest(ctx)
    for m, seconds in _instants(ctx, SERVICE_EVENTS + SCHEDULED):
        if m in SCHEDULED:  # in the future by design: only too early, or a finer unit than seconds
            problem = _event_problem(seconds, None) or (wrong_scale(seconds, latest) if seconds > latest else None)
        else:
            problem = _event_problem(seconds, latest)
        if problem:
            yield f"/{m}", problem


@rule("time.plausible-data",
      description="Data times (training, evaluation and accumulated inference ranges) lie after 1970 and no later "
                  "than the time the response was captured (plus 5 minutes of clock skew).",
      source="documentation: they are 'time references in the dataset' (data that exists when the response is "
             "sent); the JSON 1.0 protocol sends epoch seconds, so 0 is an unset value")
def plausible_data(ctx):
    latest = _latest(ctx)
    for m, seconds in _instants(ctx, DATA_TIMES):
        if seconds <= 0:
            yield f"/{m}", (f"is {describe(seconds)}: " + ("an unset timestamp" if seconds == 0 else "before 1970"))
        elif seconds > latest:
            yield f"/{m}", _too_late(seconds, latest)


@rule("time.after-end-of-support", severity=WARNING,
      description="No service event (nor the next scheduled retraining) falls after 2026-10-07, when AWS ended "
                  "support for the service.",
      source="AWS: Lookout for Equipment reached end of support on 2026-10-07; an endpoint that still answers "
             "may be a compatible one, so this is a warning")
def after_end_of_support(ctx):
    latest = _latest(ctx)
    for m, seconds in _instants(ctx, SERVICE_EVENTS + SCHEDULED):
        # later than the capture is time.plausible-event's finding (for the schedule, a wrong scale is)
        if seconds <= END_OF_SUPPORT or (
                seconds > latest and (m not in SCHEDULED or wrong_scale(seconds, latest))):
            continue
        yield f"/{m}", f"{describe(seconds)} is after the service's end of support (2026-10-07)"
