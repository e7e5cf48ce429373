"""The rule catalogue: every rule documented, with a basis, and the printed copy current."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from pathlib import Path

from l4e_contract.cli import main
from l4e_contract.cli.rules import catalogue, markdown
from l4e_contract.findings import ERROR, WARNING
from l4e_contract.rules import NON_RULES, RULES

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = {"form", "schema", "time", "version", "import", "arn", "status", "retraining", "embedded", "prose", "name"}


def test_every_rule_has_an_id_severity_description_and_basis():
    cat = catalogue()["rules"]
    ids = [r["id"] for r in cat]
    assert len(ids) == len(set(ids))
    for r in cat:
        assert r["id"].split(".")[0] in FAMILIES, r["id"]
        assert r["severity"] in (ERROR, WARNING)
        assert r["description"].strip() and r["source"].strip()
    assert set(RULES) <= set(ids)


def test_the_families_the_issue_asks_for_are_all_there():
    families = {r.family for r in RULES.values()}
    assert {"time", "version", "arn", "status", "embedded", "prose"} <= families


def test_inferred_rules_are_warnings():
    # a rule whose basis is an inference, convention or observation, not a documented fact, never fails a run
    for r in RULES.values():
        basis = r.source.split(":", 1)[0]
        if basis in ("inference", "convention", "observed in AWS samples"):
            assert r.severity == WARNING, r.id


def test_live_checks_are_in_the_catalogue_too():
    from l4e_contract.endpoints.live import LIVE_RULES

    listed = {r["id"] for r in catalogue()["across_calls"]}
    assert listed == set(LIVE_RULES) and {"live.summary-agrees", "live.wire-timestamps"} <= listed
    assert "live.summary-agrees" in markdown(catalogue())


def test_non_rules_say_why_not():
    assert NON_RULES
    for n in NON_RULES:
        assert n.sentence and n.why_not


def test_docs_rules_md_is_current():
    committed = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    assert committed == markdown(catalogue()), "run: l4e-contract rules --format markdown > docs/RULES.md"


def test_rules_command_prints_every_rule(capsys):
    assert main(["rules", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in printed["rules"]] == [r["id"] for r in catalogue()["rules"]]
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    for rule_id in RULES:
        assert rule_id in text


def test_pyproject_maps_only_l4e_contract_packages():
    """Never top-level packages named validators, contracts or schemas: those belong to other projects."""
    import tomllib

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert tool["packages"] and all(p == "l4e_contract" or p.startswith("l4e_contract.") for p in tool["packages"])
    assert all(k.startswith("l4e_contract") for k in tool["package-dir"])
    # every Python package under validators/ is listed, so a wheel leaves none behind
    subpackages = {"l4e_contract." + str(d.relative_to(ROOT / "validators")).replace("/", ".")
                   for d in (ROOT / "validators").rglob("*") if d.is_dir() and (d / "__init__.py").exists()}
    assert subpackages <= set(tool["packages"])


def test_the_wheel_ships_only_the_l4e_contract_package(tmp_path):
    import shutil

    # built from a copy: a build in the checkout leaves build/, whose stale modules a later wheel would ship
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "reports",
                                                             ".hypothesis", "__pycache__", ".pytest_cache"))
    out = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(out), str(src)], capture_output=True, text=True)
    if built.returncode != 0 and "bdist_wheel" in built.stderr + built.stdout:
        pytest.skip("this setuptools cannot build wheels offline (no bdist_wheel)")
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"l4e_contract"}
    assert "l4e_contract/schemas/describe_model.response.schema.json" in names
    assert "l4e_contract/contracts/deviations.json" in names
