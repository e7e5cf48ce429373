"""Progress of long runs: a bar on a terminal, a short line now and then in a log, nothing with
--quiet, and never a byte of it on stdout. Text output comes in the same order on every run."""
from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest

from test_serve import trained, write_models

from l4e_contract.cli import main
from l4e_contract.contract import paths
from l4e_contract.endpoints.serve import Faults, MockServer
from l4e_contract.report import progress as progress_mod
from l4e_contract.report.progress import Progress

RECORDINGS = paths.recordings_dir()
FAST = ["--max-attempts", "2", "--connect-timeout", "1", "--read-timeout", "5"]


# every test here: dummy credentials, no shared config, no metadata probing (conftest's aws_env)
pytestmark = pytest.mark.usefixtures("aws_env")


@pytest.fixture
def every_update(monkeypatch):
    """A line for every step instead of every 5 s: what a long run prints, without the wait."""
    monkeypatch.setattr(progress_mod, "EVERY", 0.0)


class Tty(io.StringIO):
    def isatty(self):
        return True


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


# --- the module -------------------------------------------------------------------------------------


def test_off_a_terminal_a_short_line_every_few_seconds():
    log, clock = io.StringIO(), Clock()
    p = Progress("validate", "file", total=10_000, stream=log, clock=clock)
    p.update(1_199)
    assert log.getvalue() == ""  # a run over in under 5 s prints nothing
    clock.now = 5.0
    p.update()
    assert log.getvalue() == "validate: checked 1,200 of 10,000 files\n"
    clock.now = 6.0
    p.update(100)
    assert log.getvalue().count("\n") == 1  # at most one line per period
    clock.now = 10.5
    p(4_000, 10_000)
    assert log.getvalue().splitlines()[-1] == "validate: checked 4,000 of 10,000 files"
    assert p.bar is None


def test_a_count_without_a_total_until_the_total_is_known():
    log, clock = io.StringIO(), Clock()
    p = Progress("live", "model", stream=log, clock=clock)
    clock.now = 5
    p(3, None)
    clock.now = 10
    p(4, 20)
    assert log.getvalue().splitlines() == ["live: checked 3 models", "live: checked 4 of 20 models"]


def test_on_a_terminal_a_tqdm_bar_that_follows_the_count_and_the_total():
    tty = Tty()
    p = Progress("live", "model", stream=tty)
    assert p.bar is not None
    p(0, None)
    p(3, None)
    p(3, 10)
    p.update(2)
    assert (p.bar.n, p.bar.total) == (5, 10)
    p.bar.refresh()
    assert re.search(r"live: +50%.*5/10", tty.getvalue())
    p.close()
    assert tty.getvalue().endswith("\r")  # the bar is cleared: the summary line stands alone
    assert "checked" not in tty.getvalue()  # no periodic lines on a terminal


def test_quiet_says_nothing_anywhere():
    for stream in (Tty(), io.StringIO()):
        p = Progress("validate", quiet=True, stream=stream, every=0)
        p.update(5)
        p.close()
        assert stream.getvalue() == "" and p.bar is None


# --- on a real pseudo-terminal ----------------------------------------------------------------------


def _run_on_a_pty(argv: list[str]) -> tuple[int, str, str]:
    """The command with stderr on a pseudo-terminal and stdout on a pipe."""
    master, slave = pty.openpty()
    # a terminal of 100 columns: a fresh pty says 0, and a bar of 0 columns draws nothing
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "l4e_contract.cli", *argv], stdout=subprocess.PIPE, stderr=slave,
                            stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        err += chunk
    out = proc.stdout.read()
    proc.wait(timeout=120)
    os.close(master)
    return proc.returncode, out.decode(), err.decode(errors="replace")


def test_validate_draws_a_bar_on_a_terminal_and_nothing_of_it_on_stdout():
    code, out, err = _run_on_a_pty(["validate", str(RECORDINGS / "valid")])
    assert code == 0
    assert re.search(r"validate: \d+ files", err)  # tqdm's bar, drawn on the terminal
    assert "\r" in err
    assert out == "22 checked: 22 valid, 0 invalid, 0 error, 0 warning(s)\n"
    code, out_quiet, err_quiet = _run_on_a_pty(["validate", "--quiet", str(RECORDINGS / "valid")])
    assert code == 0 and out_quiet == out
    assert "validate:" not in err_quiet


