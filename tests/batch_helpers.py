"""Articles and jobs files the batch and cluster tests write for themselves."""

from __future__ import annotations

from pathlib import Path

STORIES = {
    "ferry": (
        "Ferry Service Returns to the North Pier",
        "The ferry to the north pier will run again from Monday, the harbour office said. "
        "Captain Mira Holt, who runs the line, welcomed the news. "
        "“We have waited two winters for this pier to reopen,” Holt said. "
        "Tickets will cost the same as before the closure.",
    ),
    "orchard": (
        "Orchard Growers Expect an Early Harvest",
        "Apple growers in the valley expect to start picking two weeks early this year. "
        "Farmer Tomas Berg said the warm spring helped. "
        "“The trees flowered early and the bees did the rest,” Berg said. "
        "Prices at the market are expected to fall in the autumn.",
    ),
    "museum": (
        "Museum Opens a Hall of Old Maps",
        "The town museum opened a new hall of old maps on Saturday. "
        "Curator Lena Voss said the oldest map is four hundred years old. "
        "“People can see how the coast has moved over the centuries,” Voss said. "
        "Entry to the hall is free for children.",
    ),
}


def write_articles(folder: Path, extra: dict[str, tuple[str, str]] | None = None) -> None:
    """One .txt per story (title, blank line, body) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, body) in {**STORIES, **(extra or {})}.items():
        (folder / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def write_jobs(folder: Path, jobs: dict[str, list[str]], extra: str = "") -> Path:
    """A jobs file in `folder`: per job, its stories (articles/NAME.txt) and out/NAME.mp3|wav."""
    lines = [extra] if extra else []
    for index, (name, stories) in enumerate(jobs.items()):
        suffix = "wav" if index % 2 else "mp3"
        sources = ", ".join(f'"articles/{story}.txt"' for story in stories)
        lines += [
            "[[job]]",
            f'name = "{name}"',
            f'title = "{name.title()} Briefing"',
            'date = "2026-01-05"',
            f"sources = [{sources}]",
            f'output = "out/{name}.{suffix}"',
            f'transcripts = ["out/{name}.vtt"]',
            "",
        ]
    path = folder / "jobs.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def clip_keys(cache: Path) -> list[str]:
    """The keys of every clip entry in a clip cache directory."""
    return sorted(p.stem for p in (cache / "clips").glob("*/*.clip"))
