"""Hypothesis profiles for the whole suite, and pytester for the plugin's own tests.

    L4E_HYPOTHESIS_PROFILE=ci|dev|nightly pytest

Default: `ci` when the CI variable is set, else `dev`.
  ci       few examples, derandomized (the same examples every run), no deadline, no database
  dev      Hypothesis's usual randomness with more examples; failures are remembered in .hypothesis/
  nightly  many examples, for a scheduled job that hunts rare combinations
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["pytester"]

# no test may make botocore look for credentials on the network (clients here use dummy ones)
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

# The strategies build a whole response from a few draws, so "too slow" and "large base
# example" describe the response (50,000-character metrics), not a problem in a strategy.
_QUIET = [HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large]

settings.register_profile("ci", max_examples=30, derandomize=True, deadline=None, database=None,
                          print_blob=True, suppress_health_check=_QUIET)
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("nightly", max_examples=2000, deadline=None, suppress_health_check=_QUIET)



def choose_profile(environ) -> str:
    return environ.get("L4E_HYPOTHESIS_PROFILE") or ("ci" if environ.get("CI") else "dev")


PROFILE = choose_profile(os.environ)
settings.load_profile(PROFILE)


def pytest_report_header(config):
    return f"hypothesis profile: {PROFILE} (L4E_HYPOTHESIS_PROFILE=ci|dev|nightly)"


@pytest.fixture
def aws_env(monkeypatch, tmp_path):
    """Dummy credentials, no shared config, and no metadata probing: nothing leaves 127.0.0.1."""
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
