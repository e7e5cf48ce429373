"""The benchmark still runs: it is not part of the test run (issue 5), but a change to what it
measures (validate's plans, the embedded documents' helpers) must not leave it broken. Smoke runs
only, one repetition each; no figure is asserted, since the machines are shared and noisy."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from corpus import valid_wire_texts, write_corpus  # noqa: E402

import l4e_contract  # noqa: E402


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_corpus_is_distinct_valid_responses(tmp_path):
    paths = write_corpus(tmp_path, 25, valid_wire_texts(ROOT))
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    assert len({d["ModelName"] for d in docs}) == 25
    assert all(l4e_contract.validate(d).valid for d in docs)


def test_the_in_process_section_runs_and_writes_its_rows(tmp_path):
    proc = _run("benchmarks/run.py", "--only", "in-process", "--quick", "--reps", "1", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads((tmp_path / "latest.json").read_text())
    rows = {r["subject"].strip(): r for r in result["rows"]}
    ours = rows["l4e_contract.validate"]
    assert ours["anchor"] == "json.loads" and ours["ratio"] > 0 and isinstance(ours["met"], bool)
    assert any(name.startswith("part: the embedded JSON documents") for name in rows)


def test_the_breakdown_runs_and_accounts_for_the_whole():
    proc = _run("benchmarks/breakdown.py", "--reps", "1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    parts = {line.split(" | ")[0][2:]: line.split(" | ")[1].replace("*", "").strip(" |") for line in table[2:]}
    total = float(parts.pop("**total**").split()[0])  # "2.51 (ratio 0.398)"
    # the parts and "the rest" add up to the whole; the "(of which ...)" rows split one part
    counted = sum(float(v) for k, v in parts.items() if not k.startswith("(of which"))
    assert abs(counted - total) < 0.02, proc.stdout
