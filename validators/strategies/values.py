"""The parts a DescribeModel response is built from: names, ARNs, times, texts, embedded documents.

Bounds, alphabets and enum values are read from the committed schema (`l4e_contract.contract.committed`),
regions and partitions from botocore's endpoint data: nothing here restates the contract.
Every function takes the response's seeded `random.Random`: Hypothesis draws the shape of a
response (its stage, features, boundary case) and a seed, and the values follow from those
(see `lifecycle`), because each Hypothesis draw costs far more than building a value here.
"""
from __future__ import annotations

import datetime as _dt
import json
import random
import re
import string
from functools import lru_cache

from l4e_contract.contract import committed
from l4e_contract.contract import patterns

UTC = _dt.timezone.utc
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
DAY_MS = 86_400_000

# Model events fall between the service's launch year and its end of support (2026-10-07);
# dataset time references may lie years before a model is created.
FIRST_EVENT_MS = int(_dt.datetime(2020, 12, 15, tzinfo=UTC).timestamp()) * 1000
LAST_EVENT_MS = int(_dt.datetime(2026, 10, 7, tzinfo=UTC).timestamp()) * 1000
DATA_SPAN_MS = 8 * 365 * DAY_MS


# --- facts read from the schema ------------------------------------------------

# a pattern that is a sequence of character classes, each with an optional {m,n}: ^[a-z][a-z-]{1,61}[a-z]$
_CLASS_PART = re.compile(r"(\[(?:\\.|[^\]\\])+\])(?:\{(\d+),(\d+)\})?")


@lru_cache(maxsize=None)
def class_sequence(definition: str) -> tuple[tuple[str, int, int], ...]:
    """((alphabet, min, max), ...) of a pattern made of character classes in a row, e.g. S3Bucket.

    Each alphabet is every printable ASCII character its class admits under ECMA-262 (checked with
    the same engine as the validators); a pattern of another shape stops generation rather than guess.
    """
    pattern = committed.definition(definition)["pattern"]
    body = pattern[1:] if pattern.startswith("^") else pattern
    body = body[:-1] if body.endswith("$") else body
    parts, at = [], 0
    while at < len(body):
        m = _CLASS_PART.match(body, at)
        if m is None:
            raise ValueError(f"{definition}: pattern {pattern!r} is not character classes in a row")
        alphabet = "".join(c for c in map(chr, range(0x20, 0x7F)) if patterns.search(f"^{m.group(1)}$", c))
        lo, hi = (int(m.group(2)), int(m.group(3))) if m.group(2) else (1, 1)
        parts.append((alphabet, lo, hi))
        at = m.end()
    if not pattern.startswith("^") or not pattern.endswith("$") or not parts:
        raise ValueError(f"{definition}: pattern {pattern!r} is not anchored character classes")
    return tuple(parts)


def name_alphabet(definition: str) -> tuple[str, int, int]:
    """(alphabet, min, max) of a name whose pattern is one character class repeated, e.g. ModelName."""
    parts = class_sequence(definition)
    if len(parts) != 1:
        raise ValueError(f"{definition}: pattern is not one repeated character class")
    alphabet, lo, hi = parts[0]
    node = committed.definition(definition)
    return alphabet, max(node.get("minLength", 0), lo), min(node.get("maxLength", 10**9), hi)


def text_of(rnd: random.Random, definition: str, size: str = "any") -> str:
    """A string of the definition's class sequence; size "min" or "max" takes the schema's boundary
    (min/maxLength and the classes' counts, whichever binds), "any" a short random length."""
    parts = class_sequence(definition)
    node = committed.definition(definition)
    lo_total, hi_total = node.get("minLength", 0), node.get("maxLength", 10**9)
    counts = []
    for i, (_, lo, hi) in enumerate(parts):
        rest_lo = sum(p[1] for p in parts[i + 1:])
        used = sum(counts)
        top = min(hi, hi_total - used - rest_lo)
        bottom = max(lo, lo_total - used - sum(p[2] for p in parts[i + 1:]))
        counts.append(bottom if size == "min" else top if size == "max" else
                      rnd.randint(bottom, max(bottom, min(top, bottom + 20))))
    return "".join("".join(rnd.choices(alphabet, k=n)) for (alphabet, _, _), n in zip(parts, counts))