# --- the commands, off a terminal ------------------------------------------------------------------


def _invalid_count() -> int:
    return len(list((RECORDINGS / "invalid").glob("*.json")))


def test_validate_prints_progress_lines_on_stderr_only(every_update, capsys):
    assert main(["validate", str(RECORDINGS / "invalid")]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    count = _invalid_count()
    assert lines[0] == "validate: checked 1 file" and lines[-1] == f"validate: checked {count} files"
    assert "validate:" not in captured.out
    assert main(["validate", "--format", "json", str(RECORDINGS / "invalid")]) == 1
    captured_json = capsys.readouterr()
    assert json.loads(captured_json.out)["summary"]["total"] == count  # stdout stays one JSON document
    assert captured_json.err.count("validate: checked") == count


def test_quiet_turns_the_lines_off(every_update, capsys):
    count = _invalid_count()
    assert main(["validate", "--quiet", str(RECORDINGS / "invalid")]) == 1
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.endswith(f"{count} checked: 0 valid, {count} invalid, 0 error, 0 warning(s)\n")


@pytest.fixture
def slow_first(tmp_path):
    """Six models, the first in listing order answered last: completion order is not listing order."""
    write_models(tmp_path / "models", [trained(f"pump-{i}") for i in range(6)])
    return tmp_path / "models", Faults(slow={"pump-0": 400})


def test_live_text_comes_in_listing_order_whatever_finishes_first(slow_first, every_update, capsys):
    folder, faults = slow_first
    with MockServer(folder, faults=faults) as server:
        code = main(["live", "--endpoint-url", server.endpoint_url, "--verbose", "--concurrency", "4", *FAST])
    captured = capsys.readouterr()
    assert code == 0
    shown = [line.split(":")[0] for line in captured.out.splitlines() if line.endswith(": ok")]
    assert shown == [f"us-east-1/model/pump-{i}" for i in range(6)]
    assert "live: checked 6 of 6 models" in captured.err.splitlines()
    assert "live:" not in captured.out
    with MockServer(folder, faults=faults) as server:
        main(["live", "--quiet", "--endpoint-url", server.endpoint_url, "--verbose", *FAST])
    again = capsys.readouterr()
    assert again.out == captured.out and again.err == ""


def test_record_shows_its_progress(slow_first, every_update, capsys, tmp_path):
    folder, faults = slow_first
    with MockServer(folder, faults=faults) as server:
        code = main(["record", "--endpoint-url", server.endpoint_url, "--out", str(tmp_path / "out"), *FAST])
    captured = capsys.readouterr()
    assert code == 0
    assert "record: fetched 6 of 6 models" in captured.err.splitlines()
    written = [line.split(":")[0] for line in captured.out.splitlines()]
    assert written == [f"us-east-1/model/pump-{i}" for i in range(6)]
    assert "record:" not in captured.out


def test_fidelity_describes_concurrently_in_a_stable_order_with_progress(every_update, capsys, tmp_path):
    folder = tmp_path / "models"
    names = write_models(folder, [trained(f"pump-{i}") for i in range(6)])
    with MockServer(folder, faults=Faults(slow={"pump-0": 400})) as server:
        code = main(["fidelity", "--endpoint-url", server.endpoint_url, "--recordings", str(folder),
                     "--concurrency", "4", "--format", "json"])
        seen = list(server.operations)
    captured = capsys.readouterr()
    assert code == 0
    doc = json.loads(captured.out)
    described = [c["model"] for c in doc["calls"] if c["operation"] == "DescribeModel"]
    assert described == names  # sorted, though pump-0 answered last
    assert seen.count("DescribeModel") == len(names) + 1  # and the missing model's call
    lines = captured.err.splitlines()
    assert lines[-1] == f"fidelity: made {len(names) + 2} of {len(names) + 2} calls"
    with pytest.raises(SystemExit) as exited:  # a usage error, before anything is sent
        main(["fidelity", "--endpoint-url", "http://127.0.0.1:9", "--concurrency", "0"])
    assert exited.value.code == 2
