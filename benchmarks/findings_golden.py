"""Findings before and after a speed change: a golden file of inputs and what validate reported on them.

    python benchmarks/findings_golden.py record /tmp/golden.pkl    # with the code before the change
    python benchmarks/findings_golden.py compare /tmp/golden.pkl   # after it: exit 1 if any finding differs

The inputs (about 15,000): every bundled recording, Hypothesis-generated valid responses in the three
forms and broken ones for every rule, and seeded random mutants of them (members removed or set to odd
values, ranges swapped, unreal or mixed-offset range times, diagnostics renamed or mistyped, Schema
columns retyped, ARNs re-homed, embedded documents that are not JSON or nest 5,000 deep). For each, the
form and every violation and warning (pointer, rule, message, severity), with and without strict.
The file is a pickle (boto3-form inputs hold datetimes): read only files you wrote.
"""
import copy
import glob
import json
import pickle
import random
import sys
import warnings

sys.setrecursionlimit(3000)
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
warnings.filterwarnings("ignore")

def result(doc):
    import l4e_contract

    r = l4e_contract.validate(doc)
    r2 = l4e_contract.validate(doc, strict=True)
    return (r.form, [(v.pointer, v.rule, v.message, v.severity) for v in r.violations],
            [(v.pointer, v.rule, v.message, v.severity) for v in r.warnings],
            [(v.pointer, v.rule, v.message, v.severity) for v in r2.violations + r2.warnings])

POOL = [None, True, False, 0, -1, 1, 2, 1.5, float("nan"), float("inf"), 2**70, "", "x", "FAILED", "SUCCESS",
        "IN_PROGRESS", "IMPORT_IN_PROGRESS", "CANNOT_DETERMINE_QUALITY", "QUALITY_THRESHOLD_MET", [], {}, [1], {"a": 1},
        "2022-01-01T00:00:00Z", "2022-02-30T00:00:00+00:00", "2022-01-01T00:00:00", 1640995200.0, 86400.0 * 19000,
        "arn:aws:lookoutequipment:us-east-1:123456789012:model/m/uuid", "arn:aws-cn:iam::123456789012:role/r",
        "arn:aws:kms:eu-west-1:123456789012:key/k", "arn:aws:lookoutequipment:us-east-1:123456789012:model/m/uuid/model-version/2",
        "motor\\Speed<5", "motor\\Nope>1", "bad", "a\\b", "{}", "[]", "null", "{\"Components\": []}"]
TIMES = ["2022-10-18T06:00:00.000000", "2022-10-18T06:00:00", "2022-10-18T06:00:00.5", "2022-10-18T06:00:00+00:00",
         "2022-10-18T06:00:00.000000+01:00", "2022-13-18T06:00:00", "2022-02-30T00:00:00", "2022-10-18", "2022-10-18 06:00:00",
         "20221018T060000", "not a date", "", "2021-01-01T00:00:00.000000", "2023-01-01T00:00:00.000000",
         "2022-10-18T06:00:00Z", "2022-10-18T06:00:00.000", "\u0662022-10-18T06:00:00", "2022-10-18T06:00:00.000000 ",
         "2022-10-18T24:00:00", "2022-10-18T06:00", "2022-10-18T06", 5, None, "2022-10-18T06:00:00.000000-05:00"]

