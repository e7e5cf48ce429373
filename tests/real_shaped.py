"""ModelMetrics documents and DescribeModel responses shaped like real trainings' output.

    python3 tests/real_shaped.py           # write tests/data/real_metrics/ and tests/data/real_shaped/
    python3 tests/real_shaped.py --check   # exit 1 if the committed files differ

Every count, date, name layout and format below comes from public notebook outputs of real
trainings (aws-samples repositories, 2021-2022) or from AWS documentation; what those outputs
truncate (most diagnostic values, the ranges between the first and last few) is filled in by a
seeded generator that keeps the facts they show. docs/evidence/model-metrics.md gives each source.
No file here is a copy of a real response: account ids, buckets and resource ids are placeholders.

The largest real model (1179 predicted ranges, 124 diagnostics each, about 9 MB of ModelMetrics)
is not committed; `wind_turbine_metrics()` builds it when a test asks.
"""
from __future__ import annotations

import datetime as _dt
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
METRICS_DIR = DATA / "real_metrics"
RESPONSES_DIR = DATA / "real_shaped"

UTC = _dt.timezone.utc
ACCOUNT = "123456789012"  # placeholder: the real outputs' account ids are not reproduced


# --- times -------------------------------------------------------------------

def _dt_of(text: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(text)


def range_time(moment: _dt.datetime) -> str:
    """A range time as the service writes it: 'YYYY-MM-DDTHH:MM:SS.ffffff', no offset."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")


def epoch(text: str) -> float:
    """Wire timestamp (epoch seconds) of an ISO text read as UTC."""
    return round(_dt_of(text).replace(tzinfo=UTC).timestamp(), 3)


# --- diagnostics -------------------------------------------------------------

def diagnostics(rng: random.Random, names: list[str], first_share: float | None = None,
                negatives: int = 0) -> list[dict]:
    """One predicted range's diagnostics: every sensor named once, in `names` order, with
    full-precision float shares summing to 1. `first_share` pins the first sensor's share (the
    outputs show its leading digits); `negatives` small negative values, as one real model shows."""
    rest = names[1:] if first_share is not None else names
    weights = [rng.random() ** 2 + 0.05 for _ in rest]
    negative_at = set(rng.sample(range(len(rest)), negatives)) if negatives else set()
    for i in negative_at:
        weights[i] = -rng.uniform(0.0001, 0.004)
    budget = 1.0 - (first_share or 0.0)
    positive = sum(w for w in weights if w > 0)
    negative = sum(w for w in weights if w < 0)
    # scale the positive weights so that, with the negatives as they are, the shares sum to the budget
    scale = (budget - negative) / positive
    values = [w * scale if w > 0 else w for w in weights]
    if first_share is not None:
        values = [first_share] + values
    return [{"name": n, "value": v} for n, v in zip(names, values)]


def _shares_sum(diags: list[dict]) -> float:
    return sum(d["value"] for d in diags)


# --- sensors -------------------------------------------------------------------

# Water pump (re:Mars 2022 workshop): sensor_00..sensor_51 without sensor_15 and sensor_50, one
# component per sensor, named like the sensor: diagnostics read 'sensor_43\\sensor_43'.
PUMP_SENSORS = [f"sensor_{i:02d}" for i in range(52) if i not in (15, 50)]
PUMP_ORDER = ["sensor_43"] + [s for s in PUMP_SENSORS if s != "sensor_43"]  # the outputs list sensor_43 first

# Centrifugal pump (getting started): one component, Sensor0..Sensor29.
CENTRIFUGAL_SENSORS = [f"Sensor{i}" for i in range(30)]

# Wind turbine R80711 (ENGIE La Haute Borne): avg/min/max/std of 31 variables = 124 diagnostics.
WIND_VARIABLES = ["Q", "Ws1", "Ws2", "Ws", "Git", "Ot", "Va1", "Va2", "Va", "Ya", "Yt", "Ba", "Cm",
                  "Cosphi", "Db1t", "Db2t", "DCs", "Ds", "Dst", "Gb1t", "Gb2t", "Gost", "Nf", "Nu",
                  "Rbt", "Rm", "Rs", "Rt", "S", "P", "Pas"]
WIND_SENSORS = [f"{v}_{stat}" for v in WIND_VARIABLES for stat in ("avg", "min", "max", "std")]


# --- ranges --------------------------------------------------------------------

def _spread_ranges(rng: random.Random, count: int, after: _dt.datetime, before: _dt.datetime,
                   step_minutes: int, max_steps: int, zero_every: int) -> list[tuple[_dt.datetime, _dt.datetime]]:
    """`count` sorted, disjoint ranges on a `step_minutes` grid strictly between two times; every
    `zero_every`-th one has start == end (zero-length ranges occur in real outputs)."""
    step = _dt.timedelta(minutes=step_minutes)
    slots = int((before - after) / step) - 2
    starts = sorted(rng.sample(range(1, slots), count))
    ranges = []
    for i, s in enumerate(starts):
        nxt = starts[i + 1] if i + 1 < count else slots + 1
        room = nxt - s - 1  # steps before the next range starts: ranges never touch
        length = 0 if (i + 1) % zero_every == 0 or room < 1 else rng.randint(1, min(max_steps, room))
        start = after + s * step
        ranges.append((start, start + length * step))
    return ranges


def _metrics_doc(labeled, predicted, num_identified, warning_seconds, unknown_identified,
                 unknown_seconds) -> dict:
    return {
        "labeled_ranges": [{"start": range_time(s), "end": range_time(e)} for s, e in labeled],
        "labeled_event_metrics": {"num_labeled": len(labeled), "num_identified": num_identified,
                                  "total_warning_time_in_seconds": float(warning_seconds)},
        "predicted_ranges": [{"start": range_time(s), "end": range_time(e), "diagnostics": d}
                             for s, e, d in predicted],
        "unknown_event_metrics": {"num_identified": unknown_identified,
                                  "total_duration_in_seconds": float(unknown_seconds)},
    }


def water_pump_metrics() -> dict:
    """The re:Mars 2022 water-pump model (trained 2022-06-14, PT5M, no labels): 67 predicted ranges
    over 2018-11-01..2020-04-30, 50 diagnostics each. The first five and last five ranges, and the
    leading digits of sensor_43's share in each, are the notebook's; the rest is generated."""
    rng = random.Random(20220614)
    t = _dt_of
    head = [("2018-11-01 00:05", "2018-11-01 00:50", 0.00), ("2018-12-01 20:45", "2018-12-01 21:00", 0.17),
            ("2018-12-04 01:40", "2018-12-04 05:45", 0.05), ("2018-12-27 01:35", "2018-12-27 05:00", 0.01),
            ("2018-12-27 08:40", "2018-12-27 10:15", 0.02)]
    tail = [("2020-03-21 21:00", "2020-03-21 21:25", 0.01), ("2020-03-25 04:25", "2020-03-25 04:25", 0.01),
            ("2020-03-27 21:25", "2020-03-28 02:40", 0.00), ("2020-04-05 09:35", "2020-04-05 10:30", 0.07),
            ("2020-04-09 21:25", "2020-04-09 22:55", 0.02)]
    middle = _spread_ranges(rng, 57, t(head[-1][1]), t(tail[0][0]), 5, 60, 9)
    known = [(t(s), t(e), lead) for s, e, lead in head] + \
            [(s, e, None) for s, e in middle] + [(t(s), t(e), lead) for s, e, lead in tail]
    predicted = []
    for s, e, lead in known:
        share = rng.uniform(0.0, 0.1) if lead is None else lead + rng.uniform(0.0, 0.00999)
        predicted.append((s, e, diagnostics(rng, [f"{n}\\{n}" for n in PUMP_ORDER], first_share=share)))
    unknown_seconds = sum((e - s).total_seconds() for s, e, _ in predicted)
    return _metrics_doc([], predicted, 0, 0, len(predicted), unknown_seconds)


CENTRIFUGAL_LABELS = [("2019-08-08", "2019-08-09"), ("2019-08-18", "2019-08-19"), ("2019-08-28", "2019-08-29"),
                      ("2019-09-07", "2019-09-08"), ("2019-09-17", "2019-09-18"), ("2019-09-27", "2019-09-28"),
                      ("2019-10-07", "2019-10-08"), ("2019-10-17", "2019-10-18")]

# The first predicted range's shares the notebook prints (the others of that range are elided there).
CENTRIFUGAL_FIRST_SHARES = {"Sensor0": 0.05218326564181105, "Sensor1": 0.023636079094576,
                            "Sensor2": 0.03825258734479793, "Sensor3": 0.023349531399873558,
                            "Sensor20": 0.04989340342761552, "Sensor21": 0.033976174168938014,
                            "Sensor22": 0.046622167459421035, "Sensor23": 0.044698573526762944}


def _with_pinned(rng: random.Random, names: list[str], pinned: dict[str, float]) -> list[dict]:
    free = [n for n in names if n not in pinned]
    filler = diagnostics(rng, free)
    scale = (1.0 - sum(pinned.values())) / _shares_sum(filler)
    by_name = {d["name"]: d["value"] * scale for d in filler} | pinned
    return [{"name": n, "value": by_name[n]} for n in names]


def centrifugal_pump_metrics() -> dict:
    """The getting-started centrifugal pump (labelled, 30 sensors): the 8 labeled ranges,
    num_labeled 8, num_identified 8, total_warning_time_in_seconds 668040.0, 8 unknown events
    lasting 4200.0 s, and the first predicted range 2019-08-08T00:42..01:48 with the shares printed,
    all as the notebook shows them; the other ranges are built to give exactly those totals."""
    rng = random.Random(20190801)
    labels = [(_dt_of(s), _dt_of(e)) for s, e in CENTRIFUGAL_LABELS]
    names = [f"centrifugal-pump\\{s}" for s in CENTRIFUGAL_SENSORS]
    # first detection after each label's start: 668040 s of warning over 8 one-day labels = 386 min of delay
    delays = [42, 35, 50, 61, 20, 48, 75, 55]
    lengths = [66, 140, 95, 300, 45, 180, 230, 120]
    predicted = []
    for (s, _), delay, length in zip(labels, delays, lengths):
        start = s + _dt.timedelta(minutes=delay)
        predicted.append((start, start + _dt.timedelta(minutes=length)))
    # 8 events outside the labels, 70 minutes in all, two of them zero-length
    unknown_starts = ["2019-08-03 14:12", "2019-08-13 02:51", "2019-08-24 19:30", "2019-09-02 07:05",
                      "2019-09-12 22:40", "2019-09-22 11:18", "2019-10-02 16:33", "2019-10-24 05:09"]
    unknown_lengths = [0, 5, 12, 3, 20, 0, 9, 21]
    for s, length in zip(unknown_starts, unknown_lengths):
        start = _dt_of(s)
        predicted.append((start, start + _dt.timedelta(minutes=length)))
    predicted.sort()
    with_diags = []
    for s, e in predicted:
        if range_time(s) == "2019-08-08T00:42:00.000000":
            pinned = {f"centrifugal-pump\\{k}": v for k, v in CENTRIFUGAL_FIRST_SHARES.items()}
            with_diags.append((s, e, _with_pinned(rng, names, pinned)))
        else:
            with_diags.append((s, e, diagnostics(rng, names)))
    warning = sum((le - (ps if ps > ls else ls)).total_seconds()
                  for (ls, le) in labels for (ps, pe, _) in with_diags if ls <= ps < le)
    unknown_seconds = sum(length * 60 for length in unknown_lengths)
    return _metrics_doc(labels, with_diags, 8, warning, 8, unknown_seconds)


def wind_turbine_metrics() -> dict:
    """The ENGIE wind turbine R80711 model (2021-04, PT10M, labelled): 1179 predicted ranges over
    2017-01-10T08:50..2018-01-12T23:00 with 124 diagnostics each, some values negative; 150 labels
    in the evaluation period, 148 detected (the notebook's own count, placed here by construction).
    The first five and last five ranges are the notebook's."""
    rng = random.Random(20210407)
    t = _dt_of
    head = [("2017-01-10 12:40", "2017-01-10 13:50"), ("2017-01-10 20:00", "2017-01-10 20:00"),
            ("2017-01-12 20:00", "2017-01-13 01:40"), ("2017-01-15 01:00", "2017-01-15 01:10"),
            ("2017-01-15 11:40", "2017-01-15 12:00")]
    tail = [("2018-01-09 03:50", "2018-01-09 04:10"), ("2018-01-09 04:40", "2018-01-09 05:10"),
            ("2018-01-09 06:00", "2018-01-09 06:20"), ("2018-01-11 01:00", "2018-01-11 01:20"),
            ("2018-01-12 09:40", "2018-01-12 10:20")]
    middle = _spread_ranges(rng, 1169, t(head[-1][1]), t(tail[0][0]), 10, 12, 40)
    ranges = [(t(s), t(e)) for s, e in head] + middle + [(t(s), t(e)) for s, e in tail]
    names = [f"R80711\\{s}" for s in WIND_SENSORS]
    predicted = [(s, e, diagnostics(rng, names, negatives=rng.choice((0, 0, 1, 3)))) for s, e in ranges]
    labels = _labels_around(rng, ranges, detected=148, missed=2)
    warning, identified, inside = 0.0, 0, set()
    for ls, le in labels:
        starts = [i for i, (s, _) in enumerate(ranges) if ls <= s <= le]
        if starts:
            identified += 1
            warning += (le - ranges[starts[0]][0]).total_seconds()
            inside.update(starts)
    unknown = [r for i, r in enumerate(ranges) if i not in inside]
    return _metrics_doc(labels, predicted, identified, warning, len(unknown),
                        sum((e - s).total_seconds() for s, e in unknown))


def _labels_around(rng: random.Random, ranges, detected: int, missed: int):
    """`detected` labels each holding one predicted range (widened into the gaps beside it, never
    reaching a neighbour), and `missed` labels inside gaps with no prediction: sorted and disjoint."""
    ten = _dt.timedelta(minutes=10)
    stride = len(ranges) // detected
    labels = []
    for k in range(detected):
        i = k * stride + 1
        (s, e), before, after = ranges[i], ranges[i - 1][1], ranges[i + 1][0]
        labels.append((s - rng.randint(0, int((s - before) / ten) - 1) * ten,
                       e + rng.randint(0, int((after - e) / ten) - 1) * ten))
    gaps = sorted(((ranges[i + 1][0] - ranges[i][1], i) for i in range(len(ranges) - 1)
                   if not any(ls <= ranges[i][1] <= le or ls <= ranges[i + 1][0] <= le for ls, le in labels)),
                  reverse=True)[:missed]
    for _, i in gaps:
        labels.append((ranges[i][1] + ten, ranges[i][1] + 7 * ten))
    return sorted(labels)


def newer_keys_unlabelled_metrics() -> dict:
    """Newer metrics keys, in the types AWS documents them (IoT SiteWise's anomaly detection guide,
    'Model metrics structure'): empty ranges, integer zero totals, date-only data_start_time and
    data_end_time, labels_present false, model_version_metrics with float precision, recall,
    mean_fractional_lead_time and auc. Values are this project's, the types the documented ones."""
    return {
        "labeled_ranges": [],
        "labeled_event_metrics": {"num_labeled": 0, "num_identified": 0, "total_warning_time_in_seconds": 0},
        "predicted_ranges": [],
        "unknown_event_metrics": {"num_identified": 0, "total_duration_in_seconds": 0},
        # 'Time window covered by the training data' (the guide): here the host's training window
        "data_start_time": "2019-01-01",
        "data_end_time": "2019-07-31",
        "labels_present": False,
        "model_version_metrics": {"precision": 1.0, "recall": 1.0,
                                  "mean_fractional_lead_time": 0.6843575418994413, "auc": 0.6122448979591837},
    }


def newer_keys_labelled_metrics() -> dict:
    """The centrifugal pump's metrics with the newer keys added, as a labelled model of 2023 would
    carry them: labels_present true, the data window as dates, model_version_metrics."""
    doc = centrifugal_pump_metrics()
    doc.update({"data_start_time": "2019-01-01", "data_end_time": "2019-07-31", "labels_present": True,
                "model_version_metrics": {"precision": 0.5, "recall": 1.0,
                                          "mean_fractional_lead_time": 0.9667824074074074,
                                          "auc": 0.8817204301075269}})
    return doc


# --- responses -----------------------------------------------------------------

def schema_text(components: dict[str, list[str]]) -> str:
    """The Schema member as the service returns it: JSON of Components with a DATETIME Timestamp
    column and DOUBLE sensor columns (the shape DescribeDataset and the notebooks print)."""
    return json.dumps({"Components": [
        {"ComponentName": comp,
         "Columns": [{"Name": "Timestamp", "Type": "DATETIME"}] + [{"Name": c, "Type": "DOUBLE"} for c in cols]}
        for comp, cols in components.items()]})


def _arn(kind: str, name: str, uuid: str, region: str = "eu-west-1") -> str:
    return f"arn:aws:lookoutequipment:{region}:{ACCOUNT}:{kind}/{name}/{uuid}"


def water_pump_response() -> dict:
    """DescribeModel (wire form) of the re:Mars 2022 water-pump model: trained 2022-06-14 in
    eu-west-1 (training polled 12:26:46..12:49:49 UTC), PT5M, no labels, 50 one-sensor components."""
    return {
        "ModelName": "water-pump-model",
        "ModelArn": _arn("model", "water-pump-model", "5b0d2e91-7c4a-4f3e-9a6d-2f8e1c7b4a90"),
        "DatasetName": "water-pump",
        "DatasetArn": _arn("dataset", "water-pump", "c3e8a1f4-92b7-4d06-8e5a-7f1b3d9c2e68"),
        "Schema": schema_text({s: [s] for s in PUMP_SENSORS}),
        "TrainingDataStartTime": epoch("2018-04-01T00:00:00"),
        "TrainingDataEndTime": epoch("2018-10-31T23:59:00"),
        "EvaluationDataStartTime": epoch("2018-11-01T00:00:00"),
        "EvaluationDataEndTime": epoch("2020-04-30T23:59:00"),
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole-20210903T075832",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT5M"},
        "Status": "SUCCESS",
        "TrainingExecutionStartTime": epoch("2022-06-14T12:25:52.614"),
        "TrainingExecutionEndTime": epoch("2022-06-14T12:49:21.087"),
        "ModelMetrics": json.dumps(water_pump_metrics()),
        "LastUpdatedTime": epoch("2022-06-14T12:49:21.343"),
        "CreatedAt": epoch("2022-06-14T12:25:46.270"),
    }


