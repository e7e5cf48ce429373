"""Time ordering: every pair of timestamps with a natural order.

Equal timestamps are allowed everywhere: a zero-length interval is odd but the
documentation forbids none, and clocks round.
"""
from __future__ import annotations

from l4e_contract.report import WARNING
from l4e_contract.rules.registry import not_a_rule, rule
from l4e_contract.timestamps import describe


def _ordered(ctx, first: str, second: str, why: str):
    a, b = ctx.time(first), ctx.time(second)
    if a is not None and b is not None and a > b:
        yield f"/{second}", f"{second} ({describe(b)}) is before {first} ({describe(a)}): {why}"


def _pair(rule_id: str, first: str, second: str, why: str, source: str, severity: str = "error"):
    """Register the rule `first <= second`."""
    @rule(rule_id, description=f"{first} <= {second}.", source=source, severity=severity, needs=(first, second))
    def check(ctx):
        # _ordered's test, inline: one generator frame, not two, for a rule that nearly always finds nothing
        a, b = ctx.time(first), ctx.time(second)
        if a is not None and b is not None and a > b:
            yield f"/{second}", f"{second} ({describe(b)}) is before {first} ({describe(a)}): {why}"

    check.__name__ = rule_id.replace(".", "_").replace("-", "_")
    return check


_pair("time.training-data-range", "TrainingDataStartTime", "TrainingDataEndTime",
      "a data range ends after it starts", "logic: the training data subset begins before it ends")
_pair("time.evaluation-data-range", "EvaluationDataStartTime", "EvaluationDataEndTime",
      "a data range ends after it starts", "logic: the evaluation data subset begins before it ends")
_pair("time.training-execution", "TrainingExecutionStartTime", "TrainingExecutionEndTime",
      "training completes after it begins", "documentation: 'the time at which the training ... began' / 'was completed'")
_pair("time.created-before-updated", "CreatedAt", "LastUpdatedTime",
      "a model is updated after it is created", "logic: LastUpdatedTime is an update of the model created at CreatedAt")
_pair("time.import-job", "ImportJobStartTime", "ImportJobEndTime",
      "an import job completes after it starts", "documentation: 'when the import job was started' / 'was completed'")
_pair("time.activation-order", "PreviousModelVersionActivatedAt", "ModelVersionActivatedAt",
      "the previous active version was activated before the current one",
      "documentation: PreviousActiveModelVersion is the version active 'prior to the current active model version'")
_pair("time.accumulated-inference", "AccumulatedInferenceDataStartTime", "AccumulatedInferenceDataEndTime",
      "accumulated data ends after it starts", "logic: start and end of the accumulated inference data")
_pair("time.created-before-activation", "CreatedAt", "ModelVersionActivatedAt",
      "a version of this model is activated after the model exists",
      "logic: the active version belongs to this model, which exists from CreatedAt")
_pair("time.created-before-retraining", "CreatedAt", "LatestScheduledRetrainingStartTime",
      "a model is retrained after it is created", "logic: retraining runs on an existing model")
_pair("time.created-before-import", "CreatedAt", "ImportJobStartTime",
      "the import job that creates a model starts no earlier than the model",
      "observed in AWS samples: ImportModelVersion creates the model, then starts the job; not documented",
      severity=WARNING)


@rule("time.created-before-training", needs=("CreatedAt", "TrainingExecutionStartTime"),
      description="CreatedAt <= TrainingExecutionStartTime, for a model trained here (not imported).",
      source="logic: training runs on a model that exists; an imported model may carry its source's times")
def created_before_training(ctx):
    if ctx.has("SourceModelVersionArn"):
        return
    yield from _ordered(ctx, "CreatedAt", "TrainingExecutionStartTime", "a model is trained after it is created")


@rule("time.evaluation-after-training", severity=WARNING, needs=("TrainingDataEndTime", "EvaluationDataStartTime"),
      description="The evaluation data range does not start before the training data range ends.",
      source="convention: AWS's demo app sets the evaluation start equal to the training end; "
             "nothing documents the order and a sibling service allows overlap")
def evaluation_after_training(ctx):
    yield from _ordered(ctx, "TrainingDataEndTime", "EvaluationDataStartTime",
                        "evaluation data usually follows the training data")


@rule("time.next-retraining-after-latest", severity=WARNING,
      needs=("LatestScheduledRetrainingStartTime", "NextScheduledRetrainingStartDate"),
      description="NextScheduledRetrainingStartDate is not before the day of LatestScheduledRetrainingStartTime.",
      source="logic: the next run is scheduled after the latest; compared by UTC day because the next date is truncated")
def next_after_latest(ctx):
    latest, nxt = ctx.time("LatestScheduledRetrainingStartTime"), ctx.time("NextScheduledRetrainingStartDate")
    if latest is not None and nxt is not None and nxt < latest - latest % 86400:
        yield ("/NextScheduledRetrainingStartDate",
               f"next retraining ({describe(nxt)}) is before the day of the latest run ({describe(latest)})")


not_a_rule("LastUpdatedTime", "Indicates the last time the machine learning model was updated. "
           "The type of update is not specified.",
           "Only CreatedAt <= LastUpdatedTime follows; which other events count as updates is unspecified, "
           "so no other timestamp is ordered against it.")
not_a_rule("TrainingDataStartTime", "Indicates the time reference in the dataset ...",
           "Data ranges are times inside the dataset, not events of the model: they may lie years before "
           "CreatedAt, so they are ordered only among themselves.")
