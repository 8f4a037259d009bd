"""SIGTERM and SIGHUP clean up like Ctrl-C: one line, exit 143 / 129, nothing left behind."""

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
needs_proc = pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc to see workers")


def _has_children(pid: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                return True
        except OSError:
            continue
    return False


@needs_proc
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_stop_signal_mid_render_cleans_up(tmp_path: Path, signum: int, code: int) -> None:
    out_dir, temp = tmp_path / "out", tmp_path / "tmp"
    out_dir.mkdir()
    temp.mkdir()
    out = out_dir / "briefing.mp3"
    out.write_bytes(b"yesterday's briefing")
    env = {**os.environ, "BRIEFING_FAKE_FAIL": HANG_ON, "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "briefing", "render", str(EXAMPLE), "-o", str(out),
               "--engine", "fake", "--jobs", "2", "--quiet", "--no-cache"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60

    def started() -> bool:
        clips = any(p.name.startswith("briefing-clips-") for p in temp.iterdir())
        return clips and _has_children(process.pid)

    while time.monotonic() < deadline and not started():
        time.sleep(0.2)
    assert started(), "the render never started its synthesis workers"
    time.sleep(2.0)  # the workers reach the sentence they hang on
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == code, stderr
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 and signal.Signals(signum).name in lines[0], stderr
    assert list(temp.iterdir()) == []  # the temporary clip directory is gone
    assert sorted(p.name for p in out_dir.iterdir()) == ["briefing.mp3"]
    assert out.read_bytes() == b"yesterday's briefing"


def test_a_stop_signal_while_writing_removes_the_part_file(tmp_path: Path) -> None:
    import typer

    from briefing.atomic import atomic_path
    from briefing.cli import _guard

    out = tmp_path / "b.mp3"
    out.write_bytes(b"old")

    def write() -> None:
        with atomic_path(out) as part:
            part.write_bytes(b"x" * 1_000_000)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # never reached: the handler raises at once

    with pytest.raises(typer.Exit) as stopped:
        _guard(write)
    assert stopped.value.exit_code == 143
    assert [p.name for p in tmp_path.iterdir()] == ["b.mp3"]
    assert out.read_bytes() == b"old"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # restored afterwards
