"""Issue 5's benchmark: `briefing render` against `espeak-ng -w` + `ffmpeg` on the same text.

Two workloads: real news (`real_news.py`: PolNeAR articles read at bench time from
`../shared/dev-data/`, skipped with a note when absent) and generated articles (`workload.py`).
For each workload and size (default 5, 20 and 80 articles) it runs, alternately: the reference
pipeline, a cold render (empty cache), a warm render (nothing changed) and a render after one
sentence of one article changed; then prints wall times, the ratios issue 5 sets bars for, and
peak memory (the largest single process, from wait4, and the whole process tree's RSS sampled
every 100 ms). The floor is what the reference's work costs at the least on this machine's
cores: its `espeak-ng` run plus LAME at the render's own settings (lameenc, quality 7, 64 kbps,
in independent one-minute streams, timed in a process of its own) on the same speech, spread
over the cores the render may use (`--jobs`, else all). A measurement, not a test: nothing
here asserts. Installs the Debian packages espeak-ng and ffmpeg with apt-get when they are
missing (the project itself never needs them).

    python benchmarks/bench.py [--sizes 5,20,80] [--rounds 1] [--jobs N] [--keep DIR]
                               [--workloads real,generated]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_news  # sibling scripts, not a package
import workload


@dataclass(frozen=True)
class Run:
    """One timed subprocess: wall seconds, largest process RSS and process-tree peak (MB)."""

    seconds: float
    max_rss_mb: float
    tree_peak_mb: float


def _tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        rss[int(entry.name)] = int(fields[21])
    total, frontier = 0, [root]
    while frontier:
        pid = frontier.pop()
        total += rss.get(pid, 0)
        frontier += children.get(pid, [])
    return total * os.sysconf("SC_PAGE_SIZE") / 1e6


def measure(command: list[str], log: Path) -> Run:
    """Run a command to completion, sampling its process tree's memory."""
    with log.open("ab") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        peak = [0.0]
        finished = threading.Event()

        def sample() -> None:
            while not finished.is_set():
                peak[0] = max(peak[0], _tree_rss_mb(process.pid))
                finished.wait(0.1)  # cheap enough not to steal a core from the run

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        finished.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"failed ({process.returncode}): {' '.join(command)}; see {log}")
    return Run(seconds, usage.ru_maxrss / 1024, peak[0])


def ensure_reference_tools() -> bool:
    """espeak-ng and ffmpeg on PATH, installed with apt-get when missing; False if impossible."""
    if shutil.which("espeak-ng") and shutil.which("ffmpeg"):
        return True
    if not shutil.which("apt-get"):
        return False
    print("installing the reference tools (espeak-ng, ffmpeg) with apt-get ...", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["update", "-qq"], ["install", "-y", "-qq", "espeak-ng", "ffmpeg"]):
        subprocess.run(
            [*sudo, "apt-get", *command],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    return bool(shutil.which("espeak-ng") and shutil.which("ffmpeg"))


def briefing_command() -> list[str]:
    """The installed `briefing` console script beside this interpreter."""
    script = Path(sys.executable).parent / "briefing"
    return [str(script)] if script.exists() else [sys.executable, "-m", "briefing"]


_LAME = """
import sys, time, wave
from briefing.audio.mp3 import CHUNK_SECONDS, encode_mp3_single
with wave.open(sys.argv[1]) as w:
    pcm, rate = w.readframes(w.getnframes()), w.getframerate()
piece = 2 * round(CHUNK_SECONDS * rate)
start = time.process_time()
for at in range(0, len(pcm), piece):
    encode_mp3_single(pcm[at : at + piece], rate)
print(time.process_time() - start)
"""


def lame_seconds(wav: Path) -> float:
    """CPU seconds LAME takes for this mono speech at the render's settings, as independent
    one-minute streams like the render's sections and chunks (one stream of the whole took ~25%
    longer: 13.0 against 10.4 CPU-s for 114 minutes).

    In a process of its own: the speech read here would stay in this one's memory, and every
    process it starts afterwards would report that as its own peak (a fork's resident pages).
    """
    done = subprocess.run(
        [sys.executable, "-c", _LAME, str(wav)], check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip())


def compile_package() -> None:
    """Byte-compile `briefing` as an installed wheel is (pip compiles at install).

    An editable install compiles each module on first import and caches it, but with
    PYTHONDONTWRITEBYTECODE set (as on the project's CI machines) nothing is cached and every
    run, and each of its worker processes, compiles the package's sources again: ~0.05 s of
    every run (a warm render of 5 real articles: 0.34 -> 0.28 s) that no installed copy pays.
    """
    import briefing

    package = Path(briefing.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def bench_size(
    kind: str, count: int, work: Path, args: argparse.Namespace, reference: bool
) -> dict[str, Run]:
    """All runs for one workload size; each kind run `args.rounds` times, alternating."""
    articles = real_news.load(count) if kind == "real" else workload.generate(count)
    paths, everything = workload.write(articles, work / "articles")
    log = work / "stderr.log"
    render = [*briefing_command(), "render", *map(str, paths), "-o", str(work / "out.mp3")]
    # The reference makes 22,050 Hz mono MP3 at 64 kbps: the `speech` profile is the same file.
    render += ["--quiet", "--profile", "speech"] + (["--jobs", str(args.jobs)] if args.jobs else [])
    runs: dict[str, list[Run]] = {}
    for round_number in range(args.rounds):
        if reference:
            wav, mp3 = work / "all.wav", work / "all.mp3"
            espeak = measure(["espeak-ng", "-w", str(wav), "-f", str(everything)], log)
            ffmpeg = measure(
                [
                    *("ffmpeg", "-y", "-loglevel", "error", "-i", str(wav)),
                    *("-codec:a", "libmp3lame"),
                    *("-b:a", "64k", str(mp3)),
                ],
                log,
            )
            runs.setdefault("reference", []).append(
                Run(
                    espeak.seconds + ffmpeg.seconds,
                    max(espeak.max_rss_mb, ffmpeg.max_rss_mb),
                    max(espeak.tree_peak_mb, ffmpeg.tree_peak_mb),
                )
            )
            with wave.open(str(wav)) as w:
                runs.setdefault("audio", []).append(Run(w.getnframes() / w.getframerate(), 0, 0))
            if round_number == 0:
                cores = min(args.jobs or os.cpu_count() or 1, os.cpu_count() or 1)
                floor = (espeak.seconds + lame_seconds(wav)) / cores
                runs["floor"] = [Run(floor, 0, 0)]
        # A cache directory never used before, left in place until the whole bench ends: ext4
        # scans past inodes deleted in the last ~30 s when it allocates new ones, so a cold render
        # started right after deleting a previous cache's thousands of entries paid ~1.8 CPU-s of
        # kernel time (20 real articles) that no user's first render pays.
        cache = work / f"cache-{round_number}"
        runs.setdefault("cold", []).append(measure([*render, "--cache-dir", str(cache)], log))
        runs.setdefault("warm", []).append(measure([*render, "--cache-dir", str(cache)], log))
        paths[0].write_text(workload.change_one_sentence(articles[0]).text(), encoding="utf-8")
        runs.setdefault("changed", []).append(measure([*render, "--cache-dir", str(cache)], log))
        paths[0].write_text(articles[0].text(), encoding="utf-8")
    print(f"  {kind}: {count} articles, {sum(a.words() for a in articles)} words", file=sys.stderr)
    return {kind: _median(values) for kind, values in runs.items()}


def _median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.max_rss_mb for r in runs),
        max(r.tree_peak_mb for r in runs),
    )