def mutate_metrics(rnd, text):
    try:
        m = json.loads(text)
    except Exception:
        return text
    for _ in range(rnd.randint(1, 3)):
        if not isinstance(m, dict):
            break
        op = rnd.randrange(14)
        key = rnd.choice(["labeled_ranges", "predicted_ranges"])
        rs = m.get(key)
        if op == 0 and isinstance(rs, list) and rs and isinstance(rs[0], dict):
            r = rnd.choice(rs)
            if not isinstance(r, dict): continue
            r["start"], r["end"] = r.get("end"), r.get("start")
        elif op in (1, 2) and isinstance(rs, list) and rs and isinstance(rs[0], dict):
            r = rnd.choice(rs)
            if not isinstance(r, dict): continue
            r[rnd.choice(["start", "end"])] = rnd.choice(TIMES)
        elif op == 3 and isinstance(rs, list) and rs:
            rs[rnd.randrange(len(rs))] = rnd.choice([5, None, [], {}, {"start": "x"}, {"end": "2022-01-01T00:00:00"}])
        elif op == 4:
            m[key] = rnd.choice([5, None, {}, "x", []])
        elif op == 5:
            m.pop(rnd.choice(list(m) or ["x"]), None)
        elif op == 6:
            lem = m.get("labeled_event_metrics")
            if isinstance(lem, dict):
                lem[rnd.choice(["num_labeled", "num_identified", "total_warning_time_in_seconds"])] = rnd.choice([0, 1, 2, 3, 10, True, 1.5, "2", None, 2.0])
            else:
                m["labeled_event_metrics"] = rnd.choice([5, [], {"num_labeled": 1, "num_identified": 3}])
        elif op == 7:
            uem = m.get("unknown_event_metrics")
            if isinstance(uem, dict):
                uem[rnd.choice(["num_identified", "total_duration_in_seconds"])] = rnd.choice([0, 1.5, "2", None, True])
            else:
                m["unknown_event_metrics"] = rnd.choice([5, [], "x"])
        elif op in (8, 9):
            prs = m.get("predicted_ranges")
            if isinstance(prs, list) and prs and isinstance(prs[0], dict):
                r = rnd.choice(prs)
                if not isinstance(r, dict):
                    continue
                ds = r.get("diagnostics")
                if isinstance(ds, list) and ds and rnd.random() < 0.7:
                    d = rnd.choice(ds)
                    if isinstance(d, dict):
                        d[rnd.choice(["name", "value"])] = rnd.choice(["nosep", "a\\b", "motor\\Speed", 5, None, True, 1.5, "0.1", 2**70])
                    else:
                        ds.append(5)
                else:
                    r["diagnostics"] = rnd.choice([5, None, [], [5], [{"name": "x"}], [{"name": "c\\s", "value": 1}], "x"])
        elif op == 10:
            m["extra"] = [1, 2]
        elif op == 11 and isinstance(rs, list):
            rs.append({"start": rnd.choice(TIMES), "end": rnd.choice(TIMES)})
        elif op == 12:
            return rnd.choice(["[]", "5", "null", "\"x\"", "{", "{}", "{\"a\":1}{", " {} ", "\ufeff{}", "[" * 5000 + "]" * 5000, "NaN", "{\"a\": NaN}", "{} x"])
        elif op == 13 and isinstance(rs, list):
            rs.append({"start": "2022-01-01T00:00:00", "end": "2022-01-01T00:00:00", "diagnostics": [{"name": "q\\r", "value": 0}]})
    return json.dumps(m) if rnd.random() < 0.8 else json.dumps(m, indent=1)

def mutate_schema(rnd, text):
    try:
        s = json.loads(text)
    except Exception:
        return text
    op = rnd.randrange(10)
    comps = s.get("Components") if isinstance(s, dict) else None
    if op == 0:
        return rnd.choice(["[]", "{}", "{\"Components\": []}", "{\"Components\": 5}", "x", "{", "[" * 5000 + "]" * 5000])
    if isinstance(comps, list) and comps:
        c = rnd.choice(comps)
        if not isinstance(c, dict):
            return json.dumps(s)
        if op == 1:
            c["ComponentName"] = rnd.choice(["", 5, None, "motor"])
        elif op == 2:
            c["Columns"] = rnd.choice([[], 5, None, [{"Name": "T", "Type": "DATETIME"}]])
        elif op in (3, 4, 5) and isinstance(c.get("Columns"), list) and c["Columns"]:
            col = rnd.choice(c["Columns"])
            if isinstance(col, dict):
                col[rnd.choice(["Name", "Type"])] = rnd.choice(["DATETIME", "DOUBLE", "STRING", 5, None, "Speed", "Sensor0"])
        elif op == 6:
            comps.append(rnd.choice([5, {}, {"ComponentName": "x", "Columns": [{"Name": "a", "Type": "DOUBLE"}]}]))
        elif op == 7:
            c.pop(rnd.choice(["ComponentName", "Columns"]), None)
        elif op == 8 and isinstance(c.get("Columns"), list):
            c["Columns"].append(rnd.choice([5, {"Name": "T2", "Type": "DATETIME"}, {"Name": 5, "Type": "DOUBLE"}]))
    return json.dumps(s)

