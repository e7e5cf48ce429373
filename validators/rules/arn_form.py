"""Whole ARNs and names: what the schema's anchored patterns cannot say.

The schema holds each ARN member to botocore's pattern, anchored (deviation anchored-patterns). Those
patterns end in `.+` or leave the region empty, so these rules hold the parts: the resource's path
segments, the region's form in its partition (botocore's endpoint data), IAM's role path, KMS key
identifiers, and S3's bucket naming rules. Each rule looks only at values that match the schema's
pattern: a value that does not is the schema's finding, reported once.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from l4e_contract.contract import arns, committed, patterns
from l4e_contract.findings import WARNING
from l4e_contract.rules.registry import rule

MODEL_VERSION_ARNS = ("ActiveModelVersionArn", "PreviousActiveModelVersionArn", "SourceModelVersionArn")
DIAGNOSTICS_KEY = ("ModelDiagnosticsOutputConfiguration", "KmsKeyId")
BUCKETS = (("LabelsInputConfiguration", "S3InputConfiguration", "Bucket"),
           ("ModelDiagnosticsOutputConfiguration", "S3OutputConfiguration", "Bucket"))


@lru_cache(maxsize=None)
def _pattern(path):
    """The schema's pattern at `path` (None: no pattern)."""
    node = committed.schema()
    for p in path:
        node = committed.resolve(node)["properties"][p]
    return committed.resolve(node).get("pattern")


def _pointer(path) -> str:
    return "".join(f"/{p}" for p in path)


def _string(ctx, path):
    """The string at `path`, or None."""
    value = ctx.doc.get(path[0])
    for p in path[1:]:
        value = value.get(p) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _accepts(path, value) -> bool:
    """Does the schema's pattern accept `value`? A value it rejects is the schema's finding, not ours: each
    rule asks only when it has found something, so a valid response costs no pattern search here."""
    pattern = _pattern(path)
    return pattern is None or patterns.search(pattern, value)


def _problem(path, value, check):
    """check(value) where the schema accepts `value` (None where it does not, or nothing is wrong)."""
    if not value:
        return None
    problem = check(value)
    return problem if problem and _accepts(path, value) else None


@rule("arn.model-form",
      description="ModelArn is exactly arn:<partition>:lookoutequipment:<region>:<account>:model/<name>/<id>: "
                  "two path segments, no version suffix, nothing around it.",
      source="AWS Service Authorization Reference, Lookout for Equipment resource types: model "
             "arn:${Partition}:lookoutequipment:${Region}:${Account}:model/${ModelName}/${ModelId}")
def model_arn_form(ctx):
    problem = _problem(("ModelArn",), ctx.str("ModelArn"), lambda v: arns.resource_problem(v, "model"))
    if problem:
        yield "/ModelArn", f"ModelArn {problem}"


@rule("arn.dataset-form", needs=("DatasetArn",),
      description="DatasetArn is exactly arn:<partition>:lookoutequipment:<region>:<account>:dataset/<name>/<id>.",
      source="AWS Service Authorization Reference, Lookout for Equipment resource types: dataset "
             "arn:${Partition}:lookoutequipment:${Region}:${Account}:dataset/${DatasetName}/${DatasetId}")
def dataset_arn_form(ctx):
    problem = _problem(("DatasetArn",), ctx.str("DatasetArn"), lambda v: arns.resource_problem(v, "dataset"))
    if problem:
        yield "/DatasetArn", f"DatasetArn {problem}"


@rule("arn.version-form", needs_any=MODEL_VERSION_ARNS,
      description="Model version ARNs (active, previous, source) are exactly a model ARN "
                  "(model/<name>/<id>) followed by /model-version/<n>.",
      source="AWS Service Authorization Reference, Lookout for Equipment resource types: model version "
             "arn:${Partition}:lookoutequipment:${Region}:${Account}:model/${ModelName}/${ModelId}/model-version/"
             "${ModelVersionNumber}")
def version_arn_form(ctx):
    for m in MODEL_VERSION_ARNS:
        problem = _problem((m,), ctx.str(m), arns.version_problem)
        if problem:
            yield f"/{m}", f"{m} {problem}"


@rule("arn.role-form", needs=("RoleArn",),
      description="RoleArn is arn:<partition>:iam::<account>:role/<path/>name, with IAM's role name "
                  "(1-64 of letters, digits, _+=,.@-) and path ('/' or '/' + printable ASCII + '/').",
      source="model: botocore's iam model, CreateRole's roleNameType ([\\w+=,.@-]+, 1-64) and pathType "
             "((\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F), 1-512), held to the whole value; IAM identifiers: "
             "role ARN arn:aws:iam::account:role/path/name")
def role_arn_form(ctx):
    problem = _problem(("RoleArn",), ctx.str("RoleArn"), arns.role_problem)
    if problem:
        yield "/RoleArn", f"RoleArn {problem}"


