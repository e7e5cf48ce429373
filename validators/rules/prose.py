"""Rules the documentation states in prose, one sentence each."""
from __future__ import annotations

from l4e_contract.report import WARNING
from l4e_contract.rules.registry import not_a_rule, rule
from l4e_contract.timestamps import describe

DIAGNOSTICS_FILE = "model_diagnostics_results.json.gz"


@rule("prose.unlabeled-quality", needs=("ModelQuality",),
      description="A model without labels, not imported, has ModelQuality CANNOT_DETERMINE_QUALITY (when ModelQuality is given).",
      source="documentation: 'If the model is unlabeled, the model quality can't be assessed and the value of "
             "ModelQuality is CANNOT_DETERMINE_QUALITY'")
def unlabeled_quality(ctx):
    # An imported version was assessed in its source account, with labels this response need not
    # name (ImportModelVersion's LabelsInputConfiguration is optional): not "unlabeled".
    if ctx.has("SourceModelVersionArn"):
        return
    q = ctx.str("ModelQuality")
    if q is not None and not ctx.has("LabelsInputConfiguration") and q != "CANNOT_DETERMINE_QUALITY":
        yield "/ModelQuality", f"the model has no LabelsInputConfiguration, so ModelQuality must be CANNOT_DETERMINE_QUALITY, not {q}"


@rule("prose.labeled-quality", severity=WARNING, needs=("LabelsInputConfiguration", "ModelQuality"),
      description="A model with labels is assessed: ModelQuality is QUALITY_THRESHOLD_MET or POOR_QUALITY_DETECTED.",
      source="documentation: 'If ... poor ... POOR_QUALITY_DETECTED. Otherwise, the value is QUALITY_THRESHOLD_MET'; "
             "labels that hold no event may still leave quality undetermined")
def labeled_quality(ctx):
    if ctx.has("LabelsInputConfiguration") and ctx.str("ModelQuality") == "CANNOT_DETERMINE_QUALITY":
        yield "/ModelQuality", "the model has labels but its quality is CANNOT_DETERMINE_QUALITY"


@rule("prose.next-retraining-utc-day", needs=("NextScheduledRetrainingStartDate",),
      description="NextScheduledRetrainingStartDate is midnight UTC.",
      source="documentation: 'Lookout for Equipment truncates the time you provide to the nearest UTC day'")
def next_retraining_day(ctx):
    t = ctx.time("NextScheduledRetrainingStartDate")
    if t is not None and t % 86400 != 0:
        yield "/NextScheduledRetrainingStartDate", f"{describe(t)} is not truncated to a UTC day"


@rule("prose.labels-source", severity=WARNING, needs=("LabelsInputConfiguration",),
      description="LabelsInputConfiguration names exactly one source: S3InputConfiguration or LabelGroupName.",
      source="AWS documentation of CreateModel: labels come from an S3 location or a label group")
def labels_source(ctx):
    labels = ctx.obj("LabelsInputConfiguration")
    if labels is None:
        return
    n = ("S3InputConfiguration" in labels) + ("LabelGroupName" in labels)
    if n != 1:
        yield "/LabelsInputConfiguration", ("names both an S3 location and a label group" if n == 2
                                            else "names neither an S3 location nor a label group")


@rule("prose.diagnostics-prefix-file", severity=WARNING, needs=("Status", "ModelDiagnosticsOutputConfiguration"),
      description=f"Once trained (SUCCESS), the diagnostics Prefix names the file {DIAGNOSTICS_FILE}.",
      source="documentation: 'When you call DescribeModel ..., prefix contains the file path and filename of the "
             f"model evaluation file' ({DIAGNOSTICS_FILE})")
def diagnostics_prefix_file(ctx):
    s3 = ctx.obj("ModelDiagnosticsOutputConfiguration", "S3OutputConfiguration")
    prefix = s3.get("Prefix") if s3 else None
    if ctx.str("Status") == "SUCCESS" and isinstance(prefix, str) and prefix and not prefix.endswith(DIAGNOSTICS_FILE):
        yield ("/ModelDiagnosticsOutputConfiguration/S3OutputConfiguration/Prefix",
               f"{prefix[:80]!r} does not name {DIAGNOSTICS_FILE}")


not_a_rule("ModelDiagnosticsOutputConfiguration.S3OutputConfiguration.Bucket",
           "You must be the owner of the Amazon S3 bucket.",
           "Ownership is not visible in the response.")
not_a_rule("TargetSamplingRate", 'you must attach the prefix "PT" to the rate you want',
           "Already the schema's enum (PT1S ... PT1H), taken from the model.")
not_a_rule("Status", "Status describes the status of the most recent action of the model.",
           "Which action was most recent is not in the response; the status-dependent rules use only what follows "
           "whatever the action was.")
