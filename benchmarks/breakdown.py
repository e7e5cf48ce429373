"""Where validate's time goes on the bundled valid wire-form responses, in units of one json.loads.

    python benchmarks/breakdown.py [--reps 31]

Each part of validate's fast path is timed on its own, interleaved with json.loads of the same
documents (CPU time, median of the repetitions); "the rest" is what is left of the whole. Parts are
timed in tight loops, so they are a little cheaper than inside validate (warm caches): the remainder
absorbs the difference.
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
    from l4e_contract.report import Report
    from l4e_contract.rules import embedded
    from l4e_contract.rules.context import Context

    runner = importlib.import_module("l4e_contract.validate")
    texts = valid_wire_texts(ROOT)
    docs = [json.loads(t) for t in texts]
    for _ in range(runner._SPECIALISE_AT):  # every shape met often enough to get its own checks
        if not all(l4e_contract.validate(d).valid for d in docs):
            raise SystemExit("benchmark documents are not valid")
    plans = [runner.fast_plan(frozenset(d)) for d in docs]
    members = ("Schema", "ModelMetrics", "PriorModelMetrics")
    embedded_texts = [[d[m] for m in members if isinstance(d.get(m), str)] for d in docs]
    index = range(len(docs))

    def parsed_context(i):
        """A Context with the embedded documents already parsed, and their memo to restore."""
        ctx = Context(docs[i])
        for m in members:
            embedded.embedded(ctx, m)
        return ctx, dict(ctx.memo)

    parsed = [parsed_context(i) for i in index]

    def walks_only(i):
        ctx, memo = parsed[i]
        ctx.memo = dict(memo)
        embedded.schema_facts(ctx)
        for m in embedded.METRICS_MEMBERS:
            embedded.metrics_facts(ctx, m)

    def verdict_with_parsed_documents(i):
        ctx, memo = parsed[i]
        ctx.memo, ctx._arns = dict(memo), {}
        plans[i][1](ctx)

    parts = {
        "validate (whole)": (l4e_contract.validate, docs),
        "the Context (timestamps: epoch seconds and form)": (Context, docs),
        "the plan lookup and the report": (lambda d: runner.fast_plan(frozenset(d)) and Report(form="wire"), docs),
        "the schema (compiled for the shape, unknown members included)": (lambda i: plans[i][2](docs[i]), index),
        "parsing the embedded JSON (Schema, ModelMetrics; msgspec)": (
            lambda ts: [embedded._parse(t) for t in ts], embedded_texts),
        "walking the embedded JSON (one walk each, shared by 7 rules)": (walks_only, index),
        "the rules' fused verdict, documents parsed (walks included)": (verdict_with_parsed_documents, index),
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
    rules_alone = med["the rules' fused verdict, documents parsed (walks included)"] - med[
        "walking the embedded JSON (one walk each, shared by 7 rules)"]
    rest = whole - sum(med.values())
    print(f"rules applicable per response: {', '.join(str(len(p[0])) for p in plans)}")
    print("| part | cost (json.loads = 1) |\n| --- | --- |")
    for name, v in med.items():
        print(f"| {name} | {v:.2f} |")
    print(f"| (of which the rules without the walks) | {rules_alone:.2f} |")
    print(f"| the rest: freeing what was parsed, the calls between the parts (the remainder) | {rest:.2f} |")
    print(f"| **total** | **{whole:.2f}** (ratio {1 / whole:.3f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
