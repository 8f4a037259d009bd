"""A long paragraph costs what the same text in short paragraphs does (issue 16, bug 7)."""

from __future__ import annotations

import resource
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from briefing.model import Clip, Pause, SpokenItem
from briefing.output.mp3_sections import JOIN_MS, LONG_SECTION_LINES, split_sections

SENTENCES = [f"The council approved plan number {i} for the harbour district." for i in range(150)]


def _peak_rss_kb(article: Path, out: Path) -> int:
    """Peak resident memory of a whole render in a child process (workers included)."""
    code = (
        "import resource, sys\n"
        "from briefing.cli import app\n"
        "try:\n"
        "    app(sys.argv[1:])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(max(own, kids))\n"
    )
    args = ["render", str(article), "-o", str(out), "--engine", "fake", "--no-cache", "--quiet"]
    command = [sys.executable, "-c", code, *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(not hasattr(resource, "getrusage"), reason="needs getrusage")
def test_one_long_paragraph_peaks_like_many_short_ones(tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text("One Long Paragraph\n\n" + " ".join(SENTENCES) + "\n", encoding="utf-8")
    short = tmp_path / "short.txt"
    paragraphs = [" ".join(SENTENCES[i : i + 3]) for i in range(0, len(SENTENCES), 3)]
    short.write_text("One Long Paragraph\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    long_kb = _peak_rss_kb(long, tmp_path / "long.wav")
    short_kb = _peak_rss_kb(short, tmp_path / "short.wav")
    assert long_kb < 1.3 * short_kb, (long_kb, short_kb)


def test_a_long_paragraph_is_cut_at_sentence_pauses() -> None:
    clip = Clip(b"\0\0" * 100, 22050)
    timeline: list[SpokenItem | Pause] = []
    for i in range(100):
        timeline += [SpokenItem(clip, f"Sentence {i}.", None, "v", 0), Pause(250)]
    sections = split_sections(timeline[:-1], JOIN_MS)
    assert max(sum(isinstance(i, SpokenItem) for i in s) for s in sections) <= LONG_SECTION_LINES
    spoken = [i.text for s in sections for i in s if isinstance(i, SpokenItem)]
    assert spoken == [f"Sentence {i}." for i in range(100)]
    # Each cut pause keeps its length, less what the MP3 join adds back.
    gaps = [(s[-1], n[0]) for s, n in pairwise(sections)]
    pauses = [(a, b) for a, b in gaps if isinstance(a, Pause) and isinstance(b, Pause)]
    assert gaps and len(pauses) == len(gaps)
    assert all(a.ms + b.ms == 250 - sum(JOIN_MS) for a, b in pauses)
