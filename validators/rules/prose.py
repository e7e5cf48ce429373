"""Rules the documentation states in prose, one sentence each."""
from __future__ import annotations

from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import check_that, not_a_rule
from l4e_contract.contract.timestamps import describe

DIAGNOSTICS_FILE = "model_diagnostics_results.json.gz"


# An imported version was assessed in its source account, with labels this response need not
# name (ImportModelVersion's LabelsInputConfiguration is optional): not "unlabeled".
check_that("prose.unlabeled-quality",
           lambda ctx: (ctx.has("SourceModelVersionArn") or ctx.has("LabelsInputConfiguration")
                        or ctx.str("ModelQuality") in (None, "CANNOT_DETERMINE_QUALITY")),
           needs=("ModelQuality",),
           pointer="/ModelQuality",
           message=lambda ctx: ("the model has no LabelsInputConfiguration, so ModelQuality must be "
                                f"CANNOT_DETERMINE_QUALITY, not {ctx.str('ModelQuality')}"),
           description="A model without labels, not imported, has ModelQuality CANNOT_DETERMINE_QUALITY (when ModelQuality is given).",
           source="documentation: 'If the model is unlabeled, the model quality can't be assessed and the value of "
                  "ModelQuality is CANNOT_DETERMINE_QUALITY'")

check_that("prose.labeled-quality",
           lambda ctx: not ctx.has("LabelsInputConfiguration") or ctx.doc.get("ModelQuality") != "CANNOT_DETERMINE_QUALITY",
           severity=WARNING, needs=("LabelsInputConfiguration", "ModelQuality"),
           pointer="/ModelQuality", message="the model has labels but its quality is CANNOT_DETERMINE_QUALITY",
           description="A model with labels is assessed: ModelQuality is QUALITY_THRESHOLD_MET or POOR_QUALITY_DETECTED.",
           source="documentation: 'If ... poor ... POOR_QUALITY_DETECTED. Otherwise, the value is QUALITY_THRESHOLD_MET'; "
                  "labels that hold no event may still leave quality undetermined")

def _midnight_utc(ctx) -> bool:
    seconds = ctx.time("NextScheduledRetrainingStartDate")
    return seconds is None or seconds % 86400 == 0


check_that("prose.next-retraining-utc-day", _midnight_utc, needs=("NextScheduledRetrainingStartDate",),
           pointer="/NextScheduledRetrainingStartDate",
           message=lambda ctx: f"{describe(ctx.time('NextScheduledRetrainingStartDate'))} is not truncated to a UTC day",
           description="NextScheduledRetrainingStartDate is midnight UTC.",
           source="documentation: 'Lookout for Equipment truncates the time you provide to the nearest UTC day'")

def _one_labels_source(ctx) -> bool:
    labels = ctx.obj("LabelsInputConfiguration")
    return labels is None or ("S3InputConfiguration" in labels) + ("LabelGroupName" in labels) == 1


check_that("prose.labels-source", _one_labels_source, severity=WARNING, needs=("LabelsInputConfiguration",),
           pointer="/LabelsInputConfiguration",
           message=lambda ctx: ("names both an S3 location and a label group" if "S3InputConfiguration" in
                                ctx.obj("LabelsInputConfiguration") else "names neither an S3 location nor a label group"),
           description="LabelsInputConfiguration names exactly one source: S3InputConfiguration or LabelGroupName.",
           source="AWS documentation of CreateModel: labels come from an S3 location or a label group")


def _prefix(ctx):
    s3 = ctx.obj("ModelDiagnosticsOutputConfiguration", "S3OutputConfiguration")
    return s3.get("Prefix") if s3 else None


def _prefix_names_the_file(ctx) -> bool:
    prefix = _prefix(ctx)
    return (ctx.doc.get("Status") != "SUCCESS" or not isinstance(prefix, str) or not prefix
            or prefix.endswith(DIAGNOSTICS_FILE))


check_that("prose.diagnostics-prefix-file", _prefix_names_the_file, severity=WARNING,
           needs=("Status", "ModelDiagnosticsOutputConfiguration"),
           pointer="/ModelDiagnosticsOutputConfiguration/S3OutputConfiguration/Prefix",
           message=lambda ctx: f"{_prefix(ctx)[:80]!r} does not name {DIAGNOSTICS_FILE}",
           description=f"Once trained (SUCCESS), the diagnostics Prefix names the file {DIAGNOSTICS_FILE}.",
           source="documentation: 'When you call DescribeModel ..., prefix contains the file path and filename of the "
                  f"model evaluation file' ({DIAGNOSTICS_FILE})")


not_a_rule("ModelDiagnosticsOutputConfiguration.S3OutputConfiguration.Bucket",
           "You must be the owner of the Amazon S3 bucket.",
           "Ownership is not visible in the response.")
not_a_rule("TargetSamplingRate", 'you must attach the prefix "PT" to the rate you want',
           "Already the schema's enum (PT1S ... PT1H), taken from the model.")
not_a_rule("Status", "Status describes the status of the most recent action of the model.",
           "Which action was most recent is not in the response; the status-dependent rules use only what follows "
           "whatever the action was.")
