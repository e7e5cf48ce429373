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

from corpus import embedded_documents, valid_wire_texts  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reps", type=int, default=31)
    args = p.parse_args(argv)

    import l4e_contract
    from l4e_contract.findings import Report

    runner = importlib.import_module("l4e_contract.check.runner")
    texts = valid_wire_texts(ROOT)
    docs = [json.loads(t) for t in texts]
    for _ in range(runner._SPECIALISE_AT):  # every shape met often enough to get its own checks
        if not all(l4e_contract.validate(d).valid for d in docs):
            raise SystemExit("benchmark documents are not valid")
    plans = [runner.fast_plan(frozenset(d)) for d in docs]
    if not all(p.wire(d) is True for p, d in zip(plans, docs)):
        raise SystemExit("the wire-form verdict does not clear the benchmark documents")
    index = range(len(docs))

    parts = {
        "validate (whole)": (l4e_contract.validate, docs),
        "the plan lookup and the report": (lambda d: runner.fast_plan(frozenset(d)) and Report(form="wire"), docs),
        "the schema (compiled for the shape, unknown members included)": (lambda i: plans[i].schema(docs[i]), index),
        "the rules' verdict (wire form: timestamps read, embedded documents included)": (
            lambda i: plans[i].wire(docs[i]), index),
        "the embedded documents (decoded into typed structs and checked; a wire Context to hold them)": (
            embedded_documents(docs), index),
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
    documents = med.pop("the embedded documents (decoded into typed structs and checked; a wire Context to hold them)")
    verdict = "the rules' verdict (wire form: timestamps read, embedded documents included)"
    rest = whole - sum(med.values())
    print(f"rules applicable per response: {', '.join(str(len(p.rules)) for p in plans)}")
    print("| part | cost (json.loads = 1) |\n| --- | --- |")
    for name, v in med.items():
        print(f"| {name} | {v:.2f} |")
        if name == verdict:
            print(f"| (of which the embedded documents, and a Context to hold them) | {documents:.2f} |")
            print(f"| (of which the other rules) | {v - documents:.2f} |")
    print(f"| the rest: the calls between the parts, and caches colder than in a loop of one part | {rest:.2f} |")
    print(f"| **total** | **{whole:.2f}** (ratio {1 / whole:.3f}) |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
