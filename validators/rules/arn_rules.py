"""ARN consistency: names inside ARNs match the name fields; the model's resources share one home."""
from __future__ import annotations

from l4e_contract.report import WARNING
from l4e_contract.rules.registry import rule


@rule("arn.model-name", needs=("ModelArn", "ModelName"),
      description="The name inside ModelArn (model/<name>/...) is ModelName.",
      source="AWS documentation: model ARN is arn:<partition>:lookoutequipment:<region>:<account>:model/<name>/<uuid>")
def model_name_in_arn(ctx):
    arn, name = ctx.arn("ModelArn"), ctx.str("ModelName")
    if arn and name is not None and arn.resource_type == "model" and arn.resource_name != name:
        yield "/ModelArn", f"ModelArn names model {arn.resource_name!r} but ModelName is {name!r}"


@rule("arn.dataset-name", needs=("DatasetArn", "DatasetName"),
      description="The name inside DatasetArn (dataset/<name>/...) is DatasetName.",
      source="AWS documentation: dataset ARN is arn:<partition>:lookoutequipment:<region>:<account>:dataset/<name>/<uuid>")
def dataset_name_in_arn(ctx):
    arn, name = ctx.arn("DatasetArn"), ctx.str("DatasetName")
    if arn and name is not None and arn.resource_type == "dataset" and arn.resource_name != name:
        yield "/DatasetArn", f"DatasetArn names dataset {arn.resource_name!r} but DatasetName is {name!r}"


@rule("arn.same-home", needs=("ModelArn", "DatasetArn"),
      description="ModelArn and DatasetArn agree on partition, region and account.",
      source="logic: a model is trained on a dataset of its own account and region "
             "(version ARNs are held to more by version.arn-belongs-to-model)")
def same_home(ctx):
    model = ctx.arn("ModelArn")
    if model is None:
        return
    for m in ("DatasetArn",):
        other = ctx.arn(m)
        if other and other.location != model.location:
            yield f"/{m}", (f"{m} is in {':'.join(other.location)} but ModelArn is in "
                            f"{':'.join(model.location)} (partition:region:account)")


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


@rule("arn.role-account", severity=WARNING, needs=("ModelArn", "RoleArn"),
      description="RoleArn is in the model's account.",
      source="inference: the service assumes a role of the calling account; cross-account roles are unusual")
def role_account(ctx):
    model, role = ctx.arn("ModelArn"), ctx.arn("RoleArn")
    if model and role and role.account != model.account:
        yield "/RoleArn", f"RoleArn is in account {role.account} but the model is in {model.account}"


@rule("arn.kms-region", severity=WARNING, needs=("ModelArn", "ServerSideKmsKeyId"),
      description="ServerSideKmsKeyId is a key in the model's region.",
      source="inference: KMS keys are regional and the service encrypts in its own region; "
             "the key may belong to another account")
def kms_region(ctx):
    model, key = ctx.arn("ModelArn"), ctx.arn("ServerSideKmsKeyId")
    if model and key and key.region != model.region:
        yield "/ServerSideKmsKeyId", f"the KMS key is in region {key.region!r} but the model is in {model.region!r}"


@rule("arn.source-version-region", severity=WARNING, needs=("ModelArn", "SourceModelVersionArn"),
      description="SourceModelVersionArn is in the model's region (its account may differ).",
      source="inference: ImportModelVersion copies within a region; import across accounts is allowed")
def source_region(ctx):
    model, src = ctx.arn("ModelArn"), ctx.arn("SourceModelVersionArn")
    if model and src and src.region != model.region:
        yield "/SourceModelVersionArn", f"the source version is in region {src.region!r} but the model is in {model.region!r}"