@rule("arn.kms-form", needs_any=("ServerSideKmsKeyId", "ModelDiagnosticsOutputConfiguration"),
      description="ServerSideKmsKeyId is a KMS key ARN (key/<key id> or alias/<name>); the diagnostics KmsKeyId "
                  "is a key id, an alias name (alias/<name>), or a key or alias ARN, as the model allows.",
      source="model: ServerSideKmsKeyId is KmsKeyArn, ModelDiagnosticsOutputConfiguration.KmsKeyId is NameOrArn; "
             "AWS KMS Developer Guide, key identifiers (KeyId): key ID, key ARN, alias name, alias ARN; "
             "botocore's kms model: AliasNameType ^[a-zA-Z0-9:/_-]+$ (1-256), beginning alias/")
def kms_form(ctx):
    problem = _problem(("ServerSideKmsKeyId",), ctx.str("ServerSideKmsKeyId"), arns.kms_arn_problem)
    if problem:
        yield "/ServerSideKmsKeyId", f"ServerSideKmsKeyId {problem}"
    problem = _problem(DIAGNOSTICS_KEY, _string(ctx, DIAGNOSTICS_KEY), arns.kms_identifier_problem)
    if problem:
        yield _pointer(DIAGNOSTICS_KEY), f"KmsKeyId {problem}"


# --- partitions and regions ------------------------------------------------------------

# the regional ARNs of a response: Lookout for Equipment's and KMS's (an IAM ARN has no region: its pattern says iam::)
_REGIONAL = (("ModelArn",), ("DatasetArn",), *((m,) for m in MODEL_VERSION_ARNS), ("ServerSideKmsKeyId",),
             DIAGNOSTICS_KEY)
_ARNS = (*_REGIONAL, ("RoleArn",))
# members other rules hold to ModelArn's partition (arn.partition, arn.same-home, version.arn-belongs-to-model)
_PARTITION_CHECKED = ("DatasetArn", "ServerSideKmsKeyId", *MODEL_VERSION_ARNS)


def _arns_present(ctx, paths):
    """(path, text, parsed ARN) of each member in `paths` that is an ARN."""
    for path in paths:
        text = _string(ctx, path)
        if text:
            parsed = ctx.arn(path[0]) if len(path) == 1 else arns.parse(text)
            if parsed is not None:
                yield path, text, parsed


@rule("arn.region",
      description="Every regional ARN (model, dataset, versions, KMS key) names a region, of its partition's form "
                  "(aws: us-east-1, aws-cn: cn-north-1, aws-us-gov: us-gov-west-1, ...).",
      source="AWS General Reference, ARN format: arn:partition:service:region:account-id:resource, region "
             "omitted only for global services (IAM); botocore endpoints.json: each partition's regionRegex")
def region_of_partition(ctx):
    model = ctx.arn("ModelArn")
    for path, text, parsed in _arns_present(ctx, _REGIONAL):
        if path[0] in _PARTITION_CHECKED and model is not None and parsed.partition != model.partition:
            continue  # their finding: the region is then of the wrong partition too, reported once
        problem = arns.region_problem(parsed.partition, parsed.region)
        if problem and _accepts(path, text):
            yield _pointer(path), f"{path[-1]} {problem}"


@rule("arn.partition-known", severity=WARNING,
      description="Every ARN's partition is one botocore's endpoint data knows (aws, aws-cn, aws-us-gov, ...).",
      source="inference: botocore endpoints.json lists the partitions; a newer partition may be missing from it")
def partition_known(ctx):
    for path, text, parsed in _arns_present(ctx, _ARNS):
        if not arns.known_partition(parsed.partition) and _accepts(path, text):
            yield _pointer(path), (f"{path[-1]} is in partition {parsed.partition!r}, which botocore's endpoint data "
                                   f"does not list ({', '.join(sorted(arns.partitions()))})")


# --- S3 buckets --------------------------------------------------------------------------

_RESERVED_PREFIXES = ("xn--", "sthree-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3")


def bucket_problem(name: str) -> str | None:
    """What breaks S3's bucket naming rules in a name of the model's pattern (3-63 lowercase letters,
    digits, dots and hyphens, beginning and ending with a letter or digit)."""
    if ".." in name:
        return "has two adjacent periods"
    try:
        ipaddress.IPv4Address(name)
        return "is formatted as an IP address"
    except ValueError:
        pass
    for prefix in _RESERVED_PREFIXES:
        if name.startswith(prefix):
            return f"begins with the reserved prefix {prefix!r}"
    for suffix in _RESERVED_SUFFIXES:
        if name.endswith(suffix):
            return f"ends with the reserved suffix {suffix!r}"
    return None


@rule("name.s3-bucket", needs_any=tuple(p[0] for p in BUCKETS),
      description="S3 bucket names follow S3's naming rules beyond the model's pattern: no two adjacent periods, "
                  "not an IP address, no xn-- or sthree- prefix, no -s3alias or --ol-s3 suffix.",
      source="Amazon S3 User Guide, general purpose bucket naming rules")
def s3_bucket_name(ctx):
    for path in BUCKETS:
        value = _string(ctx, path)
        problem = _problem(path, value, bucket_problem)
        if problem:
            yield _pointer(path), f"bucket {value!r} {problem}"
