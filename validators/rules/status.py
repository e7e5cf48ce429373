"""Status-dependent fields: what FAILED, SUCCESS, IN_PROGRESS and IMPORT_IN_PROGRESS imply,
and the same for the latest scheduled retraining."""
from __future__ import annotations

from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import check_that, rule


def _status(ctx) -> str | None:
    return ctx.doc.get("Status")


check_that("status.failed-has-reason",
           lambda ctx: _status(ctx) != "FAILED" or ctx.has("FailedReason"), severity=WARNING, needs=("Status",),
           pointer="/FailedReason", message="Status is FAILED but there is no FailedReason",
           description="Status FAILED comes with a FailedReason.",
           source="inference: the documentation says what FailedReason means when present ('If the training ... "
                  "failed, this indicates the reason'), not that it is always present")

check_that("status.reason-only-when-failed",
           lambda ctx: not ctx.has("FailedReason") or ctx.str("Status") in (None, "FAILED"),
           severity=WARNING, needs=("Status", "FailedReason"),
           pointer="/FailedReason", message=lambda ctx: f"FailedReason is present but Status is {ctx.str('Status')}",
           description="FailedReason appears only with Status FAILED.",
           source="inference: Status is the model's most recent action; a reason from an older failure may linger")

_TRAINING_TIMES = ("TrainingExecutionStartTime", "TrainingExecutionEndTime")


@rule("status.success-trained", severity=WARNING, needs=("Status",),
      description="A SUCCESS model trained here has TrainingExecutionStartTime and TrainingExecutionEndTime.",
      source="inference: a model whose training succeeded has begun and completed training; that the response "
             "then names both times is not documented")
def success_trained(ctx):
    if ctx.str("Status") != "SUCCESS" or ctx.has("SourceModelVersionArn"):
        return
    for m in _TRAINING_TIMES:
        if not ctx.has(m):
            yield f"/{m}", f"Status is SUCCESS but {m} is absent"


# Members that exist only since model versions did: a response without any of them may be of a
# model trained before versions existed, whose real DescribeModel output (2021-2022 notebooks) names
# no ActiveModelVersion (docs/evidence/model-metrics.md).
_VERSION_ERA = ("PreviousActiveModelVersion", "SourceModelVersionArn", "ImportJobStartTime",
                "LatestScheduledRetrainingStatus", "RetrainingSchedulerStatus", "AccumulatedInferenceDataStartTime")

check_that("status.success-has-active-version",
           lambda ctx: _status(ctx) != "SUCCESS" or ctx.has("ActiveModelVersion")
           or not any(map(ctx.has, _VERSION_ERA)),
           severity=WARNING, needs=("Status",), needs_any=_VERSION_ERA,
           pointer="/ActiveModelVersion", message="Status is SUCCESS but there is no ActiveModelVersion",
           description="A SUCCESS model of the versioning era (it has an import, a retraining or a previous "
                       "version) has an ActiveModelVersion.",
           source="inference: a successfully trained or imported version becomes the active one; real SUCCESS "
                  "responses of 2021-2022, before versions existed, name none")

check_that("status.in-progress-not-finished",
           lambda ctx: (_status(ctx) != "IN_PROGRESS" or ctx.has("ActiveModelVersion")
                        or not ctx.has("TrainingExecutionEndTime")),
           severity=WARNING, needs=("Status", "TrainingExecutionEndTime"),
           pointer="/TrainingExecutionEndTime",
           message="Status is IN_PROGRESS with no active version, yet training has an end time",
           description="A model IN_PROGRESS with no active version has no TrainingExecutionEndTime.",
           source="logic: a first training that is still running has not completed (a retrained model keeps its old end)")

_UNTRAINED = ("FAILED", "IN_PROGRESS")
_TRAINED_ONLY = ("ModelMetrics", "ModelQuality")


@rule("status.metrics-need-training", severity=WARNING, needs=("Status",), needs_any=_TRAINED_ONLY,
      description="ModelMetrics and ModelQuality appear only once a version exists (not FAILED or IN_PROGRESS with no active version).",
      source="documentation: ModelMetrics summarise 'the model's performance within the evaluation time range', "
             "created when evaluating a trained model")