def centrifugal_pump_response() -> dict:
    """DescribeModel (wire form) of the getting-started centrifugal pump: dataset ingested
    2022-05-13 09:03..09:07 UTC in eu-west-1, labels from S3, 30 sensors in one component."""
    return {
        "ModelName": "getting-started-pump-model",
        "ModelArn": _arn("model", "getting-started-pump-model", "8e41c6d2-3b9f-4a75-b0e1-6d2c9f8a7b13"),
        "DatasetName": "getting-started-pump",
        "DatasetArn": _arn("dataset", "getting-started-pump", "1f7a9c3e-5d2b-4e86-a0c4-9b8e7d6f5a21"),
        "Schema": schema_text({"centrifugal-pump": CENTRIFUGAL_SENSORS}),
        "LabelsInputConfiguration": {"S3InputConfiguration": {"Bucket": "lookout-equipment-example",
                                                              "Prefix": "getting_started/label-data/"}},
        "TrainingDataStartTime": epoch("2019-01-01T00:00:00"),
        "TrainingDataEndTime": epoch("2019-07-31T00:00:00"),
        "EvaluationDataStartTime": epoch("2019-08-01T00:00:00"),
        "EvaluationDataEndTime": epoch("2019-10-27T00:00:00"),
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/AmazonSageMaker-LookoutEquipmentEnv",
        "DataPreProcessingConfiguration": {"TargetSamplingRate": "PT1M"},
        "Status": "SUCCESS",
        "TrainingExecutionStartTime": epoch("2022-05-13T09:11:03.482"),
        "TrainingExecutionEndTime": epoch("2022-05-13T09:48:37.905"),
        "ModelMetrics": json.dumps(centrifugal_pump_metrics()),
        "LastUpdatedTime": epoch("2022-05-13T09:48:38.112"),
        "CreatedAt": epoch("2022-05-13T09:10:58.731"),
    }


