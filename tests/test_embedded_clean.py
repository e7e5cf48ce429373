"""The clean path of the embedded documents (typed msgspec decodes, rules/embedded.py) says "nothing to
say" only where the walks find nothing, with the same sensors; and it does say so for the usual
documents, or it would be a fast path nobody takes."""
from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l4e_contract.rules import embedded
from l4e_contract.strategies import values

RECORDINGS = Path(__file__).resolve().parent.parent / "contracts" / "recordings"


def _walked_schema(text: str):
    """(parse problem, facts) of the Schema by the json-module path and the walk alone."""
    doc, problem = embedded._parse(text)
    return problem, (None if problem or doc is None else embedded._schema_walk(doc))


def _walked_metrics(text: str, known):
    doc, problem = embedded._parse(text)
    return problem, (None if problem or doc is None else embedded._metrics_walk("ModelMetrics", doc, known))


def _schema_agrees(text: str) -> bool:
    """Asserts the implication; returns whether the clean path took the text."""
    clean = embedded._clean_schema(text)
    if clean is None:
        return False
    problem, facts = _walked_schema(text)
    assert problem is None and facts is not None, text[:200]
    # every fact, by name: a fact added to the walk must be one the clean path also answers for
    assert _facts(clean) == _facts(facts), text[:200]
    assert clean.problem is None and not clean.column_findings
    return True


def _facts(facts) -> dict:
    """Every field of a SchemaFacts or MetricsFacts; lists and tuples alike (the clean facts hold tuples)."""
    return {name: (list(v) if isinstance(v, (list, tuple)) else v)
            for name in type(facts).__slots__ for v in [getattr(facts, name)]}


def _metrics_agrees(text: str, known) -> bool:
    if not embedded._clean_metrics(text, known):
        return False
    problem, facts = _walked_metrics(text, known)
    assert problem is None and facts is not None, text[:200]
    assert _facts(facts) == _facts(embedded._CLEAN_METRICS[1]), text[:300]  # every fact, by name (see above)
    return True


# --- documents of the usual shape, then broken anywhere ---------------------------------------------

POOL = [None, True, False, 0, 1, -1, 2, 7, 1.0, 0.5, -2.5, 2 ** 70, "", "x", "DOUBLE", "DATETIME", "STRING",
        "motor\\Speed", "nope", "2022-10-18T06:00:00", "2022-10-18T06:00:00+00:00", "2022-02-30T00:00:00",
        "2021-01-01T00:00:00.000000", "2030-01-01T00:00:00.000000", "2022-10-18 06:00:00", "2022-10-18T24:00:00",
        [], {}, [1], {"a": 1}, {"name": "motor\\Speed", "value": 1}, {"start": "2022-10-18T06:00:00"}]


def _pooled(data):
    return copy.deepcopy(data.draw(st.sampled_from(POOL)))  # a copy: later changes must not reach the pool


