"""ARN consistency: names inside ARNs match the name fields; the model's resources share one home."""
from __future__ import annotations

from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import check_that, rule


def _names(kind: str, arn_member: str, name_member: str, source: str) -> None:
    """Register arn.<kind>-name: the name inside <kind>/<name>/... of arn_member is name_member."""
    check_that(f"arn.{kind}-name", needs=(arn_member, name_member),
               holds=f"(_r := arn({arn_member!r})) is None or not isinstance(_n := d.get({name_member!r}), str) "
                     f"or _r.resource_type != {kind!r} or _r.resource_name == _n",
               pointer=f"/{arn_member}",
               message=lambda ctx: (f"{arn_member} names {kind} {ctx.arn(arn_member).resource_name!r} "
                                    f"but {name_member} is {ctx.str(name_member)!r}"),
               description=f"The name inside {arn_member} ({kind}/<name>/...) is {name_member}.",
               source=source)


_names("model", "ModelArn", "ModelName",
       "AWS documentation: model ARN is arn:<partition>:lookoutequipment:<region>:<account>:model/<name>/<uuid>")
_names("dataset", "DatasetArn", "DatasetName",
       "AWS documentation: dataset ARN is arn:<partition>:lookoutequipment:<region>:<account>:dataset/<name>/<uuid>")

check_that("arn.same-home", needs=("ModelArn", "DatasetArn"),
           holds="(_r := arn('ModelArn')) is None or (_o := arn('DatasetArn')) is None or _o.location == _r.location",
           pointer="/DatasetArn",
           message=lambda ctx: (f"DatasetArn is in {':'.join(ctx.arn('DatasetArn').location)} but ModelArn is in "
                                f"{':'.join(ctx.arn('ModelArn').location)} (partition:region:account)"),
           description="ModelArn and DatasetArn agree on partition, region and account.",
           source="logic: a model is trained on a dataset of its own account and region "
                  "(version ARNs are held to more by version.arn-belongs-to-model)")


_OTHER_PARTITION_MEMBERS = ("RoleArn", "ServerSideKmsKeyId", "SourceModelVersionArn")


@rule("arn.partition", needs=("ModelArn",), needs_any=_OTHER_PARTITION_MEMBERS,
      holds="(_r := arn('ModelArn')) is None or " + " and ".join(
          f"((_o := arn({m!r})) is None or _o.partition == _r.partition)" for m in _OTHER_PARTITION_MEMBERS),
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
    check_that(rule_id, severity=severity, needs=("ModelArn", member),
               holds=f"(_r := arn('ModelArn')) is None or (_o := arn({member!r})) is None or _o.{part} == _r.{part}",
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
