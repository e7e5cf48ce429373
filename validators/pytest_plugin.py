"""pytest plugin for l4e-contract (entry point pytest11, loaded by every pytest run once installed).

Fixtures:
  describe_model_contract   call it with a DescribeModel response; it fails the test listing every
                            violation (`describe_model_contract(response, strict=True)` makes unknown
                            members errors; it returns the Report when the response passes)
  strict_stubber            an active botocore Stubber on a lookoutequipment client (us-east-1, dummy
                            credentials) whose add_response("describe_model", ...) rejects any
                            response that breaks the full contract, not only botocore's shape check
  l4e_recording             one recorded response per test, parametrized over the folders given by
                            --l4e-recordings=DIR (or the l4e_recordings ini option): JSON responses,
                            envelopes, placebo files (zone: --l4e-placebo-tz) and each DescribeModel
                            interaction of a vcrpy cassette (a recorded error answer is skipped, with why)
  lookout_mock              the contract-backed mock in process: `lookout_mock.client` is a boto3
                            lookoutequipment client answered from recordings with no socket (the bundled
                            ones unless `@pytest.mark.lookout_mock(recordings=..., throttle_every=...)`
                            says otherwise); `lookout_mock.requests` is what it was asked

Importing this module imports nothing heavy: boto3, botocore and l4e_contract's validators load
only when a fixture is used, so the plugin costs nothing to test runs that do not use it.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest

RECORDINGS_OPTION = "--l4e-recordings"
RECORDINGS_INI = "l4e_recordings"
PLACEBO_TZ_OPTION = "--l4e-placebo-tz"


def pytest_addoption(parser):
    group = parser.getgroup("l4e-contract", "DescribeModel contract (l4e-contract)")
    group.addoption(RECORDINGS_OPTION, action="append", default=[], metavar="DIR",
                    help="folder (or file) of recorded DescribeModel responses: tests that use the "
                         "l4e_recording fixture run once per response in it (*.json files, placebo files, "
                         "each DescribeModel interaction of a *.yaml/*.yml cassette; may be repeated)")
    group.addoption(PLACEBO_TZ_OPTION, default=None, metavar="ZONE",
                    help="the zone of the machine that recorded placebo files (+05:30 or Asia/Kolkata; default UTC)")
    parser.addini(RECORDINGS_INI, type="paths", default=[],
                  help="folders of recorded DescribeModel responses for the l4e_recording fixture "
                       f"(used when {RECORDINGS_OPTION} is not given)")


def pytest_configure(config):
    config.addinivalue_line("markers", "l4e_contract: a test of the DescribeModel contract (l4e-contract)")
    config.addinivalue_line("markers", "lookout_mock(**options): recordings and faults for the lookout_mock fixture")


# --- describe_model_contract ------------------------------------------------------------

class ContractCheck:
    """Callable fixture value: `describe_model_contract(response)` fails the test on any violation."""

    def __call__(self, response, *, strict: bool = False, warnings_fail: bool = False, what: str = "response"):
        from l4e_contract import validate

        report = validate(response, strict=strict)
        findings = report.violations + (report.warnings if warnings_fail else [])
        if findings:
            pytest.fail(failure_message(report, what, warnings_fail), pytrace=False)
        return report

    def report(self, response, *, strict: bool = False):
        """The Report, without failing: for tests that expect a violation."""
        from l4e_contract import validate

        return validate(response, strict=strict)


def failure_message(report, what: str = "response", warnings_fail: bool = False) -> str:
    errors = report.violations
    warnings = report.warnings
    counted = len(errors) + (len(warnings) if warnings_fail else 0)
    lines = [f"DescribeModel {what} breaks the contract ({counted} finding{'s' if counted != 1 else ''}):"]
    lines += [f"  {v.pointer or '/'}: [{v.rule}] {v.message}" for v in errors]
    lines += [f"  (warning) {v.pointer or '/'}: [{v.rule}] {v.message}" for v in warnings]
    return "\n".join(lines)


@pytest.fixture
def describe_model_contract() -> ContractCheck:
    """Assert a DescribeModel response follows the contract; the failure lists every violation."""
    return ContractCheck()


# --- strict_stubber ------------------------------------------------------------------------

_STRICT_STUBBER = None


def strict_stubber_class():
    """botocore's Stubber, whose add_response also holds describe_model responses to the full contract."""
    global _STRICT_STUBBER
    if _STRICT_STUBBER is None:
        from botocore.exceptions import ParamValidationError
        from botocore.stub import Stubber

        class StrictStubber(Stubber):
            """A Stubber that refuses DescribeModel responses that break the contract.

            botocore's own check (run first, unchanged) looks at types, required members and
            minimums and rejects unknown members; this adds every rule of l4e-contract: patterns,
            lengths, enums, time order, versions and ARNs that agree, status-dependent members,
            embedded JSON. Warnings do not stop a stub. Other operations get botocore's check only.
            """

            def add_response(self, method, service_response, expected_params=None):
                if method == "describe_model":
                    from l4e_contract import validate

                    if isinstance(service_response, dict):
                        # botocore's own check first: its errors read as they always have
                        self._validate_operation_response("DescribeModel", service_response)
                    report = validate(service_response)
                    if report.violations:
                        raise ParamValidationError(report=failure_message(report, "stub response"))
                super().add_response(method, service_response, expected_params)

        _STRICT_STUBBER = StrictStubber
    return _STRICT_STUBBER


