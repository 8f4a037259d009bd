"""Both engines side by side: real-time factor of a cold render, warm and one-edit ratios, memory.

For each engine (pyttsx3 = eSpeak NG, kokoro = Kokoro-82M) and each size (generated articles of
`--words` words) it renders a cold briefing (empty cache), a warm one (nothing changed) and one
after a sentence of one article changed, as WAV, with `--jobs` workers (default 2), and prints
the speech's length, times, the real-time factor of the cold render (seconds of speech per
second of wall time), the warm/cold and changed/cold ratios, the process tree's peak
memory (all workers included) and the cold render's CPU seconds per second of speech.
A measurement, not a test: nothing here asserts.

    python benchmarks/engines.py [--engines pyttsx3,kokoro] [--sizes 1,3] [--words 300] [--jobs 2]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workload  # sibling scripts, not a package
from bench import Run, briefing_command, measure


def bench_engine(engine: str, count: int, work: Path, args: argparse.Namespace) -> list[object]:
    """Cold, warm and changed renders of `count` articles with `engine`; one table row."""
    articles = workload.generate(count, words_per_article=args.words)
    paths, _ = workload.write(articles, work / "articles")
    output, cache, log = work / "out.wav", work / "cache", work / "stderr.log"
    render = [*briefing_command(), "render", *map(str, paths), "-o", str(output), "--quiet"]
    render += ["--engine", engine, "--jobs", str(args.jobs), "--cache-dir", str(cache)]
    shutil.rmtree(cache, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cold = measure(render, log)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the whole tree (the render reaps its workers): unlike wall time, this hardly
    # depends on what else the machine runs.
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    with wave.open(str(output)) as audio:
        speech = audio.getnframes() / audio.getframerate()
    warm = measure(render, log)
    paths[0].write_text(workload.change_one_sentence(articles[0]).text(), encoding="utf-8")
    changed = measure(render, log)
    return [engine, count, speech, cold, warm, changed, cpu]


def report(rows: list[list[object]]) -> None:
    """Print one line per engine and size."""
    print(
        f"{'engine':>8} {'articles':>8} {'speech s':>9} {'cold s':>7} {'x real':>7}"
        f" {'warm/cold':>9} {'chg/cold':>9} {'tree MB':>8} {'cpu s/s':>8}"
    )
    for engine, count, speech, cold, warm, changed, cpu in rows:
        assert isinstance(speech, float) and isinstance(cpu, float)
        assert isinstance(cold, Run) and isinstance(warm, Run) and isinstance(changed, Run)
        print(
            f"{engine:>8} {count:>8} {speech:9.1f} {cold.seconds:7.1f}"
            f" {speech / cold.seconds:7.2f} {warm.seconds / cold.seconds:9.3f}"
            f" {changed.seconds / cold.seconds:9.3f} {cold.tree_peak_mb:8.0f} {cpu / speech:8.3f}"
        )
    print("kokoro bars: x real >= 3 on 2 cores, warm/cold <= 0.1, tree <= 1200 MB with 2 workers")
    print("cpu s/s: CPU seconds of the cold render's process tree per second of speech")


def main() -> None:
    """Parse options, run every engine and size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="pyttsx3,kokoro", help="comma-separated engines")
    parser.add_argument("--sizes", default="1,3", help="comma-separated article counts")
    parser.add_argument("--words", type=int, default=300, help="words per generated article")
    parser.add_argument("--jobs", type=int, default=2, help="synthesis workers")
    parser.add_argument("--keep", type=Path, default=None, help="work directory to keep")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefing-engines-") as tmp:
        root = args.keep or Path(tmp)
        for engine in args.engines.split(","):
            for count in (int(s) for s in args.sizes.split(",")):
                rows.append(bench_engine(engine, count, root / f"{engine}-{count}", args))
                print(f"  {engine}: {count} articles done", file=sys.stderr)
    report(rows)


if __name__ == "__main__":
    main()
