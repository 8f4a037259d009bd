"""Write tags and chapters into an encoded file with mutagen (ID3v2.3 CHAP/CTOC for MP3)."""

# mutagen's frame and file classes carry no annotations.
# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from mutagen import id3
from mutagen.flac import FLAC
from mutagen.id3._tags import save_frame
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus
from mutagen.wave import _WaveID3

from briefing.errors import ConfigError
from briefing.model import Chapter, Tags

ID3_VERSION = 3
CTOC_MAX = 255
"""Children one CTOC frame can list (its entry count is one byte)."""
"""ID3v2.3: CHAP/CTOC exist in both, and 2.3 is the version older players and iTunes read best."""


class _InsertionOrder:
    """Write ID3 frames in the order they were added.

    mutagen sorts frames by size, which scrambles CHAP frames; ffmpeg and several podcast apps
    list chapters in file order rather than by CTOC, so the order has to be the chapters' own.
    """

    def _write(self, config: object) -> bytearray:
        frames = cast(id3.ID3, self).values()
        return bytearray().join(save_frame(f, config=config) for f in frames)


class _OrderedID3(_InsertionOrder, id3.ID3):
    """ID3 tag for MP3 files, frames in insertion order."""


class _OrderedWaveID3(_InsertionOrder, _WaveID3):
    """ID3 chunk for WAV files, frames in insertion order."""


def _id3_frames(tags: Tags, chapters: tuple[Chapter, ...]) -> list[id3.Frame]:
    """Text frames plus one CHAP per chapter and a top-level, ordered CTOC listing them."""
    enc = id3.Encoding.UTF8
    frames: list[id3.Frame] = [id3.TIT2(encoding=enc, text=[tags.title])]
    if tags.artist:
        frames += [id3.TPE1(encoding=enc, text=[tags.artist])]
    if tags.album:
        frames += [id3.TALB(encoding=enc, text=[tags.album])]
    if tags.date:
        frames += [id3.TDRC(encoding=enc, text=[tags.date])]
    if tags.genre:
        frames += [id3.TCON(encoding=enc, text=[tags.genre])]
    if tags.comment:
        frames += [id3.COMM(encoding=enc, lang="eng", desc="", text=[tags.comment])]
    if tags.cover:
        # type 3: the front cover, the picture players and podcast apps show.
        frames += [id3.APIC(encoding=enc, mime=tags.cover.mime, type=id3.PictureType.COVER_FRONT,
                            desc="Cover", data=tags.cover.data)]  # fmt: skip
    ids = [f"chp{i}" for i in range(len(chapters))]
    for cid, ch in zip(ids, chapters, strict=True):
        frames.append(
            id3.CHAP(
                element_id=cid,
                start_time=round(ch.start * 1000),
                end_time=round(ch.end * 1000),
                # 0xFFFFFFFF means "no byte offset": players seek by time.
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[id3.TIT2(encoding=enc, text=[ch.title])],
            )
        )
    if chapters:
        frames += _tables_of_contents(ids)
    return frames


def _tables_of_contents(ids: list[str]) -> list[id3.Frame]:
    """The top-level, ordered CTOC; over CTOC_MAX chapters, it lists ordered sub-tables instead.

    A CTOC counts its children in one byte: 256 or more chapters cannot be one table. The ID3
    chapter specification lets a table list other tables, so the chapters are split into
    sub-tables of at most CTOC_MAX, in order (players that read CHAP frames alone see them all).
    """
    enc = id3.Encoding.UTF8
    flags = id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED
    title = [id3.TIT2(encoding=enc, text=["Chapters"])]
    if len(ids) <= CTOC_MAX:
        return [id3.CTOC(element_id="toc", flags=flags, child_element_ids=ids, sub_frames=title)]
    groups = [ids[i : i + CTOC_MAX] for i in range(0, len(ids), CTOC_MAX)]
    if len(groups) > CTOC_MAX:
        raise ConfigError(f"{len(ids)} chapters: ID3 holds at most {CTOC_MAX * CTOC_MAX}")
    sub_ids = [f"toc{n}" for n in range(len(groups))]
    subs = [
        id3.CTOC(element_id=sub_id, flags=id3.CTOCFlags.ORDERED, child_element_ids=group,
                 sub_frames=[id3.TIT2(encoding=enc, text=[f"Chapters {n + 1}"])])
        for n, (sub_id, group) in enumerate(zip(sub_ids, groups, strict=True))
    ]  # fmt: skip
    top = id3.CTOC(element_id="toc", flags=flags, child_element_ids=sub_ids, sub_frames=title)
    return [top, *subs]


def _tag_mp3(path: Path, tags: Tags, chapters: tuple[Chapter, ...]) -> None:
    """Prepend an ID3v2 tag with text frames and chapters."""
    tag = _OrderedID3()
    for frame in _id3_frames(tags, chapters):
        tag.add(frame)
    tag.save(path, v2_version=ID3_VERSION)


def _tag_wav(path: Path, tags: Tags, chapters: tuple[Chapter, ...]) -> None:
    """Add an `id3 ` chunk (mutagen's WAV tagging; players that ignore it still play the file)."""
    tag = _OrderedWaveID3()
    for frame in _id3_frames(tags, chapters):
        tag.add(frame)
    tag.save(path, v2_version=ID3_VERSION)


def _tag_m4a(path: Path, tags: Tags) -> None:
    """iTunes-style MP4 atoms (ffmpeg already wrote the chapters)."""
    mp4 = MP4(path)
    if mp4.tags is None:
        mp4.add_tags()
    assert mp4.tags is not None
    atoms = {
        "\xa9nam": tags.title,
        "\xa9ART": tags.artist,
        "\xa9alb": tags.album,
        "\xa9day": tags.date,
        "\xa9gen": tags.genre,
        "\xa9cmt": tags.comment,
    }
    for key, value in atoms.items():
        if value:
            mp4.tags[key] = [value]
    if tags.cover:
        kind = MP4Cover.FORMAT_PNG if tags.cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        mp4.tags["covr"] = [MP4Cover(tags.cover.data, imageformat=kind)]
    mp4.save()


def _tag_vorbis(path: Path, ext: str, tags: Tags, chapters: tuple[Chapter, ...]) -> None:
    """Vorbis comments, chapters in the CHAPTERnnn / CHAPTERnnnNAME convention."""
    audio = FLAC(path) if ext == ".flac" else OggOpus(path)
    if audio.tags is None:
        audio.add_tags()
    # FLAC's tag attribute is typed as a union with metadata blocks; it is a Vorbis comment here.
    comments: Any = audio.tags
    for key, value in tags.present().items():
        comments[key] = [value]
    for i, ch in enumerate(chapters):
        ms = round(ch.start * 1000)
        stamp = (
            f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
        )
        comments[f"CHAPTER{i:03d}"] = [stamp]
        comments[f"CHAPTER{i:03d}NAME"] = [ch.title]
    audio.save()


def write_tags(path: Path, ext: str, tags: Tags, chapters: tuple[Chapter, ...]) -> None:
    """Write `tags` and `chapters` into the file at `path`, encoded as `ext`."""
    if ext == ".mp3":
        _tag_mp3(path, tags, chapters)
    elif ext == ".wav":
        _tag_wav(path, tags, chapters)
    elif ext == ".m4a":
        _tag_m4a(path, tags)
    elif ext in (".flac", ".ogg", ".opus"):
        _tag_vorbis(path, ext, tags, chapters)
