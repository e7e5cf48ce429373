"""Time ordering: every pair of timestamps with a natural order.

Equal timestamps are allowed everywhere: a zero-length interval is odd but the
documentation forbids none. Events of the service are stamped by different parts
of it, so their orderings tolerate a few seconds of clock rounding (CLOCK_ROUNDING);
data times are compared exactly.
"""
from __future__ import annotations

from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import check_that, not_a_rule
from l4e_contract.contract.timestamps import CLOCK_ROUNDING, describe


def _in_order(first: str, second: str, unless: str | None, tolerance: float):
    """first <= second + tolerance, where both are instants (and `unless` is absent)."""
    def passes(ctx):
        a, b = ctx.time(first), ctx.time(second)
        return (unless is not None and ctx.has(unless)) or a is None or b is None or a <= b + tolerance
    return passes


def _out_of_order(first: str, second: str, why: str):
    """The message of first > second, worded from the response."""
    return lambda ctx: (f"{second} ({describe(ctx.time(second))}) is before {first} "
                        f"({describe(ctx.time(first))}): {why}")


def _pair(rule_id: str, first: str, second: str, why: str, source: str, severity: str = "error",
          description: str | None = None, unless: str | None = None, events: bool = False):
    """Register the rule `first <= second` (not checked where `unless` is present). `events`: both are
    events of the service, stamped by different parts of it, so CLOCK_ROUNDING seconds are tolerated."""
    tolerance = CLOCK_ROUNDING if events else 0.0
    description = description or f"{first} <= {second}."
    if events:
        description = description[:-1] + f" (within {CLOCK_ROUNDING:g} s of clock rounding)."
    check_that(rule_id, _in_order(first, second, unless, tolerance), pointer=f"/{second}",
               message=_out_of_order(first, second, why), description=description,
               source=source, severity=severity, needs=(first, second))


_pair("time.training-data-range", "TrainingDataStartTime", "TrainingDataEndTime",
      "a data range ends after it starts", "logic: the training data subset begins before it ends")
_pair("time.evaluation-data-range", "EvaluationDataStartTime", "EvaluationDataEndTime",
      "a data range ends after it starts", "logic: the evaluation data subset begins before it ends")
_pair("time.training-execution", "TrainingExecutionStartTime", "TrainingExecutionEndTime",
      "training completes after it begins", "documentation: 'the time at which the training ... began' / 'was completed'", events=True)
_pair("time.created-before-updated", "CreatedAt", "LastUpdatedTime",
      "a model is updated after it is created", "logic: LastUpdatedTime is an update of the model created at CreatedAt", events=True)
_pair("time.import-job", "ImportJobStartTime", "ImportJobEndTime",
      "an import job completes after it starts", "documentation: 'when the import job was started' / 'was completed'", events=True)
_pair("time.activation-order", "PreviousModelVersionActivatedAt", "ModelVersionActivatedAt",
      "the previous active version was activated before the current one",
      "documentation: PreviousActiveModelVersion is the version active 'prior to the current active model version'", events=True)
_pair("time.accumulated-inference", "AccumulatedInferenceDataStartTime", "AccumulatedInferenceDataEndTime",
      "accumulated data ends after it starts", "logic: start and end of the accumulated inference data")
_pair("time.created-before-activation", "CreatedAt", "ModelVersionActivatedAt",
      "a version of this model is activated after the model exists",
      "logic: the active version belongs to this model, which exists from CreatedAt", events=True)
_pair("time.created-before-retraining", "CreatedAt", "LatestScheduledRetrainingStartTime",
      "a model is retrained after it is created", "logic: retraining runs on an existing model", events=True)
_pair("time.created-before-import", "CreatedAt", "ImportJobStartTime",
      "the import job that creates a model starts no earlier than the model",
      "observed in AWS samples: ImportModelVersion creates the model, then starts the job; not documented",
      severity=WARNING, events=True)
_pair("time.created-before-training", "CreatedAt", "TrainingExecutionStartTime",
      "a model is trained after it is created",
      "logic: training runs on a model that exists; an imported model may carry its source's times",
      description="CreatedAt <= TrainingExecutionStartTime, for a model trained here (not imported).",
      unless="SourceModelVersionArn", events=True)
_pair("time.evaluation-after-training", "TrainingDataEndTime", "EvaluationDataStartTime",
      "evaluation data usually follows the training data",
      "convention: AWS's demo app sets the evaluation start equal to the training end; "
      "nothing documents the order and a sibling service allows overlap",
      description="The evaluation data range does not start before the training data range ends.",
      severity=WARNING)


def _not_before_the_day_of(later: float | None, earlier: float | None) -> bool:
    """The next date is truncated to a UTC day, so it is compared with the day of the latest run."""
    return later is None or earlier is None or not later < earlier - earlier % 86400


check_that("time.next-retraining-after-latest", severity=WARNING,
           needs=("LatestScheduledRetrainingStartTime", "NextScheduledRetrainingStartDate"),
           passes=lambda ctx: _not_before_the_day_of(ctx.time("NextScheduledRetrainingStartDate"),
                                                     ctx.time("LatestScheduledRetrainingStartTime")),
           pointer="/NextScheduledRetrainingStartDate",
           message=lambda ctx: (f"next retraining ({describe(ctx.time('NextScheduledRetrainingStartDate'))}) is "
                                f"before the day of the latest run ({describe(ctx.time('LatestScheduledRetrainingStartTime'))})"),
           description="NextScheduledRetrainingStartDate is not before the day of LatestScheduledRetrainingStartTime.",
           source="logic: the next run is scheduled after the latest; compared by UTC day because the next date is truncated")


not_a_rule("LastUpdatedTime", "Indicates the last time the machine learning model was updated. "
           "The type of update is not specified.",
           "Only CreatedAt <= LastUpdatedTime follows; which other events count as updates is unspecified, "
           "so no other timestamp is ordered against it.")
not_a_rule("TrainingDataStartTime", "Indicates the time reference in the dataset ...",
           "Data ranges are times inside the dataset, not events of the model: they may lie years before "
           "CreatedAt, so they are ordered only among themselves.")
