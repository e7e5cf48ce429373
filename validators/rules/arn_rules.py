"""ARN consistency: names inside ARNs match the name fields; the model's resources share one home."""
from __future__ import annotations

from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import check_that, rule


def _names(kind: str, arn_member: str, name_member: str, source: str) -> None:
    """Register arn.<kind>-name: the name inside <kind>/<name>/... of arn_member is name_member."""
    def passes(ctx):
        parsed, name = ctx.arn(arn_member), ctx.str(name_member)
        return parsed is None or name is None or parsed.resource_type != kind or parsed.resource_name == name

    check_that(f"arn.{kind}-name", passes, needs=(arn_member, name_member),
               pointer=f"/{arn_member}",
               message=lambda ctx: (f"{arn_member} names {kind} {ctx.arn(arn_member).resource_name!r} "
                                    f"but {name_member} is {ctx.str(name_member)!r}"),
               description=f"The name inside {arn_member} ({kind}/<name>/...) is {name_member}.",
               source=source)


_names("model", "ModelArn", "ModelName",
       "AWS documentation: model ARN is arn:<partition>:lookoutequipment:<region>:<account>:model/<name>/<uuid>")
_names("dataset", "DatasetArn", "DatasetName",
       "AWS documentation: dataset ARN is arn:<partition>:lookoutequipment:<region>:<account>:dataset/<name>/<uuid>")

def _same(part: str, member: str):
    """The ARN in `member` has ModelArn's `part` (where both are ARNs)."""
    def passes(ctx):
        model, other = ctx.arn("ModelArn"), ctx.arn(member)
        return model is None or other is None or getattr(other, part) == getattr(model, part)
    return passes


check_that("arn.same-home", _same("location", "DatasetArn"), needs=("ModelArn", "DatasetArn"),
           pointer="/DatasetArn",
           message=lambda ctx: (f"DatasetArn is in {':'.join(ctx.arn('DatasetArn').location)} but ModelArn is in "
                                f"{':'.join(ctx.arn('ModelArn').location)} (partition:region:account)"),
           description="ModelArn and DatasetArn agree on partition, region and account.",
           source="logic: a model is trained on a dataset of its own account and region "
                  "(version ARNs are held to more by version.arn-belongs-to-model)")


_OTHER_PARTITION_MEMBERS = ("RoleArn", "ServerSideKmsKeyId", "SourceModelVersionArn")


@rule("arn.partition", needs=("ModelArn",), needs_any=_OTHER_PARTITION_MEMBERS,
      description="RoleArn, ServerSideKmsKeyId and SourceModelVersionArn are in ModelArn's partition.",
      source="logic: no AWS resource reaches across partitions (aws, aws-cn, aws-us-gov)")
def same_partition(ctx):
    model = ctx.arn("ModelArn")
    if model is None:
        return
    for m in _OTHER_PARTITION_MEMBERS:
        other = ctx.arn(m)
        if other and other.partition != model.partition:
            yield f"/{m}", f"{m} is in partition {other.partition!r} but ModelArn is in {model.partition!r}"


def _shares(rule_id: str, member: str, part: str, message: str, severity: str, description: str, source: str):
    """Register: the ARN in `member` has the model's `part` (account, region)."""
    check_that(rule_id, _same(part, member), severity=severity, needs=("ModelArn", member),
               pointer=f"/{member}",
               message=lambda ctx: message.format(theirs=getattr(ctx.arn(member), part),
                                                  model=getattr(ctx.arn("ModelArn"), part)),
               description=description, source=source)


_shares("arn.role-account", "RoleArn", "account", "RoleArn is in account {theirs} but the model is in {model}", WARNING,
        "RoleArn is in the model's account.",
        "inference: the service assumes a role of the calling account; cross-account roles are unusual")
_shares("arn.kms-region", "ServerSideKmsKeyId", "region",
        "the KMS key is in region {theirs!r} but the model is in {model!r}", WARNING,
        "ServerSideKmsKeyId is a key in the model's region.",
        "inference: KMS keys are regional and the service encrypts in its own region; "
        "the key may belong to another account")
_shares("arn.source-version-region", "SourceModelVersionArn", "region",
        "the source version is in region {theirs!r} but the model is in {model!r}", WARNING,
        "SourceModelVersionArn is in the model's region (its account may differ).",
        "inference: ImportModelVersion copies within a region; import across accounts is allowed")