def metrics_need_training(ctx):
    status = ctx.str("Status")
    if status in _UNTRAINED and not ctx.has("ActiveModelVersion"):
        for m in _TRAINED_ONLY:
            if ctx.has(m):
                yield f"/{m}", f"{m} is present but Status is {status} and no version is active"


def _retraining_status(ctx) -> str | None:
    return ctx.doc.get("LatestScheduledRetrainingStatus")


check_that("retraining.failed-has-reason",
           lambda ctx: _retraining_status(ctx) != "FAILED" or ctx.has("LatestScheduledRetrainingFailedReason"),
           severity=WARNING, needs=("LatestScheduledRetrainingStatus",),
           pointer="/LatestScheduledRetrainingFailedReason",
           message="the latest retraining FAILED but no reason is given",
           description="LatestScheduledRetrainingStatus FAILED comes with LatestScheduledRetrainingFailedReason.",
           source="inference: the documentation says what the reason means when present ('If the model version was "
                  "generated by retraining and the training failed, this indicates the reason'), not that it always is")

# an absent status is retraining.details-need-status's finding, not reported twice
check_that("retraining.reason-only-when-failed",
           lambda ctx: (not ctx.has("LatestScheduledRetrainingFailedReason")
                        or ctx.str("LatestScheduledRetrainingStatus") in (None, "FAILED")),
           severity=WARNING, needs=("LatestScheduledRetrainingFailedReason", "LatestScheduledRetrainingStatus"),
           pointer="/LatestScheduledRetrainingFailedReason",
           message=lambda ctx: ("a retraining failure reason is present but the status is "
                                f"{ctx.str('LatestScheduledRetrainingStatus')}"),
           description="LatestScheduledRetrainingFailedReason appears only when the latest retraining FAILED.",
           source="documentation: the reason is given 'if ... the training failed'")

_RETRAINING_DETAILS = ("LatestScheduledRetrainingModelVersion", "LatestScheduledRetrainingStartTime",
                       "LatestScheduledRetrainingAvailableDataInDays", "LatestScheduledRetrainingFailedReason")

check_that("retraining.details-need-status",
           lambda ctx: ctx.has("LatestScheduledRetrainingStatus") or not any(map(ctx.has, _RETRAINING_DETAILS)),
           severity=WARNING, needs_any=_RETRAINING_DETAILS,
           pointer="/LatestScheduledRetrainingStatus",
           # the first detail present is enough to name
           message=lambda ctx: (f"{next(m for m in _RETRAINING_DETAILS if ctx.has(m))} is present but "
                                "LatestScheduledRetrainingStatus is not"),
           description="Details of the latest scheduled retraining appear only with LatestScheduledRetrainingStatus.",
           source="inference: they all describe 'the most recent scheduled retraining run', whose status is "
                  "LatestScheduledRetrainingStatus; that the status is then always sent is not documented")

check_that("retraining.success-has-version",
           lambda ctx: _retraining_status(ctx) != "SUCCESS" or ctx.has("LatestScheduledRetrainingModelVersion"),
           severity=WARNING, needs=("LatestScheduledRetrainingStatus",),
           pointer="/LatestScheduledRetrainingModelVersion",
           message="the latest retraining succeeded but names no model version",
           description="A SUCCESS scheduled retraining names the LatestScheduledRetrainingModelVersion it produced.",
           source="inference: a successful retraining run generates a model version; that the response names it "
                  "is not documented")

check_that("retraining.schedule-has-scheduler",
           lambda ctx: ctx.has("RetrainingSchedulerStatus") or not ctx.has("NextScheduledRetrainingStartDate"),
           severity=WARNING, needs=("NextScheduledRetrainingStartDate",),
           pointer="/RetrainingSchedulerStatus",
           message="a next retraining date is present but there is no RetrainingSchedulerStatus",
           description="NextScheduledRetrainingStartDate appears only with a RetrainingSchedulerStatus.",
           source="inference: only a retraining scheduler schedules the next run")
