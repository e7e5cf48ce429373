"""Benchmark inputs, written to a temporary folder, never into the repository, and the parts of
validate that both run.py and breakdown.py time on their own.

Every generated file is one of the bundled valid wire-form recordings with its
model renamed (model name, ARNs and version ARNs alike), so each file is a
distinct, valid DescribeModel response, as a folder of nightly recordings is.
"""
from __future__ import annotations

import json
import os
from pathlib import Path


def valid_wire_texts(root: Path) -> list[str]:
    """The bundled valid wire-form recordings, as text (bare bodies or envelopes' bodies)."""
    folder = root / "contracts" / "recordings" / "valid" / "wire"
    texts = []
    for path in sorted(folder.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text)
        if isinstance(doc, dict) and "l4e_recording" in doc:  # an envelope: its body, as the service sent it
            text = json.dumps(doc.get("body"), ensure_ascii=False)
        texts.append(text)
    if not texts:
        raise SystemExit(f"no valid wire-form recordings in {folder}")
    return texts


def renamed(text: str, suffix: str) -> str:
    """The same response for a model named <name><suffix>: the name is replaced wherever it occurs."""
    name = json.loads(text)["ModelName"]
    return text.replace(name, name + suffix)


def write_corpus(folder: Path, count: int, texts: list[str]) -> list[Path]:
    """`count` files 000000.json ... in `folder`, cycling through `texts` with unique model names."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"{i:06d}.json"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(renamed(texts[i % len(texts)], f"-b{i:06d}"))
        paths.append(path)
    return paths


def tree_size(folder: Path) -> int:
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(folder) for f in fs)


def embedded_documents(docs: list[dict]):
    """A function of an index into `docs` doing what validate's rules do with that response's
    embedded documents (Schema, ModelMetrics, PriorModelMetrics: parsed and walked), on a fresh Context."""
    from l4e_contract.rules import embedded
    from l4e_contract.rules.context import Context

    def work(i: int) -> None:
        ctx = Context(docs[i])
        embedded.schema_problem(ctx)
        for m in embedded.METRICS_MEMBERS:
            embedded.metrics_facts(ctx, m)

    return work