def mutate(rnd, doc):
    doc = dict(doc)
    for _ in range(rnd.randint(1, 3)):
        op = rnd.randrange(10)
        keys = list(doc)
        if op == 0 and keys:
            doc.pop(rnd.choice(keys))
        elif op == 1 and keys:
            doc[rnd.choice(keys)] = rnd.choice(POOL)
        elif op == 2:
            from l4e_contract.contract import committed
            doc[rnd.choice(list(committed.schema()["properties"]))] = rnd.choice(POOL + [doc.get(rnd.choice(keys)) if keys else None])
        elif op in (3, 4) and isinstance(doc.get("ModelMetrics"), str):
            doc["ModelMetrics"] = mutate_metrics(rnd, doc["ModelMetrics"])
        elif op == 5 and isinstance(doc.get("PriorModelMetrics"), str):
            doc["PriorModelMetrics"] = mutate_metrics(rnd, doc["PriorModelMetrics"])
        elif op == 5 and isinstance(doc.get("ModelMetrics"), str):
            doc["PriorModelMetrics"] = mutate_metrics(rnd, doc["ModelMetrics"])
        elif op == 6 and isinstance(doc.get("Schema"), str):
            doc["Schema"] = mutate_schema(rnd, doc["Schema"])
        elif op == 7:
            for k in ("ModelArn", "DatasetArn", "RoleArn", "ServerSideKmsKeyId", "SourceModelVersionArn",
                      "ActiveModelVersionArn", "PreviousActiveModelVersionArn"):
                if isinstance(doc.get(k), str) and rnd.random() < 0.4:
                    v = doc[k]; parts = v.split(":")
                    choice = rnd.randrange(6)
                    if choice == 0 and len(parts) > 4: parts[1] = rnd.choice(["aws", "aws-cn", "aws-us-gov"]); v = ":".join(parts)
                    elif choice == 1 and len(parts) > 4: parts[3] = rnd.choice(["us-east-1", "eu-west-1", ""]); v = ":".join(parts)
                    elif choice == 2 and len(parts) > 4: parts[4] = rnd.choice(["123456789012", "210987654321"]); v = ":".join(parts)
                    elif choice == 3: v = v.replace("/model-version/", "/mv/")
                    elif choice == 4: v = v.replace("model/", "dataset/").replace("dataset/", "model/", 1)
                    else: v = v + "/model-version/" + rnd.choice(["1", "2", "x", ""])
                    doc[k] = v
        elif op == 8:
            doc["OffCondition"] = rnd.choice(["motor\\Speed<500", "motor\\Nope>1", "x", " motor\\Speed > -1.5e3 ", "a\\b\\c<1", "", "motor\\Speed<", 5])
        elif op == 9:
            for k in ("ActiveModelVersion", "PreviousActiveModelVersion", "LatestScheduledRetrainingModelVersion"):
                if rnd.random() < 0.3:
                    doc[k] = rnd.choice([1, 2, 3, 1.0, 0, True, "1"])
    return doc

def build(out_path):
    from hypothesis import given, settings, HealthCheck
    from l4e_contract.strategies import describe_model_responses, describe_model_violations
    docs = []
    for f in sorted(glob.glob(str(ROOT / "contracts" / "recordings" / "**" / "*.json"), recursive=True)):
        from l4e_contract.load import files as loader
        try:
            docs.append(loader.unwrap_recording(loader.load_file(f))[0])  # (body, meta)
        except Exception as e:
            print("skip", f, e)
    gen = []
    for form in ("wire", "parsed", "boto3"):
        @settings(max_examples=400, derandomize=True, database=None, suppress_health_check=list(HealthCheck), deadline=None)
        @given(describe_model_responses(form=form))
        def collect(r):
            gen.append(copy.deepcopy(r))
        collect()
    for form in ("wire", "parsed", "boto3", None):
        @settings(max_examples=500, derandomize=True, database=None, suppress_health_check=list(HealthCheck), deadline=None)
        @given(describe_model_violations(form=form))
        def collect2(b):
            gen.append(copy.deepcopy(b.response))
        collect2()
    rnd = random.Random(1234)
    base = [d for d in docs + gen if isinstance(d, dict)]
    mutants = [mutate(rnd, rnd.choice(base)) for _ in range(12000)]
    corpus = docs + gen + mutants + [5, None, [], "x", {}]
    out = [result(d) for d in corpus]
    with open(out_path, "wb") as fh:
        pickle.dump((corpus, out), fh)
    from collections import Counter
    c = Counter(v[1] for o in out for v in o[1] + o[2])
    print(len(corpus), "inputs;", sum(1 for o in out if not o[1]), "valid; rule hit counts:")
    print(sorted(c.items(), key=lambda kv: kv[1]))

def check(in_path):
    with open(in_path, "rb") as fh:
        corpus, out = pickle.load(fh)  # noqa: S301 - a file this script wrote
    bad = 0
    for i, (d, o) in enumerate(zip(corpus, out)):
        n = result(d)
        if n != o:
            bad += 1
            if bad <= 5:
                print("DIFF at", i, "\n old:", o, "\n new:", n)
    print(f"{len(corpus)} inputs, {bad} differ")
    return bad

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("record", "compare"):
        sys.exit(__doc__)
    if sys.argv[1] == "record":
        build(sys.argv[2])
    else:
        sys.exit(1 if check(sys.argv[2]) else 0)