def report(results: dict[tuple[str, int], dict[str, Run]]) -> None:
    """Print the table: times, ratios against the bars, peak memory."""
    print(
        f"{'workload':>9} {'articles':>8} {'speech':>8} {'ref s':>7} {'floor s':>7} {'cold s':>7}"
        f" {'warm s':>7} {'chg s':>7} {'floor/ref':>9}"
        f" {'cold/ref':>9} {'warm/cold':>9} {'chg/cold':>9} {'peak MB':>8} {'tree MB':>8}"
    )
    for (kind, count), r in results.items():
        ref = r.get("reference")
        audio = r.get("audio")
        cold, warm, chg = r["cold"], r["warm"], r["changed"]
        speech = f"{audio.seconds / 60:.0f} min" if audio else "-"
        floor = r.get("floor")
        ref_s = f"{ref.seconds:7.2f}" if ref else f"{'-':>7}"
        floor_s = f"{floor.seconds:7.2f}" if floor else f"{'-':>7}"
        ratio = f"{cold.seconds / ref.seconds:9.2f}" if ref else f"{'-':>9}"
        least = f"{floor.seconds / ref.seconds:9.2f}" if floor and ref else f"{'-':>9}"
        print(
            f"{kind:>9} {count:>8} {speech:>8} {ref_s} {floor_s} {cold.seconds:7.2f}"
            f" {warm.seconds:7.2f} {chg.seconds:7.2f} {least} {ratio}"
            f" {warm.seconds / cold.seconds:9.3f}"
            f" {chg.seconds / cold.seconds:9.3f} {cold.max_rss_mb:8.0f} {cold.tree_peak_mb:8.0f}"
        )
    print(
        "bars (issue 18, real news): cold/ref <= 0.4, warm/cold <= 0.05, chg/cold <= 0.1,"
        " tree <= 300 MB; generated: no worse than before"
    )


def main() -> None:
    """Parse options, run every size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,20,80", help="comma-separated article counts")
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds per size")
    parser.add_argument("--jobs", type=int, default=None, help="passed to briefing --jobs")
    parser.add_argument("--keep", type=Path, default=None, help="work directory to keep")
    parser.add_argument("--workloads", default="real,generated", help="real and/or generated")
    args = parser.parse_args()
    kinds = [k for k in args.workloads.split(",") if k]
    if "real" in kinds and not real_news.available():
        print(f"real news not found ({real_news.POLNEAR}): generated only", file=sys.stderr)
        kinds.remove("real")
    reference = ensure_reference_tools()
    compile_package()
    if not reference:
        print("espeak-ng/ffmpeg unavailable: reporting briefing only", file=sys.stderr)
    results: dict[tuple[str, int], dict[str, Run]] = {}
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        root = args.keep or Path(tmp)
        for count in (int(s) for s in args.sizes.split(",")):
            for kind in kinds:
                work = root / f"{kind}{count}"
                results[kind, count] = bench_size(kind, count, work, args, reference)
    report(results)


if __name__ == "__main__":
    main()
