"""Where the contract's data lives: schemas/ and contracts/ beside validators/ in a checkout,
or the same files packaged as l4e_contract.schemas / l4e_contract.contracts in a wheel."""
from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent.parent  # the package: l4e_contract/, beside schemas/ in a checkout


def _locate(folder: str) -> Path:
    checkout = _HERE.parent / folder
    if checkout.is_dir():
        return checkout
    packaged = _HERE / folder
    if packaged.is_dir():
        return packaged
    raise FileNotFoundError(f"cannot find the contract's {folder}/ folder near {_HERE}")


def schemas_dir() -> Path:
    return _locate("schemas")


def contracts_dir() -> Path:
    return _locate("contracts")


SCHEMA_NAME = "describe_model.response.schema.json"


def schema_path() -> Path:
    return schemas_dir() / SCHEMA_NAME


def deviations_path() -> Path:
    return contracts_dir() / "deviations.json"


def source_path() -> Path:
    return contracts_dir() / "source.json"


def recordings_dir() -> Path:
    return contracts_dir() / "recordings"