def bounds(definition: str) -> tuple[int, int]:
    node = committed.definition(definition)
    return node.get("minLength", 0), node["maxLength"]


def member_bounds(member: str) -> tuple[int, int]:
    """(min, max) length; for a member whose max the contract does not hold (ModelMetrics), botocore's."""
    node = committed.member(member)
    return node.get("minLength", 0), node.get("maxLength", node.get("x-botocore-maxLength"))


@lru_cache(maxsize=1)
def homes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(partition, regions) from botocore's endpoint data: Lookout for Equipment's own regions
    in the aws partition, first, then other partitions' regions (their ARNs only need a region)."""
    import botocore.session

    session = botocore.session.get_session()
    out = []
    for partition in session.get_available_partitions():
        regions = session.get_available_regions("lookoutequipment", partition) or \
            session.get_available_regions("ec2", partition)
        if regions:
            out.append((partition, tuple(regions)))
    return tuple(out)


# --- names -----------------------------------------------------------------------

def name(rnd: random.Random, definition: str = "ModelName", edge: bool = False) -> str:
    """A name of the definition's alphabet: usually short; with edge, exactly its min or max length."""
    return text_of(rnd, definition, rnd.choice(("min", "max")) if edge else "any")


def other_name(name: str, definition: str = "ModelName") -> str:
    """A different valid name, by construction (no filtering)."""
    alphabet, lo, hi = name_alphabet(definition)
    if len(name) < hi:
        return name + alphabet[0]
    last = alphabet[(alphabet.index(name[-1]) + 1) % len(alphabet)]
    return name[:-1] + last


def account(rnd: random.Random) -> str:
    return f"{rnd.randrange(10**12):012d}"


def other_account(account: str) -> str:
    return f"{(int(account) + 1) % 10**12:012d}"


def uuid_text(rnd: random.Random) -> str:
    return str(_uuid_from(rnd.getrandbits(128)))


def _uuid_from(bits: int):
    import uuid

    return uuid.UUID(int=bits, version=4)


# --- ARNs ------------------------------------------------------------------------

def model_arn(home, name, rid):
    partition, region, account = home
    return f"arn:{partition}:lookoutequipment:{region}:{account}:model/{name}/{rid}"


def dataset_arn(home, name, rid):
    partition, region, account = home
    return f"arn:{partition}:lookoutequipment:{region}:{account}:dataset/{name}/{rid}"


def version_arn(model: str, n: int) -> str:
    return f"{model}/model-version/{n}"


def role_arn(home, role_name):
    partition, _, account = home
    return f"arn:{partition}:iam::{account}:role/service-role/{role_name}"


def kms_arn(home, key_id):
    partition, region, account = home
    return f"arn:{partition}:kms:{region}:{account}:key/{key_id}"


def kms_alias_arn(home, alias_name):
    partition, region, account = home
    return f"arn:{partition}:kms:{region}:{account}:alias/{alias_name}"


def multi_region_key_id(rnd: random.Random) -> str:
    """A multi-Region KMS key id: mrk- and 32 hex digits."""
    return f"mrk-{rnd.getrandbits(128):032x}"


def other_region(home) -> str:
    partition, region, _ = home
    regions = dict(homes())[partition]
    if len(regions) > 1:
        return regions[(regions.index(region) + 1) % len(regions)] if region in regions else regions[0]
    # a partition with one region: the next number, still of the partition's region form (arn.region)
    stem, _, number = region.rpartition("-")
    return f"{stem}-{int(number) + 1}" if number.isdigit() else region


def other_partition(partition: str) -> str:
    parts = [p for p, _ in homes()]
    return parts[(parts.index(partition) + 1) % len(parts)] if partition in parts else parts[0]


# --- buckets and prefixes ----------------------------------------------------------

def bucket(rnd: random.Random, edge: int) -> str:
    """An S3 bucket name of the schema's pattern and S3's naming rules (name.s3-bucket); edge 1 and 2 give
    its shortest and longest."""
    return s3_bucket_name(text_of(rnd, "S3Bucket", "min" if edge == 1 else "max" if edge == 2 else "any"))


