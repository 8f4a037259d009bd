"""Issue 17's benchmark: a batch of briefings through the local pool and a Dask LocalCluster.

Generates articles (`workload`), a jobs file of `--briefings` briefings of `--stories` stories
each (neighbouring briefings share a story, as sections of one newsroom do), and runs
`briefing batch` with the real engine, alternately with the local pool and with
`--scheduler local`, each cold (empty clip cache) and then with its clips cached but no
finished renders or sections (what the client does besides synthesis: reading, levelling,
encoding). Prints wall times, the cluster's overhead, the per-clip cost and the figures the
README's estimate for 100 briefings uses. A measurement, not a test: nothing here asserts.

    python benchmarks/batch_bench.py [--briefings 10] [--stories 3] [--words 300] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import workload  # a sibling script, not a package

MODES = {"pool": [], "cluster": ["--scheduler", "local"]}
_SUMMARY = re.compile(r"(\d+) of (\d+) jobs rendered; (\d+) clips synthesized")


def write_jobs(folder: Path, briefings: int, stories: int, words: int) -> Path:
    """Articles and a jobs file: briefing i reads articles i .. i+stories-1 (shared stories)."""
    count = briefings + stories - 1
    paths, _ = workload.write(workload.generate(count, words), folder / "articles")
    lines = []
    for i in range(briefings):
        sources = ", ".join(f'"{p.relative_to(folder)}"' for p in paths[i : i + stories])
        lines += ["[[job]]", f'name = "b{i + 1:02d}"', f"sources = [{sources}]",
                  'date = "2026-01-05"', f'output = "out/b{i + 1:02d}.mp3"', ""]  # fmt: skip
    path = folder / "jobs.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run(jobs: Path, mode: str, cache: Path, workers: int) -> tuple[float, int]:
    """One `briefing batch`: wall seconds and clips synthesized."""
    briefing = Path(sys.executable).parent / "briefing"
    command = [str(briefing), "batch", str(jobs), "--cache-dir", str(cache), *MODES[mode]]
    command += ["--jobs", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    found = _SUMMARY.search(done.stderr)
    if done.returncode != 0 or found is None or found[1] != found[2]:
        sys.exit(f"{mode} batch failed ({done.returncode}):\n{done.stderr}")
    return seconds, int(found[3])


def forget_renders(cache: Path) -> None:
    """Keep the clips, drop finished renders and encoded sections: the next run re-encodes."""
    for name in ("renders", "sections"):
        shutil.rmtree(cache / name, ignore_errors=True)


def main() -> None:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefings", type=int, default=10)
    parser.add_argument("--stories", type=int, default=3, help="stories per briefing")
    parser.add_argument("--words", type=int, default=300, help="words per article")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    cold: dict[str, list[float]] = {mode: [] for mode in MODES}
    warm: dict[str, list[float]] = {mode: [] for mode in MODES}
    clips = 0
    with tempfile.TemporaryDirectory(prefix="briefing-batch-bench-") as tmp:
        jobs = write_jobs(Path(tmp), args.briefings, args.stories, args.words)
        for round_number in range(args.rounds):
            order = list(MODES) if round_number % 2 == 0 else list(reversed(MODES))
            for mode in order:
                cache = Path(tmp) / f"cache-{mode}"
                shutil.rmtree(cache, ignore_errors=True)
                seconds, clips = run(jobs, mode, cache, args.workers)
                cold[mode].append(seconds)
                forget_renders(cache)
                warm[mode].append(run(jobs, mode, cache, args.workers)[0])
                print(f"  round {round_number + 1} {mode:>7}: cold {seconds:6.1f} s, "
                      f"clips cached {warm[mode][-1]:6.1f} s", file=sys.stderr)  # fmt: skip
    report(args, cold, warm, clips)


def report(
    args: argparse.Namespace, cold: dict[str, list[float]], warm: dict[str, list[float]], clips: int
) -> None:
    """The side-by-side table and the figures behind the README's estimate."""
    median = {mode: statistics.median(times) for mode, times in cold.items()}
    client = statistics.median(warm["pool"])
    print(
        f"{args.briefings} briefings x {args.stories} stories x ~{args.words} words, {clips} clips,"
        f" {args.workers} workers, {args.rounds} rounds (median; the machine was shared)"
    )
    print(f"{'mode':>8} {'cold s':>8} {'runs':>24} {'clips cached s':>15}")
    for mode in MODES:
        runs = ", ".join(f"{t:.1f}" for t in cold[mode])
        print(f"{mode:>8} {median[mode]:8.1f} {runs:>24} {statistics.median(warm[mode]):15.1f}")
    overhead = median["cluster"] / median["pool"] - 1
    print(f"cluster overhead on one machine: {overhead * 100:+.1f}% (bar: under 15%)")
    synth = max(median["pool"] - client, 0.0)
    per_clip = synth * args.workers / max(clips, 1)
    start = statistics.median(warm["cluster"]) - client
    print(
        f"synthesis {synth:.1f} s of the pool's run: {per_clip * 1000:.0f} ms per clip per worker;"
        f" client (read, level, encode) {client / args.briefings:.2f} s per briefing;"
        f" cluster start and stop {start:.1f} s"
    )


if __name__ == "__main__":
    main()
