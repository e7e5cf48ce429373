"""Model versions: numbers and their ARNs come together and agree; import fields go together."""
from __future__ import annotations

from l4e_contract.contract import arns
from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import check_that, not_a_rule, rule

# (version number member, its ARN member, its activation time member)
VERSION_TRIPLES = (
    ("ActiveModelVersion", "ActiveModelVersionArn", "ModelVersionActivatedAt"),
    ("PreviousActiveModelVersion", "PreviousActiveModelVersionArn", "PreviousModelVersionActivatedAt"),
)


@rule("version.arn-pair", severity=WARNING, needs_any=[m for triple in VERSION_TRIPLES for m in triple[:2]],
      description="A version number and its ARN appear together (active and previous).",
      source="inference: ActiveModelVersionArn is 'the ARN of the model version used by the inference scheduler', "
             "the version ActiveModelVersion names; that both are always sent together is not documented")
def number_and_arn_together(ctx):
    for number, arn, _ in VERSION_TRIPLES:
        if ctx.has(number) != ctx.has(arn):
            present, absent = (number, arn) if ctx.has(number) else (arn, number)
            yield f"/{absent}", f"{present} is present but {absent} is not"


@rule("version.arn-number", needs_any=[number for number, _, _ in VERSION_TRIPLES],
      description="A version ARN ends in /model-version/<that version number>.",
      source="AWS documentation: model version ARN is <model ARN>/model-version/<n>")
def arn_names_its_number(ctx):
    for number, arn, _ in VERSION_TRIPLES:
        n, text = ctx.int(number), ctx.str(arn)
        parts = arns.split_version_arn(text)
        if n is None or text is None:
            continue
        if parts is None:
            yield f"/{arn}", f"{arn} has no /model-version/<n> part"
        elif parts[1] != str(n):
            yield f"/{arn}", f"{arn} names version {parts[1]!r} but {number} is {n}"



@rule("version.arn-belongs-to-model", needs=("ModelArn",), needs_any=[arn for _, arn, _ in VERSION_TRIPLES],
      description="ActiveModelVersionArn and PreviousActiveModelVersionArn are ModelArn + /model-version/<n>.",
      source="AWS documentation: version ARN is <model ARN>/model-version/<n>; these are versions of this model")
def version_of_this_model(ctx):
    model = ctx.str("ModelArn")
    if model is None:
        return
    for _, arn, _ in VERSION_TRIPLES:
        parts = arns.split_version_arn(ctx.str(arn))
        if parts is not None and parts[0] != model:
            yield f"/{arn}", f"{arn} belongs to {parts[0][:120]!r}, not to ModelArn"


@rule("version.activation-time", severity=WARNING, needs_any=[m for n, _, at in VERSION_TRIPLES for m in (n, at)],
      description="An activation time appears exactly when its version does (active and previous).",
      source="inference: ModelVersionActivatedAt is 'the date the active model version was activated'; "
             "that it is sent whenever the version is, and only then, is not documented")
def activation_time_with_version(ctx):
    for number, _, at in VERSION_TRIPLES:
        if ctx.has(number) != ctx.has(at):
            present, absent = (number, at) if ctx.has(number) else (at, number)
            yield f"/{absent}", f"{present} is present but {absent} is not"


check_that("version.previous-requires-active",
           lambda ctx: ctx.has("ActiveModelVersion") or not ctx.has("PreviousActiveModelVersion"),
           severity=WARNING, needs=("PreviousActiveModelVersion",),
           pointer="/ActiveModelVersion",
           message="PreviousActiveModelVersion is present but there is no ActiveModelVersion",
           description="A previous active version implies a current active version.",
           source="inference: the previous version was active 'prior to the current active model version', so a "
                  "current one exists; that the response then names it is not documented")

check_that("version.previous-differs",
           lambda ctx: ctx.int("ActiveModelVersion") is None
           or ctx.int("ActiveModelVersion") != ctx.int("PreviousActiveModelVersion"),
           severity=WARNING, needs=("ActiveModelVersion", "PreviousActiveModelVersion"),
           pointer="/PreviousActiveModelVersion",
           message=lambda ctx: f"the previous active version equals the active version ({ctx.int('ActiveModelVersion')})",
           description="The previous active version is not the active version.",
           source="inference: activating the version that is already active is not expected to record a change")

def _not_first_version(ctx) -> bool:
    version = ctx.int("LatestScheduledRetrainingModelVersion")
    return version is None or version >= 2


check_that("version.retrained-number", _not_first_version,
           severity=WARNING, needs=("LatestScheduledRetrainingModelVersion",),
           pointer="/LatestScheduledRetrainingModelVersion",
           message=lambda ctx: (f"retraining produced version {ctx.int('LatestScheduledRetrainingModelVersion')}, "
                                "but version 1 is the model's first"),
           description="A version produced by scheduled retraining is 2 or higher.",
           source="AWS documentation: a retrained version is numbered one above the most recent version; "
                  "the first version of a model is 1")

_IMPORT = ("SourceModelVersionArn", "ImportJobStartTime", "ImportJobEndTime")


@rule("import.fields-together", severity=WARNING, needs_any=_IMPORT[:2],
      description="SourceModelVersionArn and ImportJobStartTime appear together.",
      source="inference: each 'appears if the active model version was imported'; the first import of a new "
             "model is undocumented, and IMPORT_IN_PROGRESS may show the job's start before its source")
def import_fields(ctx):
    src, start = ctx.has("SourceModelVersionArn"), ctx.has("ImportJobStartTime")
    if src and not start:
        yield "/ImportJobStartTime", "SourceModelVersionArn is present but ImportJobStartTime is not"
    if start and not src:
        yield "/SourceModelVersionArn", "ImportJobStartTime is present but SourceModelVersionArn is not"


check_that("import.end-needs-start", lambda ctx: ctx.has("ImportJobStartTime") or not ctx.has("ImportJobEndTime"),
           needs=("ImportJobEndTime",),
           pointer="/ImportJobStartTime", message="ImportJobEndTime is present but ImportJobStartTime is not",
           description="An import job that has an end time has a start time.",
           source="logic: 'the date and time when the import job was completed' implies one that was started")


check_that("import.in-progress-has-source",
           lambda ctx: ctx.doc.get("Status") != "IMPORT_IN_PROGRESS" or ctx.has("SourceModelVersionArn"),
           severity=WARNING, needs=("Status",),
           pointer="/SourceModelVersionArn",
           message="Status is IMPORT_IN_PROGRESS but SourceModelVersionArn is absent",
           description="A model in IMPORT_IN_PROGRESS names its SourceModelVersionArn.",
           source="inference: an import always has a source version; the documentation ties the field to the active version")


not_a_rule("PreviousActiveModelVersion", "The model version that was set as the active model version prior to "
           "the current active model version.",
           "A model can be rolled back, so the previous active version may be higher than the active one: "
           "no numeric order between them.")
not_a_rule("LatestScheduledRetrainingModelVersion", "Indicates the most recent model version that was generated by retraining.",
           "It may be higher than the active version (a retrained version need not be activated) or lower "
           "(a later manual version): no order against ActiveModelVersion.")
not_a_rule("ActiveModelVersion", "Only a SUCCESS version can be activated.",
           "DescribeModel does not carry the status of individual versions; Status is the model's most recent action.")
