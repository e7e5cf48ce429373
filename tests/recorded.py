"""Recordings made by the real vcrpy and placebo libraries, with a real boto3 client, against `serve`.

The tests record into tmp_path at test time: what they read is what those libraries write today,
never a hand-made imitation. The served models are the bundled wire recordings, plus:
- BROKEN_RULE: a model whose body breaks time.training-data-range (its training data ends before it starts);
- NOT_JSON: a model whose DescribeModel answers 200 with an HTML page (serve's --malformed not-json);
- MISSING: a model that is not there (ResourceNotFoundException).
"""
from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from l4e_contract.endpoints.serve import Faults, MockServer

ROOT = Path(__file__).resolve().parent.parent
VALID_WIRE = ROOT / "contracts" / "recordings" / "valid" / "wire"
BROKEN_RULE = "pump-broken"
NOT_JSON = "pump-not-json"
MISSING = "pump-missing"


def broken_body(name: str = BROKEN_RULE) -> dict:
    """The bundled recording that breaks time.training-data-range (and nothing else), renamed."""
    doc = json.loads((ROOT / "contracts/recordings/invalid/time.training-data-range.json").read_text())
    return {k: v.replace("centrifugal-pump-7", name) if isinstance(v, str) else v for k, v in doc.items()}


def wire_body(model: str) -> dict:
    """The bundled wire recording `serve` answers for `model`."""
    for path in sorted(VALID_WIRE.glob("*.json")):
        doc = json.loads(path.read_text())
        if doc.get("ModelName") == model:
            return doc
    raise LookupError(model)


@contextmanager
def local_zone(name: str):
    """The process's local zone set to `name` (botocore parses timestamps into it), then put back."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def served():
    """A MockServer of the valid models, the broken one and one that answers HTML."""
    return MockServer([VALID_WIRE, broken_body(), broken_body(NOT_JSON)], faults=Faults(malformed={NOT_JSON: "not-json"}))


def session():
    import boto3

    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")


def client(server, sess=None):
    return (sess or session()).client("lookoutequipment", endpoint_url=server.endpoint_url)


def user_code(lookout, models: list[str]) -> list[str]:
    """What a team's code does: list the models, describe some; errors are its own business."""
    seen = [m["ModelName"] for m in lookout.list_models()["ModelSummaries"]]
    for name in models:
        try:
            lookout.describe_model(ModelName=name)
        except Exception:  # botocore's ClientError, or its parser's complaint about an HTML body
            pass
    return seen


def record_cassette(path: Path, server, models: list[str], **vcr_options) -> Path:
    """vcrpy records a ListModels call and a DescribeModel of each model into `path`."""
    import vcr

    with vcr.use_cassette(str(path), record_mode="all", **vcr_options):
        user_code(client(server), models)
    return path


def record_placebo(folder: Path, server, models: list[str]) -> Path:
    """placebo records each DescribeModel (and the ListModels call) as JSON files into `folder`."""
    import placebo

    folder.mkdir(parents=True, exist_ok=True)
    sess = session()
    pill = placebo.attach(sess, data_path=str(folder))
    pill.record()
    try:
        user_code(client(server, sess), models)
    finally:
        pill.stop()
    return folder