def versioned_response(metrics: dict, labelled: bool) -> dict:
    """The centrifugal pump as a model trained in 2023, when models had versions: version 1 active,
    ModelQuality set, and the given metrics (the newer keys came with versions)."""
    response = centrifugal_pump_response()
    if not labelled:
        del response["LabelsInputConfiguration"]
    response.update({
        "CreatedAt": epoch("2023-06-20T08:14:02.412"),
        "TrainingExecutionStartTime": epoch("2023-06-20T08:14:07.930"),
        "TrainingExecutionEndTime": epoch("2023-06-20T08:52:41.377"),
        "LastUpdatedTime": epoch("2023-06-20T08:52:41.901"),
        "ActiveModelVersion": 1,
        "ActiveModelVersionArn": response["ModelArn"] + "/model-version/1",
        "ModelVersionActivatedAt": epoch("2023-06-20T08:52:41.654"),
        "ModelQuality": "QUALITY_THRESHOLD_MET" if labelled else "CANNOT_DETERMINE_QUALITY",
        "ModelMetrics": json.dumps(metrics),
    })
    return response


METRICS = {
    "water-pump-2022": water_pump_metrics,
    "centrifugal-pump-2021": centrifugal_pump_metrics,
    "newer-keys-unlabelled": newer_keys_unlabelled_metrics,
    "newer-keys-labelled": newer_keys_labelled_metrics,
}
RESPONSES = {
    "water-pump-2022-06": water_pump_response,
    "centrifugal-pump-2022-05": centrifugal_pump_response,
}


def files() -> dict[Path, str]:
    out = {METRICS_DIR / f"{name}.json": json.dumps(build(), indent=1) + "\n" for name, build in METRICS.items()}
    out |= {RESPONSES_DIR / f"{name}.json": json.dumps(build(), indent=1) + "\n" for name, build in RESPONSES.items()}
    return out


def differences() -> list[str]:
    return [str(p.relative_to(HERE.parent)) for p, text in files().items()
            if not p.exists() or p.read_text() != text]


def write() -> None:
    for path, text in files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        stale = differences()
        for p in stale:
            print(f"differs from tests/real_shaped.py: {p}")
        sys.exit(1 if stale else 0)
    write()
