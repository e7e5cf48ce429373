"""Where validate's time goes on the bundled valid wire-form responses, in units of one json.loads.

    python benchmarks/breakdown.py [--reps 31]

Each part is timed on its own, interleaved with json.loads of the same documents (CPU time,
median of the repetitions); "the other rules' own work" is what is left of the whole.
Parts are timed in tight loops, so they are a little cheaper than inside validate (warm caches):
the remainder absorbs the difference.
"""
from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import valid_wire_texts  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=31)
    args = p.parse_args(argv)

    import l4e_contract
    from l4e_contract import schema_fast
    from l4e_contract.report import Report
    from l4e_contract.rules import RULES, embedded
    from l4e_contract.rules.context import Context
    from l4e_contract.schema_check import check_unknown_members

    runner = importlib.import_module("l4e_contract.validate")
    texts = valid_wire_texts(ROOT)
    docs = [json.loads(t) for t in texts]
    if not all(l4e_contract.validate(d).valid for d in docs):
        raise SystemExit("benchmark documents are not valid")
    plans = [runner.plan(frozenset(d)) for d in docs]

    def nothing(ctx):
        return
        yield

    def calls(item):
        ctx, plan = item
        for _ in plan:
            for _ in nothing(ctx):
                pass

    members = ("Schema", "ModelMetrics", "PriorModelMetrics")
    embedded_texts = [[d[m] for m in members if isinstance(d.get(m), str)] for d in docs]

    # a Context with the embedded documents already parsed: the walks alone
    def parsed_context(d):
        ctx = Context(d, "wire")
        for m in members:
            embedded.embedded(ctx, m)
        return ctx, dict(ctx.memo)

    def walks_only(item):
        ctx, parsed = item
        ctx.memo = dict(parsed)
        embedded.schema_facts(ctx)
        for m in embedded.METRICS_MEMBERS:
            embedded.metrics_facts(ctx, m)

    parts = {
        "validate (whole)": (l4e_contract.validate, docs),
        "the schema (compiled check)": (schema_fast.is_valid, docs),
        "unknown members": (lambda d: list(check_unknown_members(d, False)), docs),
        "the Context (timestamps, caches)": (lambda d: Context(d, "wire"), docs),
        "form detection, report, plan lookup": (lambda d: runner.plan(frozenset(d)) and Report(
            form=runner.detect_form(d)).sort(), docs),
        "calling the applicable rules (a generator each, finding nothing)": (
            calls, [(Context(d, "wire"), p) for d, p in zip(docs, plans)]),
        "parsing the embedded JSON (Schema, ModelMetrics)": (
            lambda ts: [embedded._parse(t) for t in ts], embedded_texts),
        "walking the embedded JSON (shared by 7 rules)": (walks_only, [parsed_context(d) for d in docs]),
    }

    def rate(fn, items, n=60):
        start = time.process_time()
        for _ in range(n):
            for x in items:
                fn(x)
        return (time.process_time() - start) / (n * len(items))

    samples = {name: [] for name in parts}
    for rep in range(args.reps):
        order = list(parts) if rep % 2 == 0 else list(parts)[::-1]
        for name in order:
            a = rate(json.loads, texts)
            fn, items = parts[name]
            s = rate(fn, items)
            b = rate(json.loads, texts)
            samples[name].append(2 * s / (a + b))
    med = {name: statistics.median(v) for name, v in samples.items()}
    whole = med.pop("validate (whole)")
    rest = whole - sum(med.values())
    print(f"rules applicable per response: {', '.join(str(len(p)) for p in plans)} (of {len(RULES)})")
    print("| part | cost (json.loads = 1) |\n| --- | --- |")
    for name, v in med.items():
        print(f"| {name} | {v:.2f} |")
    print(f"| the other rules' own work (the remainder) | {rest:.2f} |")
    print(f"| **total** | **{whole:.2f}** (ratio {1 / whole:.3f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