def s3_bucket_name(text: str) -> str:
    """`text` (of the S3Bucket pattern) changed, at the same length, to keep S3's naming rules: no '..',
    not an IP address, no reserved prefix or suffix."""
    from l4e_contract.rules.arn_form import bucket_problem

    text = text.replace("..", ".0")  # '...' becomes '.0.' : a left-to-right pass leaves no pair
    if bucket_problem(text):  # an IP address, or a reserved prefix or suffix: both ends become letters
        text = "a" + text[1:-1] + "a"
    if bucket_problem(text):
        raise ValueError(f"cannot make {text!r} a valid bucket name")
    return text


def path_segment(rnd: random.Random) -> str:
    return "".join(rnd.choices(_SEGMENT, k=rnd.randint(1, 12)))


_SEGMENT = string.ascii_lowercase + string.digits + "-_"


# --- times -----------------------------------------------------------------------

_SCALES_MS = (1_000, 60_000, 3_600_000, DAY_MS, 30 * DAY_MS)


def gap(rnd: random.Random, whole: bool = False) -> int:
    """A non-negative step between two events in ms: 0 (equal timestamps) on purpose, else any scale."""
    if rnd.random() < 0.15:
        return 0
    g = rnd.randint(1, rnd.choice(_SCALES_MS))
    return max(g - g % 1000, 1000) if whole else g


