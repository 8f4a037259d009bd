"""Finished renders kept beside the clip cache, keyed by everything that shapes the output file.

A render's key is a sha256 over the package version, the output format, the loudness target,
the tags and the whole timeline: every clip's cache key (engine, engine version, voice, rate,
text), its transcript text, speaker and story, every pause, chime and chapter title. If nothing
of that changed, the finished file is copied from `<cache>/renders/<key>.audio` and the
transcripts are written from `<key>.json` (cues, chapters, loudness report, the audio's size
and checksum): no clip is read, nothing is stitched, measured or encoded. Entries are written
to a temporary name and renamed into place (the JSON last, so a half-written entry is never
used); the audio's checksum is checked on every reuse. Only the most recent `KEEP` renders are
kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import __version__
from briefing.model import Chapter, ChapterStart, Chime, Cue, Pause, Tags
from briefing.storage import drop_entry, file_checksum, read_entry, write_entry

if TYPE_CHECKING:
    from briefing.cast.assign import Script
    from briefing.output.options import RenderOptions

KEEP = 8
"""Finished renders kept (each is the size of its output file, ~0.5 MB per minute of MP3)."""
_FORMAT = 2

KeyedItem = tuple[str, str, str | None, str, int] | Pause | Chime | ChapterStart
"""A timeline item as the key sees it: (clip key, text, speaker, voice id, story) for speech."""


@dataclass(frozen=True)
class CachedRender:
    """A finished render: where its audio is, and what the transcripts and summary need."""

    audio: Path
    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    duration: float
    loudness_lufs: float
    true_peak_dbtp: float


def render_key(
    items: Sequence[KeyedItem],
    *,
    extension: str,
    loudness: float,
    tags: Tags,
    sample_rate: int,
    encoder: tuple[object, ...] = (),
) -> str:
    """sha256 over the package version, output settings and every timeline item."""
    timeline: list[object] = []
    for item in items:
        if isinstance(item, Pause):
            timeline.append(["pause", item.ms])
        elif isinstance(item, Chime):
            timeline.append(["chime", item.ms])
        elif isinstance(item, ChapterStart):
            timeline.append(["chapter", item.title])
        else:
            timeline.append(list(item))
    cover = hashlib.sha256(tags.cover.data).hexdigest() if tags.cover else None
    tag_fields = {**asdict(replace(tags, cover=None)), "cover": cover}
    fields = [_FORMAT, __version__, extension.lower(), loudness, sample_rate, tag_fields, encoder]
    blob = json.dumps([fields, timeline], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class RenderCache:
    """The `renders/` directory of a clip cache directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory / "renders"

    def get(self, key: str) -> CachedRender | None:
        """The cached render for `key`, or None when missing, incomplete or damaged.

        The audio's checksum (kept in the checksummed JSON entry) is checked on every reuse:
        a damaged render is deleted, never copied out.
        """
        meta, audio = self.directory / f"{key}.json", self.directory / f"{key}.audio"
        found = read_entry(meta)
        try:
            if found is None:
                raise ValueError(meta)
            data = json.loads(found[1])
            if audio.stat().st_size != data["bytes"] or file_checksum(audio) != data["checksum"]:
                raise ValueError(audio)
            now = time.time()
            os.utime(meta, (now, now))  # recently used: kept when older renders are evicted
            return CachedRender(
                audio=audio,
                cues=tuple(Cue(**c) for c in data["cues"]),
                chapters=tuple(Chapter(**c) for c in data["chapters"]),
                duration=float(data["duration"]),
                loudness_lufs=float(data["loudness_lufs"]),
                true_peak_dbtp=float(data["true_peak_dbtp"]),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            for path in (meta, audio):
                drop_entry(path)
            return None

    def put(
        self,
        key: str,
        output: Path,
        cues: Sequence[Cue],
        chapters: Sequence[Chapter],
        *,
        duration: float,
        loudness_lufs: float,
        true_peak_dbtp: float,
    ) -> None:
        """Keep the finished `output` (a second link to it, else a copy); a full or read-only disk
        only costs the entry. The next render replaces `output` by renaming a new file over it,
        never by writing into it, so the entry keeps this render's audio; a tool that edits the
        file in place damages the entry, which its checksum then catches."""
        stamp = f"{os.getpid()}.{time.monotonic_ns()}"
        audio_tmp = self.directory / f".{key}.{stamp}.audio.tmp"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            link_or_copy(output, audio_tmp)
            data = {
                "bytes": audio_tmp.stat().st_size,
                "checksum": file_checksum(audio_tmp),
                "cues": [asdict(c) for c in cues],
                "chapters": [asdict(c) for c in chapters],
                "duration": duration,
                "loudness_lufs": loudness_lufs,
                "true_peak_dbtp": true_peak_dbtp,
            }
            audio_tmp.replace(self.directory / f"{key}.audio")
        except OSError:
            with contextlib.suppress(OSError):
                audio_tmp.unlink()
            return
        # The JSON goes last, so a half-written entry is never used.
        write_entry(self.directory / f"{key}.json", json.dumps(data, ensure_ascii=False).encode())
        self._evict()

    def indexed(self, script_key: str) -> str | None:
        """The render key last found for this script key (see `script_key`), if any."""
        found = read_entry(self.directory / "index" / script_key)
        return found[1].decode("ascii", "replace") if found is not None else None

    def index(self, script_key: str, render_key: str) -> None:
        """Note the render key of this script key (best effort)."""
        write_entry(self.directory / "index" / script_key, render_key.encode("ascii"))

    def clear(self) -> None:
        """Delete every cached render."""
        shutil.rmtree(self.directory, ignore_errors=True)

    def _evict(self) -> None:
        """Keep the `KEEP` most recently used renders; sweep stray temporaries."""
        try:
            metas = sorted(
                self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for meta in metas[KEEP:]:
                meta.unlink(missing_ok=True)
                meta.with_suffix(".audio").unlink(missing_ok=True)
            for tmp in self.directory.glob(".*.tmp"):
                if time.time() - tmp.stat().st_mtime > 3600:
                    tmp.unlink(missing_ok=True)
            index = sorted((self.directory / "index").glob("*"),
                           key=lambda p: p.stat().st_mtime, reverse=True)  # fmt: skip
            for entry in index[KEEP * 8 :]:
                entry.unlink(missing_ok=True)
        except OSError:
            return


def link_or_copy(source: Path, target: Path) -> None:
    """Make `target` (replaced if it exists) a hard link to `source`, else a copy of it: a
    finished briefing is tens of megabytes, which a link neither reads nor writes again."""
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without links
        shutil.copyfile(source, target)


def script_key(script: Script, options: RenderOptions, engine: str, version: str) -> str:
    """sha256 over everything the render key is made from, without laying out the plan.

    The plan (every line's spoken form, ~0.5 s for 20 articles) is a function of the script's
    stories, cast and lexicon, the pauses, the structure (with the date the intro will say)
    and the rate; the render key adds the output settings and the engine. With the package's
    own code in the key, `RenderCache.index` maps this to the render key, so a render that
    changed nothing finds its finished file without the plan.
    """
    from briefing.script.cache import code_fingerprint

    lexicon = script.lexicon
    structure = replace(options.structure, date=options.structure.date or dt.date.today())
    fields = [
        _FORMAT, code_fingerprint(), engine, version, options.sample_rate, options.rate,
        options.output.suffix.lower(), options.loudness, options.true_peak_dbtp,
        options.bitrate_kbps, options.channels, repr(options.tags), repr(structure),
        sorted(options.pause_overrides.items()), repr(script.config.pauses), repr(script.cast),
        sorted(lexicon.words.items()), sorted(lexicon.spell), sorted(lexicon.say),
    ]  # fmt: skip
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False, default=str).encode())
    for story in script.stories:
        digest.update(repr(story).encode())
    return digest.hexdigest()
