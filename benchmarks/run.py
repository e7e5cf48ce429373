"""The l4e-contract benchmark: each figure side by side with the tool a user would pick instead.

    python benchmarks/run.py                 # everything (a few minutes on 2 cores)
    python benchmarks/run.py --quick         # fewer files and repetitions, for a smoke run
    python benchmarks/run.py --only in-process,command

Machines are shared and noisy, so every figure is a ratio to an anchor measured
in the same run, interleaved with it (anchor, subject, anchor, subject, ...; the
order alternates), and the median of several repetitions is reported. Inputs are
generated into a temporary folder. The table is printed, and the whole result is
written as JSON to reports/benchmarks/.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import embedded_documents, tree_size, valid_wire_texts, write_corpus  # noqa: E402

SCHEMA = ROOT / "schemas" / "describe_model.response.schema.json"
SECTIONS = ("in-process", "command", "startup", "memory", "generation", "live")

# no AWS account exists: botocore must never look for credentials on the network
DUMMY_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing",
             "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}


def installed(name: str) -> str | None:
    """The console script `name` as a user of this environment runs it: the one installed beside this
    interpreter (a virtual environment's bin/, as the README installs it), else the one on PATH.

    Beside the interpreter first: on PATH, a version manager may put a shim of its own (pyenv's is a
    shell script that runs `pyenv exec`), which adds some 0.1 s to every launch of every tool. That is
    the machine's set-up, not the tool's time, and a virtual environment has none."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def command(name: str, module: str) -> list[str]:
    """The installed console script, as a user runs it; else the module under this interpreter."""
    found = installed(name)
    return [found] if found else [sys.executable, "-m", module]


L4E = command("l4e-contract", "l4e_contract.cli")


# --- timing helpers ----------------------------------------------------------

def rate(fn, items, seconds: float) -> float:
    """Items per CPU second of fn over items, looping for about `seconds` of CPU time.

    CPU time, not wall time: on a shared machine a loop is descheduled now and then, and those
    milliseconds, which belong to other processes, landed on whichever of the pair was running
    (one run in six read 0.32 where the others read 0.38 to 0.42). The loop is single-threaded and
    makes no system call, so its CPU time is its wall time when it has a core to itself."""
    loops, elapsed = 1, 0.0
    while True:
        start = time.process_time()
        for _ in range(loops):
            for item in items:
                fn(item)
        elapsed = time.process_time() - start
        if elapsed >= seconds or loops >= 1 << 20:
            return loops * len(items) / elapsed
        loops = max(loops * 2, int(loops * seconds / max(elapsed, 1e-6)))


def wall(cmd: list[str], **kw) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    return time.perf_counter() - start, proc


def interleaved(pairs: dict, reps: int) -> dict[str, list[float]]:
    """Run each measurement once per repetition, alternating the order; {name: [values]}."""
    names = list(pairs)
    out = {n: [] for n in names}
    for rep in range(reps):
        for n in (names if rep % 2 == 0 else names[::-1]):
            out[n].append(pairs[n]())
    return out


def med(values):
    return statistics.median(values) if values else None


def row(measure, subject, subject_value, unit, anchor, anchor_value, ratio, target, met, **extra):
    return {"measure": measure, "subject": subject, "value": subject_value, "unit": unit,
            "anchor": anchor, "anchor_value": anchor_value, "ratio": ratio, "target": target, "met": met, **extra}


# --- in-process throughput ---------------------------------------------------

def bench_in_process(args, texts):
    import json as _json

    import l4e_contract

    docs = [_json.loads(t) for t in texts]
    bad = [i for i, d in enumerate(docs) if not l4e_contract.validate(d).valid]
    if bad:
        raise SystemExit(f"benchmark documents are not valid: {bad}")
    for d in docs:  # warm: the schema's validators are built on the first call
        l4e_contract.validate(d)
    subjects = {"json.loads": (_json.loads, texts),
                "l4e_contract.validate": (l4e_contract.validate, docs)}
    notes = {}

    # what Stubber.add_response runs: botocore's ParamValidator on the output shape, on boto3's dict
    try:
        import botocore.session
        from botocore.parsers import create_parser
        from botocore.validate import ParamValidator

        model = botocore.session.get_session().get_service_model("lookoutequipment")
        shape = model.operation_model("DescribeModel").output_shape
        parser = create_parser(model.metadata["protocol"])
        parsed = []
        for t in texts:
            d = parser.parse({"body": t.encode(), "headers": {}, "status_code": 200}, shape)
            d.pop("ResponseMetadata", None)
            parsed.append(d)
        validator = ParamValidator()
        if any(validator.validate(d, shape).has_errors() for d in parsed):
            notes["botocore ParamValidator"] = "reports errors on valid documents"
        subjects["botocore ParamValidator"] = (lambda d: validator.validate(d, shape), parsed)
    except Exception as exc:  # report what could not run, measure the rest
        notes["botocore ParamValidator"] = f"not measured: {exc.__class__.__name__}: {exc}"

    schema = json.loads(SCHEMA.read_text())
    try:
        import jsonschema

        plain = jsonschema.Draft202012Validator(schema)
        failures = []

        def plain_check(d):
            try:
                return plain.is_valid(d)
            except re.error as exc:  # Python's re has no \p{M}
                failures.append(str(exc))
                return None

        verdicts = [plain_check(d) for d in docs]
        crashed = sum(v is None for v in verdicts)
        notes["jsonschema (schema only)"] = (f"plain Draft202012Validator (Python re for patterns, schema only): "
                               f"{crashed} of {len(docs)} documents raise re.error "
                               f"({failures[0] if failures else ''}); timed as they are")
        subjects["jsonschema (schema only)"] = (plain_check, docs)
    except ImportError:
        notes["jsonschema (schema only)"] = "not installed"
    try:
        import jsonschema_rs

        rs = jsonschema_rs.validator_for(schema)
        notes["jsonschema-rs (schema only)"] = f"schema only, Rust regex; valid on all: {all(rs.is_valid(d) for d in docs)}"
        subjects["jsonschema-rs (schema only)"] = (rs.is_valid, docs)
    except ImportError:
        notes["jsonschema-rs (schema only)"] = "not installed (pip install jsonschema-rs)"

    # where the time goes: the schema alone (compiled), and the embedded JSON documents (Schema,
    # ModelMetrics), which the rules must decode and check and which no schema-only tool reads
    from l4e_contract.contract import schema_check

    # validate's schema check of a valid document: jsonschema-rs, with the ECMA-262 patterns
    subjects["  part: schema only (schema_check.is_valid)"] = (schema_check.is_valid, docs)
    subjects["  part: the embedded JSON documents (decoded, checked)"] = (embedded_documents(docs), range(len(docs)))
    seconds = 0.1 if args.quick else 0.3
    runs = interleaved({n: (lambda fn=fn, items=items: rate(fn, items, seconds)) for n, (fn, items) in subjects.items()},
                       args.reps)
    anchor = runs["json.loads"]
    rows = []
    for name, values in runs.items():
        if name == "json.loads":
            continue
        ratios = [v / a for v, a in zip(values, anchor)]
        target = 0.15 if name == "l4e_contract.validate" else None
        rows.append(row("in-process throughput", name, round(med(values)), "docs/s", "json.loads", round(med(anchor)),
                        round(med(ratios), 3), ">= 0.15 x json.loads" if target else None,
                        (med(ratios) >= target) if target else None, samples=[round(v) for v in values],
                        note=notes.get(name)))
    return rows, {"documents": len(docs), "mean_bytes": round(sum(map(len, texts)) / len(texts))}


# --- whole command ------------------------------------------------------------

def check_jsonschema_cmd() -> list[str] | None:
    found = installed("check-jsonschema")
    return [found, "--schemafile", str(SCHEMA)] if found else None


def bench_command(args, texts, tmp: Path):
    n = 1000 if args.quick else args.files
    folder = tmp / f"files-{n}"
    paths = write_corpus(folder, n, texts)
    cj = check_jsonschema_cmd()
    pairs = {"l4e-contract validate": lambda: wall([*L4E, "validate", str(folder)])}
    if cj:
        pairs["check-jsonschema"] = lambda: wall([*cj, *map(str, paths)])
    runs = interleaved(pairs, max(1, args.reps // 2) if not args.quick else 1)
    ours = [t for t, _ in runs["l4e-contract validate"]]
    last = runs["l4e-contract validate"][-1][1]
    info = {"files": n, "bytes": tree_size(folder), "l4e_exit": last.returncode,
            "l4e_summary": last.stdout.decode(errors="replace").strip().splitlines()[-1:]}
    if not cj:
        return [row("whole command", f"l4e-contract validate ({n:,} files)", round(med(ours), 3), "s",
                    "check-jsonschema", None, None, "<= 0.25 x check-jsonschema", None,
                    note="check-jsonschema is not installed (pip install check-jsonschema)")], info
    theirs = [t for t, _ in runs["check-jsonschema"]]
    cj_last = runs["check-jsonschema"][-1][1]
    info["check_jsonschema_exit"] = cj_last.returncode
    info["check_jsonschema_said"] = (cj_last.stdout + cj_last.stderr).decode(errors="replace").strip()[-300:]
    ratios = [a / b for a, b in zip(ours, theirs)]
    return [row("whole command", f"l4e-contract validate ({n:,} files)", round(med(ours), 3), "s",
                "check-jsonschema", round(med(theirs), 3), round(med(ratios), 3), "<= 0.25 x check-jsonschema",
                med(ratios) <= 0.25, samples=[round(t, 3) for t in ours],
                anchor_samples=[round(t, 3) for t in theirs])], info


def bench_startup(args, texts, tmp: Path):
    [path] = write_corpus(tmp / "one", 1, texts[2:3] or texts)
    cj = check_jsonschema_cmd()
    pairs = {"l4e-contract validate": lambda: wall([*L4E, "validate", str(path)])[0]}
    if cj:
        pairs["check-jsonschema"] = lambda: wall([*cj, str(path)])[0]
    runs = interleaved(pairs, 3 if args.quick else max(5, args.reps))
    # what `validate` imports: it must not pay for boto3, botocore or Hypothesis
    probe = subprocess.run([sys.executable, "-c",
                            "import sys; from l4e_contract.cli import main; main(['validate', sys.argv[1]]); "
                            "print('imported:', ','.join(sorted({m.split('.')[0] for m in sys.modules} & "
                            "{'boto3', 'botocore', 'hypothesis', 'jsonschema'})))", str(path)],
                           stdout=subprocess.PIPE, text=True)
    found = re.search(r"^imported: (.*)$", probe.stdout, re.M)
    heavy = found.group(1).strip() if found else f"unknown (the probe failed: {probe.stdout[-200:]!r})"
    ours = runs["l4e-contract validate"]
    if not cj:
        return [row("start-up (1 file)", "l4e-contract validate", round(med(ours), 3), "s", "check-jsonschema",
                    None, None, "<= 1.0 x check-jsonschema", None, imports=heavy)], {}
    theirs = runs["check-jsonschema"]
    ratios = [a / b for a, b in zip(ours, theirs)]
    return [row("start-up (1 file)", "l4e-contract validate", round(med(ours), 3), "s", "check-jsonschema",
                round(med(theirs), 3), round(med(ratios), 3), "<= 1.0 x check-jsonschema, no boto3/botocore/hypothesis",
                med(ratios) <= 1.0 and not ({"boto3", "botocore", "hypothesis"} & set(heavy.split(","))),
                samples=[round(t, 3) for t in ours], anchor_samples=[round(t, 3) for t in theirs],
                heavy_imports=heavy or "none of boto3, botocore, hypothesis, jsonschema")], {}


# --- memory -------------------------------------------------------------------

_PEAK = ("import resource, subprocess, sys; "
         "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
         "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def peak_rss_mb(cmd: list[str]) -> tuple[float, int]:
    """Peak RSS of one command, measured from a fresh parent so no earlier child counts."""
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], stdout=subprocess.PIPE, text=True, check=True)
    code, kib = out.stdout.split()
    return int(kib) / 1024, int(code)


def bench_memory(args, texts, tmp: Path):
    n = 10_000 if args.quick else args.memory_files
    folder = tmp / f"memory-{n}"
    write_corpus(folder, n, texts)
    rows = []
    small = tmp / "memory-small"
    write_corpus(small, 10, texts)
    for fmt in ("text", "json"):
        start = time.perf_counter()
        mb, code = peak_rss_mb([*L4E, "validate", "--format", fmt, str(folder)])
        elapsed = time.perf_counter() - start
        base, _ = peak_rss_mb([*L4E, "validate", "--format", fmt, str(small)])
        rows.append(row("peak RSS", f"l4e-contract validate --format {fmt} ({n:,} files)", round(mb, 1), "MB",
                        "the same on 10 files", round(base, 1), round(mb / base, 2), "< 100 MB", mb < 100,
                        exit=code, seconds=round(elapsed, 2)))
    rows.append(_report_dir_memory(folder, small, n, tmp))
    rows.append(_size_limit_memory(texts, tmp))
    rows.append(_worst_accepted_memory(texts, tmp))
    return rows, {"files": n, "bytes": tree_size(folder)}


def _report_dir_memory(folder: Path, small: Path, n: int, tmp: Path):
    """validate --report-dir: the reports are written as results arrive, so the peak must not grow with n."""
    out = tmp / "memory-reports"
    start = time.perf_counter()
    mb, code = peak_rss_mb([*L4E, "validate", "--quiet", "--report-dir", str(out / "many"), str(folder)])
    elapsed = time.perf_counter() - start
    base, _ = peak_rss_mb([*L4E, "validate", "--quiet", "--report-dir", str(out / "small"), str(small)])
    written = tree_size(out / "many")
    shutil.rmtree(out, ignore_errors=True)
    return row("peak RSS", f"l4e-contract validate --report-dir ({n:,} files)", round(mb, 1), "MB",
               "the same on 10 files", round(base, 1), round(mb / base, 2), "<= 150 MB", mb <= 150,
               exit=code, seconds=round(elapsed, 2), reports_mb=round(written / 2**20, 1))


def write_at_size_limit(path: Path, text: str, size: int) -> int:
    """A valid response padded, in an unknown member, to `size` bytes with the densest thing JSON holds for
    Python: small objects, each a dict once parsed. A response of any shape that the loader accepts costs at
    most about this much."""
    doc = json.loads(text)
    unit, tail = '{"k":0},', '{"k":0}]}'
    head = text.rstrip()[:-1] + ', "Padding": ['
    count = (size - len(head.encode()) - len(tail)) // len(unit)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head)
        chunk = unit * 65536
        left = count
        while left > 0:
            part = min(left, 65536)
            fh.write(chunk if part == 65536 else unit * part)
            left -= part
        fh.write(tail)
    assert isinstance(doc, dict)
    return path.stat().st_size


def _size_limit_memory(texts, tmp: Path):
    from l4e_contract.load.files import MAX_BYTES

    big = tmp / "memory-at-limit.json"
    size = write_at_size_limit(big, texts[0], MAX_BYTES)
    start = time.perf_counter()
    mb, code = peak_rss_mb([*L4E, "validate", "--quiet", str(big)])
    elapsed = time.perf_counter() - start
    big.unlink()
    return row("peak RSS", f"l4e-contract validate, one file of {size / 2**20:.1f} MiB (MAX_BYTES of small objects: refused)",
               round(mb, 1), "MB", "", None, None, "< 1,000 MB", mb < 1000, exit=code, seconds=round(elapsed, 2),
               file_bytes=size)


def write_worst_accepted(path: Path, text: str) -> int:
    """A valid response whose ModelMetrics (no maximum length: deviation metrics-longer-than-the-model)
    holds as many empty objects as the loader's value bound lets through: what the rules then parse is
    the most memory any accepted file can ask for."""
    from l4e_contract.load.files import MAX_VALUES

    doc = json.loads(text)
    room = MAX_VALUES - sum(text.count(c) for c in ",[{") - 1_000
    doc["ModelMetrics"] = '{"padding": [' + ",".join(["{}"] * (room // 2)) + "]}"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path.stat().st_size


def _worst_accepted_memory(texts, tmp: Path):
    big = tmp / "memory-worst-accepted.json"
    size = write_worst_accepted(big, texts[0])
    start = time.perf_counter()
    mb, code = peak_rss_mb([*L4E, "validate", "--quiet", str(big)])
    elapsed = time.perf_counter() - start
    big.unlink()
    return row("peak RSS", f"l4e-contract validate, the worst accepted file ({size / 2**20:.1f} MiB, ModelMetrics "
                           "of 1.5 million objects)", round(mb, 1), "MB", "", None, None, "< 1,000 MB", mb < 1000,
               exit=code, seconds=round(elapsed, 2), file_bytes=size)


# --- generation ---------------------------------------------------------------

def bench_generation(args):
    try:
        from l4e_contract.strategies import describe_model_responses
    except ImportError as exc:
        return [row("generation", "describe_model_responses()", None, "examples/s", None, None, None,
                    ">= 500 examples/s", None, note=f"not available: {exc}")], {}
    from hypothesis import HealthCheck, Phase, given, settings

    import l4e_contract

    n = 200 if args.quick else 1000
    rates, valid_share = [], []
    for _ in range(3 if args.quick else args.reps):
        seen = []

        @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(describe_model_responses())
        def collect(response):
            seen.append(response)

        start = time.perf_counter()
        collect()
        elapsed = time.perf_counter() - start
        reports = [l4e_contract.validate(r) for r in seen]
        valid = sum(r.valid and not r.warnings for r in reports)
        rates.append(valid / elapsed)
        valid_share.append(valid / max(1, len(seen)))
    return [row("generation", "describe_model_responses()", round(med(rates)), "valid examples/s", None, None,
                round(med(rates) / 500, 2), ">= 500 examples/s", med(rates) >= 500,
                samples=[round(r) for r in rates], valid_share=min(valid_share))], {"examples_per_run": n}


# --- live ---------------------------------------------------------------------

# The floor of the live figure: the same job done by botocore alone, in a fresh process, with no
# check of anything: a client, ListModels page by page, each page's models described by a pool of
# threads as soon as it arrives (as `live` does). Whatever `live` adds (the contract, the capture,
# the reports) is above this line; whatever this takes is the price of a botocore client here.
_BOTOCORE_ALONE = r"""
import sys, time
from concurrent.futures import ThreadPoolExecutor
import botocore.session
from botocore import UNSIGNED
from botocore.config import Config
config = Config(signature_version=UNSIGNED, max_pool_connections=10, retries={"mode": "standard"})
client = botocore.session.get_session().create_client("lookoutequipment", region_name="us-east-1",
                                                      endpoint_url=sys.argv[1], config=config)
ready = time.perf_counter()
pool = ThreadPoolExecutor(int(sys.argv[2]))
futures, token = [], None
while True:
    page = client.list_models(**({"NextToken": token} if token else {}))
    futures += [pool.submit(client.describe_model, ModelName=m["ModelName"]) for m in page["ModelSummaries"]]
    token = page.get("NextToken")
    if not token:
        break
described = sum(1 for f in futures if f.result()["ModelName"])
print(ready, time.perf_counter(), described)
"""


def bench_live(args, texts, tmp: Path):
    models, latency_ms, concurrency = 200, 50, 8
    ideal = models * latency_ms / 1000 / concurrency
    folder = tmp / "live"
    write_corpus(folder, models, texts)
    env = {**os.environ, **DUMMY_AWS}
    # With Python's bytecode cache, as an installed package runs. A session that sets
    # PYTHONDONTWRITEBYTECODE makes every run compile l4e_contract's ~30 modules from source
    # (0.04 to 0.08 s of start-up); the cache goes to a temporary folder, filled by a first,
    # unmeasured run.
    no_cache = bool(env.pop("PYTHONDONTWRITEBYTECODE", None))
    if no_cache:
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    help_text = subprocess.run([*L4E, "live", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env).stdout
    if "--endpoint-url" not in help_text:
        return [row("live", "l4e-contract live", None, "s", "ideal", round(ideal, 3), None, "<= 1.3 x ideal", None,
                    note="the live command is not available in this build")], {}
    def served(latency: int, log: Path):
        """A serve process of the folder, and its URL."""
        # serve runs in its own process, as a user runs it: it does not share live's interpreter (GIL)
        server = subprocess.Popen([*L4E, "serve", str(folder), "--latency-ms", str(latency), "--exit-after", "300",
                                   "--log", str(log)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = server.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        if not match:
            server.terminate()
            raise RuntimeError(f"serve did not start: {line!r} {server.stderr.read()[-300:]!r}")
        return server, match.group(1)

    def botocore_alone(latency: int) -> tuple[float, float, int]:
        """(wall time, time until the client was ready, models described) of _BOTOCORE_ALONE."""
        server, url = served(latency, tmp / f"serve-{time.monotonic_ns()}.log")
        try:
            started = time.perf_counter()
            seconds, proc = wall([sys.executable, "-c", _BOTOCORE_ALONE, url, str(concurrency)], env=env, text=True)
        finally:
            server.terminate()
            server.wait(timeout=10)
        try:
            ready, _, described = proc.stdout.split()
            # perf_counter is one clock for every process of the machine (CLOCK_MONOTONIC)
            return seconds, float(ready) - started, int(described)
        except ValueError:
            return seconds, float("nan"), 0

    def once(latency: int) -> tuple[float, int, dict]:
        log = tmp / f"serve-{time.monotonic_ns()}.log"
        server, url = served(latency, log)
        try:
            started = time.time()
            seconds, proc = wall([*L4E, "live", "--endpoint-url", url, "--concurrency", str(concurrency),
                                  "--unsigned", "--format", "json"], env=env)
        finally:
            server.terminate()
            server.wait(timeout=10)
        try:
            doc = json.loads(proc.stdout)
            valid = sum(1 for r in doc["results"] if r["verdict"] == "valid")
        except ValueError:
            valid = 0
        return seconds, valid, phases(log, started, seconds, latency / 1000)

    def phases(log: Path, started: float, seconds: float, latency: float) -> dict:
        """Where the wall time went, from serve's request log (each line stamped when answered)."""
        try:
            entries = [json.loads(line) for line in log.read_text().splitlines()]
        except (OSError, ValueError):
            return {}
        described = [e["at"] for e in entries if e["operation"] == "DescribeModel"]
        if not entries or not described:
            return {}
        return {"start_up": entries[0]["at"] - latency - started,  # until the first request was received
                # from it (the first ListModels) to the first describe received: one round trip, and the page's parse
                "first_page": (described[0] - latency) - (entries[0]["at"] - latency),
                "describing": described[-1] - (described[0] - latency),  # first describe received to last answered
                "tail": started + seconds - described[-1]}  # the last answer to the process' exit

    once(0)  # unmeasured: fills the bytecode cache, and the file system's
    botocore_alone(0)
    # interleaved with the floor, run for run
    runs, alone = [], []
    for _ in range(1 if args.quick else 3):
        runs.append(once(latency_ms))
        alone.append(botocore_alone(latency_ms))
    times, accounted = [t for t, _, _ in runs], [n for _, n, _ in runs]
    split = {k: round(med([p[k] for _, _, p in runs if k in p]), 3)
             for k in ("start_up", "first_page", "describing", "tail") if any(k in p for _, _, p in runs)}
    # the same run with no injected latency: start-up, listing and per-call cost, which latency cannot hide
    floor = [once(0)[0] for _ in range(1 if args.quick else 2)]
    phase_note = (f"; medians by phase: start-up {split['start_up']:.2f} s, first ListModels page "
                  f"{split['first_page']:.2f} s, describing {split['describing']:.2f} s "
                  f"({split['describing'] / ideal:.2f} x ideal), after the last answer {split['tail']:.2f} s"
                  if len(split) == 4 else "")
    launch_note = ("; with a bytecode cache in a temporary folder (PYTHONPYCACHEPREFIX): this session sets "
                   "PYTHONDONTWRITEBYTECODE, which compiles the package from source on every run" if no_cache else "")
    return [row("live", f"l4e-contract live ({models} models, {latency_ms} ms, concurrency {concurrency})",
                round(med(times), 3), "s", "ideal 200 x 50 ms / 8", round(ideal, 3), round(med(times) / ideal, 2),
                "<= 1.3 x ideal, every model valid", med(times) / ideal <= 1.3 and min(accounted) == models,
                samples=[round(t, 3) for t in times], models_valid=accounted, phases=split,
                command=L4E[0], pycache_prefix=env.get("PYTHONPYCACHEPREFIX"),
                note=f"the same run at 0 ms latency takes {med(floor):.2f} s (start-up, listing, per-call CPU)"
                     f"{phase_note}{launch_note}"),
            row("live", "  floor: botocore alone, no checks (same server, pool and paging; fresh process)",
                round(med([t for t, _, _ in alone]), 3), "s", "ideal 200 x 50 ms / 8", round(ideal, 3),
                round(med([t for t, _, _ in alone]) / ideal, 2), None, None,
                samples=[round(t, 3) for t, _, _ in alone], models_described=[n for _, _, n in alone],
                note=f"the interpreter, botocore's import and the client take {med([r for _, r, _ in alone]):.2f} s "
                     f"of it: what any botocore client pays before its first request")], {}


# --- report -------------------------------------------------------------------

def fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.3f}" if v < 10 else f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def table(rows) -> str:
    head = ["measure", "subject", "value", "unit", "anchor", "anchor value", "ratio", "target", "met"]
    lines = [[r["measure"], r["subject"], fmt(r["value"]), r["unit"], r["anchor"] or "-", fmt(r["anchor_value"]),
              fmt(r["ratio"]), r["target"] or "-", {True: "yes", False: "NO", None: "-"}[r["met"]]] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)) for line in lines]
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    p.add_argument("--quick", action="store_true", help="small inputs, few repetitions: a smoke run")
    p.add_argument("--reps", type=int, default=5, help="repetitions of each interleaved pair (default 5)")
    p.add_argument("--files", type=int, default=10_000, help="files for the whole-command figure")
    p.add_argument("--memory-files", type=int, default=100_000, help="files for the peak-RSS figure")
    p.add_argument("--out", default=str(ROOT / "reports" / "benchmarks"), help="folder for the JSON result")
    args = p.parse_args(argv)
    only = set(args.only.split(",")) if args.only else set(SECTIONS)
    unknown = only - set(SECTIONS)
    if unknown:
        p.error(f"unknown sections: {', '.join(sorted(unknown))}")

    texts = valid_wire_texts(ROOT)
    rows, details = [], {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="l4e-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for section, run in (("in-process", lambda: bench_in_process(args, texts)),
                             ("command", lambda: bench_command(args, texts, tmp)),
                             ("startup", lambda: bench_startup(args, texts, tmp)),
                             ("memory", lambda: bench_memory(args, texts, tmp)),
                             ("generation", lambda: bench_generation(args)),
                             ("live", lambda: bench_live(args, texts, tmp))):
            if section not in only:
                continue
            print(f"[{section}] ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                new_rows, info = run()
            except Exception as exc:  # one section failing does not lose the others
                new_rows, info = [], {"error": f"{exc.__class__.__name__}: {exc}"}
                print(f"[{section}] failed: {info['error']}", file=sys.stderr)
            rows += new_rows
            details[section] = {**info, "seconds": round(time.perf_counter() - t0, 1)}

    result = {
        "when": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
                    "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None},
        "options": {"quick": args.quick, "reps": args.reps, "files": args.files, "memory_files": args.memory_files},
        "rows": rows, "details": details, "seconds": round(time.perf_counter() - started, 1),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"bench-{stamp}.json", "latest.json"):
        (out / name).write_text(json.dumps(result, indent=2) + "\n")
    print(table(rows))
    for r in rows:
        if r.get("note"):
            print(f"note: {r['subject']}: {r['note']}")
    for section, info in details.items():
        if "error" in info:
            print(f"error: {section}: {info['error']}")
    print(f"written to {out / ('bench-' + stamp + '.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