def wire_time(ms: int, whole_as_float: bool):
    """Epoch seconds as the JSON 1.0 protocol sends them: fractional when there are milliseconds."""
    if ms % 1000:
        return ms / 1000
    return float(ms // 1000) if whole_as_float else ms // 1000


def to_datetime(seconds: float, tz: _dt.tzinfo) -> _dt.datetime:
    """An aware datetime of epoch seconds, exact to the millisecond (no float rounding of the fraction)."""
    return (EPOCH + _dt.timedelta(milliseconds=round(seconds * 1000))).astimezone(tz)


def iso_naive(ms: int) -> str:
    """Range times in the metrics: ISO text without offset, microseconds, as the service writes them."""
    return (EPOCH + _dt.timedelta(milliseconds=ms)).replace(tzinfo=None).isoformat(timespec="microseconds")


def midnight(ms: int) -> int:
    return ms - ms % DAY_MS


# --- free text -------------------------------------------------------------------

# code point ranges: combining marks (general category M), astral letters and symbols
_COMBINING = ((0x0300, 0x036F), (0x1AB0, 0x1ACE), (0x20D0, 0x20F0), (0xFE20, 0xFE2F))
_ASTRAL = ((0x1F300, 0x1F64F), (0x10400, 0x1044F), (0x1D400, 0x1D7FF), (0x20000, 0x2A6DF))
_ANY = ((0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x1FFF), (0x3000, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xFFFD))
_WORDS = ("sensor", "data", "insufficient", "timestamp", "component", "schema", "training", "failed",
          "values", "missing", "range", "evaluation", "labels", "quota", "internal", "error")


def _char(rnd: random.Random, ranges) -> str:
    lo, hi = rnd.choice(ranges)
    return chr(rnd.randint(lo, hi))


def unicode_text(rnd: random.Random, size: int) -> str:
    """Text of `size` code points mixing any script, combining marks and astral characters (no surrogates)."""
    pools = (_ANY, _ANY, _COMBINING, _ASTRAL)
    return "".join(_char(rnd, rnd.choice(pools)) for _ in range(size))


def reason(rnd: random.Random, edge: bool = False, definition: str = "BoundedLengthString") -> str:
    """A failure reason: a sentence, or Unicode with combining marks and astral characters; with edge,
    exactly the maximum length (code points, as JSON Schema counts them)."""
    lo, hi = bounds(definition)
    if edge:
        unit = unicode_text(rnd, rnd.randint(1, 7))
        return (unit * (hi // len(unit) + 1))[:hi]
    kind = rnd.random()
    if kind < 0.25:
        return unicode_text(rnd, rnd.randint(max(lo, 1), 40))
    if kind < 0.4:
        word = rnd.choice(_WORDS)
        return word[0] + _char(rnd, _COMBINING) + word[1:] + " " + _char(rnd, _ASTRAL)
    return " ".join(rnd.choice(_WORDS) for _ in range(rnd.randint(1, 12))).capitalize() + "."


# --- embedded documents ------------------------------------------------------------

_COMPONENTS = ("pump", "motor", "compressor", "bearing", "turbine", "fan", "valve", "gearbox", "Plant_A")
_SENSORS = ("Temperature", "Pressure", "Vibration", "Current", "Speed", "Flow", "Voltage", "Torque", "Sensor")


def dataset_schema(rnd: random.Random) -> dict[str, list[str]]:
    """component -> sensor names; every component also has its DATETIME timestamp column."""
    out: dict[str, list[str]] = {}
    for i in range(rnd.randint(1, 3)):
        comp = f"{rnd.choice(_COMPONENTS)}{'-' + str(i) if i else ''}"
        out[comp] = [f"{rnd.choice(_SENSORS)}{j}" for j in range(rnd.randint(1, 4))]
    return out


def schema_text(components: dict[str, list[str]], timestamp_column: str = "Timestamp") -> str:
    return json.dumps({"Components": [
        {"ComponentName": comp,
         "Columns": [{"Name": timestamp_column, "Type": "DATETIME"}] + [{"Name": s, "Type": "DOUBLE"} for s in cols]}
        for comp, cols in components.items()]}, separators=(",", ":"))


def sensor_names(components) -> list[str]:
    return [f"{c}\\{s}" for c, cols in components.items() for s in cols]


def shares(rnd: random.Random, n: int) -> list[float]:
    """n fractions that sum to 1, as real diagnostics do (each sensor's share of an anomaly)."""
    weights = [rnd.random() + 1e-3 for _ in range(n)]
    total = sum(weights)
    return [w / total for w in weights]


def metrics_doc(rnd: random.Random, sensors: list[str], start_ms: int, end_ms: int, labeled: bool) -> dict:
    """ModelMetrics of the shape real trainings wrote over [start, end] (the evaluation window): ranges in
    order, counts that agree, diagnostics naming every sensor of the Schema with shares that sum to 1."""
    span = max(end_ms - start_ms, 0)

    def ranges(k):
        points = sorted(start_ms + rnd.randint(0, span) for _ in range(2 * k))
        return [(points[2 * i], points[2 * i + 1]) for i in range(k)]

    labeled_ranges = ranges(rnd.randint(0, 3)) if labeled else []
    predicted = ranges(rnd.randint(0, 3))
    identified = rnd.randint(0, len(labeled_ranges))
    doc = {
        "labeled_ranges": [{"start": iso_naive(s), "end": iso_naive(e)} for s, e in labeled_ranges],
        "labeled_event_metrics": {"num_labeled": len(labeled_ranges), "num_identified": identified,
                                  "total_warning_time_in_seconds": rnd.randint(0, 86400 * identified)},
        "predicted_ranges": [
            {"start": iso_naive(s), "end": iso_naive(e),
             "diagnostics": [{"name": n, "value": share} for n, share in zip(sensors, shares(rnd, len(sensors)))]}
            for s, e in predicted],
        "unknown_event_metrics": {"num_identified": rnd.randint(0, 5),
                                  "total_duration_in_seconds": rnd.randint(0, 86400)},
    }
    return doc


def metrics_text(doc: dict, pad_to: int | None = None) -> str:
    """The member's text; pad_to fills it to exactly that many characters with JSON whitespace."""
    text = json.dumps(doc)
    if pad_to is not None and len(text) < pad_to:
        text += " " * (pad_to - len(text))
    return text


def off_condition(rnd: random.Random, sensors: list[str]) -> str:
    name = rnd.choice(sensors)
    op = rnd.choice("<>")
    value = rnd.choice([str(rnd.randint(-100, 5000)), f"{rnd.uniform(-10, 1000):.2f}", f"{rnd.uniform(1, 9):.1f}e{rnd.randint(-3, 3)}"])
    space = rnd.choice(["", " "])
    return f"{name}{space}{op}{space}{value}"
