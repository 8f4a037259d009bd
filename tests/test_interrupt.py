"""Interrupts and kills: exit 130, no partial output, no temp files, no workers left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "harbor-bridge.txt"
HANG_ON = "hang:too high for a city"  # a sentence of the example; the fake engine hangs on it


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_hanging_render(
    tmp_path: Path, out: Path, stderr: int = subprocess.PIPE
) -> tuple[subprocess.Popen[bytes], set[int]]:
    env = {**os.environ, "BRIEFING_FAKE_FAIL": HANG_ON, "XDG_CACHE_HOME": str(tmp_path / "c")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "briefing",
            "render",
            str(EXAMPLE),
            "-o",
            str(out),
            "--engine",
            "fake",
            "--jobs",
            "2",
            "--quiet",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )
    deadline = time.monotonic() + 30
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 1:
        time.sleep(0.2)
        workers = _children(process.pid)
    assert workers, "the render never started its synthesis workers"
    time.sleep(2.0)  # let the workers reach the utterance they hang on
    return process, workers | _children(process.pid)


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc to see worker processes")
def test_ctrl_c_exits_130_and_leaves_nothing(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "briefing.mp3"
    out.write_bytes(b"yesterday's briefing")
    process, workers = _start_hanging_render(tmp_path, out)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert b"Traceback" not in stderr
    assert sorted(p.name for p in out_dir.iterdir()) == ["briefing.mp3"]
    assert out.read_bytes() == b"yesterday's briefing"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived the render"


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc to see worker processes")
def test_sigkill_never_leaves_a_truncated_output(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "briefing.mp3"
    out.write_bytes(b"yesterday's briefing")
    # No pipes: orphaned workers would hold them open.
    process, workers = _start_hanging_render(tmp_path, out, stderr=subprocess.DEVNULL)
    process.kill()
    process.wait(timeout=30)
    for pid in workers:  # orphaned workers of a SIGKILLed parent notice and exit, or we end them
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    assert out.read_bytes() == b"yesterday's briefing"
    assert [p.name for p in out_dir.iterdir()] == ["briefing.mp3"]