def lookoutequipment_client(region_name: str = "us-east-1"):
    """A lookoutequipment client with dummy credentials: it never looks for real ones."""
    import boto3

    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name=region_name)
    return session.client("lookoutequipment")


@pytest.fixture
def strict_stubber():
    """An activated StrictStubber; `.client` is the stubbed lookoutequipment client."""
    stubber = strict_stubber_class()(lookoutequipment_client())
    stubber.activate()
    try:
        yield stubber
    finally:
        stubber.deactivate()


# --- l4e_recording ---------------------------------------------------------------------------

class Recording(NamedTuple):
    """One recorded response: `body` is the DescribeModel response (unwrapped from a `record`
    envelope, a placebo file or a cassette's interaction), `meta` what the recording says about
    itself (envelope metadata; cassette and interaction; placebo status; None for a bare response
    file), `source` the name validate gives it (`x.yaml#2 DescribeModel pump-7`)."""

    path: Path
    body: Any
    meta: dict | None
    source: str = ""


def _recording_roots(config) -> list[str]:
    given = config.getoption("l4e_recordings") or []
    if given:
        return [str(p) for p in given]
    return [str(p) for p in config.getini(RECORDINGS_INI)]


def pytest_generate_tests(metafunc):
    if "l4e_recording" not in metafunc.fixturenames:
        return
    roots = _recording_roots(metafunc.config)
    if not roots:
        metafunc.parametrize("l4e_recording", [pytest.param(
            None, marks=pytest.mark.skip(reason=f"no recordings: give {RECORDINGS_OPTION}=DIR"))],
            indirect=True, ids=["no-recordings"])
        return
    from l4e_contract.load.files import iter_json_files
    from l4e_contract.load.sources import SUFFIXES, file_items

    tz = _placebo_tz(metafunc.config)
    params, ids = [], []
    for root in roots:
        base = root if os.path.isdir(root) else os.path.dirname(root) or "."
        for path, problem in iter_json_files([root], suffixes=SUFFIXES):
            if problem:
                params.append((path, 0, problem))
                ids.append(path)
                continue
            # read now to know how many responses a file holds (a cassette holds several); the
            # fixture reads it again, so that a run over many recordings holds none of their bodies
            position = 0
            for item in file_items(path, tz, named=path == root):
                name = os.path.relpath(path, base) + item.source[len(path):]
                if item.note is None:
                    params.append((path, position, item.error))
                    ids.append(name)
                elif item.answered_error:
                    # a recorded error answer: shown as skipped, with what it was, not judged
                    params.append(pytest.param((path, position, None), marks=pytest.mark.skip(reason=item.note), id=name))
                    ids.append(name)
                position += 1
    if not params:
        params, ids = [(roots[0], 0, "no recordings in it")], [roots[0]]
    metafunc.parametrize("l4e_recording", params, indirect=True, ids=ids)


def _placebo_tz(config):
    text = config.getoption("l4e_placebo_tz", None)
    if not text:
        return None
    from l4e_contract.load.placebo import parse_zone

    try:
        return parse_zone(text)
    except ValueError as exc:
        raise pytest.UsageError(f"{PLACEBO_TZ_OPTION}: {exc}") from None


@lru_cache(maxsize=4)
def _items_of(path: str, tz) -> tuple:
    from l4e_contract.load.sources import file_items

    return tuple(file_items(path, tz))


@pytest.fixture
def l4e_recording(request) -> Recording:
    """One recorded response from the --l4e-recordings folders (see pytest_generate_tests)."""
    path, position, problem = request.param
    item = None
    if not problem:
        items = _items_of(path, _placebo_tz(request.config))
        item = items[position] if position < len(items) else None
        problem = "changed since the test run began" if item is None else item.error
    if problem:  # a file that cannot be read is an error of its own test; every other file still runs
        pytest.fail(f"{path}: {problem}", pytrace=False)
    return Recording(Path(path), item.body, item.meta, item.source)


# --- lookout_mock ------------------------------------------------------------------------------

@pytest.fixture
def lookout_mock(request):
    """The in-process mock (l4e_contract.endpoints.inprocess.LookoutMock), entered; its options come
    from the test's `lookout_mock` marker."""
    from l4e_contract.endpoints.inprocess import mock_lookout

    marker = request.node.get_closest_marker("lookout_mock")
    mock = mock_lookout(*(marker.args if marker else ()), **(marker.kwargs if marker else {}))
    with mock:
        yield mock