def _at(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def _perturbed(data, doc):
    """`doc` with a few changes anywhere: a value replaced or removed, a key added, ranges swapped."""
    for _ in range(data.draw(st.integers(0, 3))):
        paths = list(_paths(doc))
        path = data.draw(st.sampled_from(paths))
        if not path:
            if data.draw(st.booleans()) and isinstance(doc, dict):
                doc["extra"] = _pooled(data)
            continue
        parent = _at(doc, path[:-1])
        op = data.draw(st.integers(0, 3))
        if op == 0:
            parent[path[-1]] = _pooled(data)
        elif op == 1 and isinstance(parent, dict):
            del parent[path[-1]]
        elif op == 2 and isinstance(parent[path[-1]], dict):
            parent[path[-1]][data.draw(st.sampled_from(["extra", "start", "end", "name", "value", "Name", "Type"]))] = (
                _pooled(data))
        elif op == 3 and isinstance(parent[path[-1]], dict) and {"start", "end"} <= parent[path[-1]].keys():
            r = parent[path[-1]]
            r["start"], r["end"] = r["end"], r["start"]
    return doc


def _usual(seed: int):
    rnd = random.Random(seed)
    components = values.dataset_schema(rnd)
    sensors = values.sensor_names(components)
    metrics = values.metrics_doc(rnd, sensors, 1_600_000_000_000, 1_700_000_000_000, labeled=rnd.random() < 0.7)
    return components, sensors, metrics


@settings(max_examples=400)
@given(st.integers(0, 10 ** 6), st.data())
def test_a_schema_the_clean_path_takes_is_one_the_walk_finds_nothing_in(seed, data):
    components, _, _ = _usual(seed)
    doc = _perturbed(data, json.loads(values.schema_text(components)))
    _schema_agrees(json.dumps(doc))


@settings(max_examples=600)
@given(st.integers(0, 10 ** 6), st.data(), st.booleans())
def test_metrics_the_clean_path_takes_are_metrics_the_walk_finds_nothing_in(seed, data, schema_known):
    _, sensors, metrics = _usual(seed)
    doc = _perturbed(data, metrics)
    _metrics_agrees(json.dumps(doc), set(sensors) if schema_known else None)


def _each_single_change(doc):
    """`doc` with one change, every way: each value (containers too) replaced by each value of POOL,
    each key removed, a key added to each object."""
    for path in _paths(doc):
        if not path:
            continue
        for value in [*POOL, _REMOVED]:
            changed = copy.deepcopy(doc)
            parent = _at(changed, path[:-1])
            if value is _REMOVED:
                if not isinstance(parent, dict):
                    continue
                del parent[path[-1]]
            else:
                parent[path[-1]] = copy.deepcopy(value)
            yield changed
    for path in _paths(doc):
        if isinstance(_at(doc, path), dict):
            changed = copy.deepcopy(doc)
            _at(changed, path)["extra"] = 1
            yield changed


_REMOVED = object()


@pytest.mark.parametrize("seed", range(4))
def test_every_single_change_of_a_usual_document_is_judged_alike(seed):
    """Exhaustive where the random test samples: a fact the walks find in one changed value (a rule
    added later, say) is a fact the clean path must not answer for."""
    components, sensors, metrics = _usual(seed)
    taken = 0
    for changed in _each_single_change(metrics):
        taken += _metrics_agrees(json.dumps(changed), set(sensors))
    for changed in _each_single_change(json.loads(values.schema_text(components))):
        taken += _schema_agrees(json.dumps(changed))
    assert taken > 0


@pytest.mark.parametrize("seed", range(200))
def test_the_usual_documents_take_the_clean_path(seed):
    components, sensors, metrics = _usual(seed)
    assert _schema_agrees(values.schema_text(components))
    assert _metrics_agrees(json.dumps(metrics), set(sensors))
    # without the Schema's sensors the walk has to look at the names: the clean path steps aside
    if any(r.get("diagnostics") for r in metrics["predicted_ranges"]):
        assert not embedded._clean_metrics(json.dumps(metrics), None)


def test_every_bundled_recording_agrees():
    taken = 0
    for path in sorted(RECORDINGS.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        body = doc.get("body", doc) if isinstance(doc, dict) else None  # an envelope's body, or a bare body
        if not isinstance(body, dict):
            continue
        schema = body.get("Schema")
        known = None
        if isinstance(schema, str) and schema:
            taken += _schema_agrees(schema)
            _, facts = _walked_schema(schema)
            known = None if facts is None else facts.sensors
        for m in embedded.METRICS_MEMBERS:
            if isinstance(body.get(m), str) and body[m]:
                taken += _metrics_agrees(body[m], known)
    assert taken > 10


_SCHEMA = '{"Components":[{"ComponentName":"motor","Columns":[{"Name":"T","Type":"DATETIME"},{"Name":"Speed","Type":"DOUBLE"}]}]}'
_METRICS = ('{"labeled_ranges":[{"start":"2022-10-18T06:00:00","end":"2022-10-18T07:00:00"}],'
            '"labeled_event_metrics":{"num_labeled":1,"num_identified":1,"total_warning_time_in_seconds":%s},'
            '"predicted_ranges":[{"start":"2022-10-18T06:00:00","end":"2022-10-18T07:00:00",'
            '"diagnostics":[{"name":"motor\\\\Speed","value":%s}]}]}')


@pytest.mark.parametrize("text", [
    _SCHEMA,
    _SCHEMA.replace('"Components"', '"Components":[],"Components"'),  # a duplicate key: the last one counts
    _SCHEMA.replace("DOUBLE", "STRING"),
    _SCHEMA.replace('"motor"', '""'),
    _SCHEMA.replace('{"Name":"T","Type":"DATETIME"},', ""),
    _SCHEMA[:-1] + ',"x":' + "9" * 5000 + "}",  # int() refuses 5,000 digits: the json module says "not JSON"
    _SCHEMA[:-1] + ',"x":' + "[" * 5000 + "]" * 5000 + "}",
    _SCHEMA[:-1] + ',"x":1e400}',
    _SCHEMA.replace('"Speed"', '"\\ud800"'),
    "\ufeff" + _SCHEMA, " " + _SCHEMA + " ", _SCHEMA + "x", "NaN", "[]", "{}",
])
def test_schema_edges(text):
    _schema_agrees(text)


@pytest.mark.parametrize("warning,value", [
    ("0", "0.5"), ("0", "1"), ("0.0", "1e2"), ("1e400", "0.5"), ("0", "1e400"), ("0", "true"), ("0", "null"),
    ("9" * 5000, "0.5"), ("0", "9" * 5000), ("0", "9" * 400), ("-0", "-0.0"), ("NaN", "0.5"), ("true", "0.5"),
])
def test_metrics_edges(warning, value):
    _metrics_agrees(_METRICS % (warning, value), {"motor\\Speed"})


def test_metrics_edges_of_counts_and_order():
    base = _METRICS % ("0", "0.5")
    assert _metrics_agrees(base, {"motor\\Speed"})
    # a duplicate key: the last one counts, for the json module as for msgspec
    assert _metrics_agrees(base.replace('"labeled_ranges"', '"labeled_ranges":[],"labeled_ranges"'), {"motor\\Speed"})
    assert not _metrics_agrees(base.replace('"labeled_ranges":', '"labeled_ranges":[1],"labeled_ranges":[],"x":'),
                               {"motor\\Speed"})
    for text in [base.replace('"num_identified":1', '"num_identified":2'),
                 base.replace('"num_labeled":1', '"num_labeled":2'),
                 base.replace('"num_labeled":1', '"num_labeled":1.0'),
                 base.replace('"end":"2022-10-18T07:00:00"', '"end":"2022-10-18T05:00:00"', 1),
                 base.replace('"end":"2022-10-18T07:00:00"', '"end":"2022-10-18T07:00:00+00:00"', 1),
                 base.replace('"end":"2022-10-18T07:00:00"', '"end":"2022-02-30T07:00:00"', 1),
                 base.replace("motor\\\\Speed", "motor\\\\Torque"),
                 base[:-1] + ',"other":1}']:
        assert not _metrics_agrees(text, {"motor\\Speed"}), text
