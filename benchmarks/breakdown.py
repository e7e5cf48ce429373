"""Where validate's time goes on the bundled valid wire-form responses, in units of one json.loads.

    python benchmarks/breakdown.py [--reps 31]

Each part of validate is timed on its own, interleaved with json.loads of the same
documents (CPU time, median of the repetitions); "the rest" is what is left of the whole. Parts are
timed in tight loops, so they are a little cheaper than inside validate (warm caches): the remainder
absorbs the difference.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import embedded_documents, valid_wire_texts  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=31)
    args = p.parse_args(argv)

    import l4e_contract
    from l4e_contract.check import runner
    from l4e_contract.contract import schema_check
    from l4e_contract.rules.context import Context

    texts = valid_wire_texts(ROOT)
    docs = [json.loads(t) for t in texts]
    if not all(l4e_contract.validate(d).valid for d in docs):
        raise SystemExit("benchmark documents are not valid")
    index = range(len(docs))
    plans = [runner.applicable_rules(d.keys()) for d in docs]

    def rules_on_a_fresh_context(i):
        ctx = Context(docs[i])
        for r in plans[i]:
            for _ in r.check(ctx):
                pass

    parts = {
        "validate (whole)": (l4e_contract.validate, docs),
        "the Context (timestamps read once)": (Context, docs),
        "the schema (jsonschema-rs is_valid)": (schema_check.is_valid, docs),
        "unknown members (the walk)": (lambda d: list(schema_check.check_unknown_members(d)), docs),
        "choosing the rules (needs)": (lambda d: runner.applicable_rules(d.keys()), docs),
        "the rules (on a fresh Context; embedded documents included)": (rules_on_a_fresh_context, index),
        "the embedded documents (parsed and walked, on a fresh Context)": (embedded_documents(docs), index),
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
    documents = med.pop("the embedded documents (parsed and walked, on a fresh Context)")
    context = med.pop("the Context (timestamps read once)")
    rules = "the rules (on a fresh Context; embedded documents included)"
    rest = whole - sum(med.values())
    print(f"rules applicable per response: {', '.join(str(len(p)) for p in plans)}")
    print("| part | cost (json.loads = 1) |\n| --- | --- |")
    for name, v in med.items():
        print(f"| {name} | {v:.2f} |")
        if name == rules:
            print(f"| (of which the Context: the timestamps read once) | {context:.2f} |")
            print(f"| (of which the embedded documents) | {documents:.2f} |")
            print(f"| (of which the other rules) | {v - documents - context:.2f} |")
    print(f"| the rest: the report, sorting, the calls between the parts | {rest:.2f} |")
    print(f"| **total** | **{whole:.2f}** (ratio {1 / whole:.3f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
