"""Damaged cache entries are dropped and rebuilt, never served (issue 16, bug 1)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.output.options import RenderOptions
from briefing.output.render import RenderResult, render
from briefing.output.timeline import Structure
from briefing.pipeline import ScriptOptions, build_script
from briefing.script.cache import ScriptCache

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*.txt"))[:2]
FAKE = ScriptOptions(engine="fake")
STRUCTURE = Structure(date=dt.date(2026, 5, 1))


def _render(sources: list[str], out: Path, cache: Path) -> RenderResult:
    options = RenderOptions(output=out, structure=STRUCTURE, cache_dir=cache)
    return render(build_script(sources, FAKE), options, "fake")


def _randomize_body(path: Path, keep: int) -> None:
    """Same size, same header, random bytes after it."""
    data = path.read_bytes()
    noise = random.Random(path.name).randbytes(len(data) - keep)
    path.write_bytes(data[:keep] + noise)


def _cut_in_half(path: Path, keep: int) -> None:
    del keep
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


Damage = Callable[[Path, int], None]


def _cold(tmp_path: Path) -> tuple[list[str], Path, bytes]:
    sources = [str(p) for p in EXAMPLES]
    cache = tmp_path / "cache"
    _render(sources, tmp_path / "cold.mp3", cache)
    return sources, cache, (tmp_path / "cold.mp3").read_bytes()


@pytest.mark.parametrize("damage", [_randomize_body, _cut_in_half])
def test_damaged_sections_are_encoded_again(tmp_path: Path, damage: Damage) -> None:
    sources, cache, cold = _cold(tmp_path)
    shutil.rmtree(cache / "renders")
    sections = sorted((cache / "sections").rglob("*.sec"))
    assert sections
    for path in sections:
        damage(path, 16)
    again = _render(sources, tmp_path / "again.mp3", cache)
    assert again.sections_encoded == len(sections)
    assert (tmp_path / "again.mp3").read_bytes() == cold
    # What was stored as the finished render is the good file, not the damaged one.
    third = _render(sources, tmp_path / "third.mp3", cache)
    assert third.reused_output and (tmp_path / "third.mp3").read_bytes() == cold


def test_clips_with_random_audio_behind_a_good_header_are_synthesized_again(
    tmp_path: Path,
) -> None:
    sources, cache, cold = _cold(tmp_path)
    shutil.rmtree(cache / "renders")
    shutil.rmtree(cache / "sections")
    clips = sorted((cache / "clips").rglob("*.clip"))
    for path in clips:
        _randomize_body(path, 16)
    _render(sources, tmp_path / "again.mp3", cache)
    assert (tmp_path / "again.mp3").read_bytes() == cold
    from briefing.storage import read_entry

    # Each damaged clip was deleted and made again: the entries read back whole now.
    assert all(read_entry(path, 16) is not None for path in clips)


def test_a_finished_render_of_random_bytes_is_not_copied_out(tmp_path: Path) -> None:
    sources, cache, cold = _cold(tmp_path)
    (audio,) = (cache / "renders").glob("*.audio")
    _randomize_body(audio, 0)
    again = _render(sources, tmp_path / "again.mp3", cache)
    assert not again.reused_output
    assert (tmp_path / "again.mp3").read_bytes() == cold


def test_a_damaged_script_entry_is_rebuilt(tmp_path: Path) -> None:
    sources = [str(p) for p in EXAMPLES[:1]]
    options = ScriptOptions(engine="fake", cache_dir=tmp_path / "cache")
    first = build_script(sources, options)
    (entry,) = ScriptCache(tmp_path / "cache").directory.glob("*.json")
    text = entry.read_bytes()
    # Still valid JSON of the same shape, one word changed: only the checksum can tell.
    word = first.stories[0].segments[-1].text.split()[-1].encode()
    entry.write_bytes(text.replace(word, b"X" * len(word)))
    again = build_script(sources, options)
    assert again.stories == first.stories


def test_entries_round_trip_and_any_flipped_byte_is_a_miss(tmp_path: Path) -> None:
    from briefing.storage import read_entry, write_entry

    path = tmp_path / "e.bin"
    assert write_entry(path, b"head", b"body" * 100)
    assert read_entry(path, 4) == (b"head", b"body" * 100)
    data = bytearray(path.read_bytes())
    for i in (0, 5, len(data) - 1):
        damaged = bytearray(data)
        damaged[i] ^= 0x01
        path.write_bytes(bytes(damaged))
        assert read_entry(path, 4) is None
        assert not path.exists()  # dropped, so it is made again


def test_an_entry_of_the_old_blake2b_trailer_is_a_miss(tmp_path: Path) -> None:
    import hashlib
    import struct

    from briefing.storage import read_entry

    # The trailer entries had before CRC-32: "BSUM" and a 16-byte BLAKE2b digest.
    path = tmp_path / "old.bin"
    body = b"head" + b"body" * 100
    digest = hashlib.blake2b(body, digest_size=16).digest()
    path.write_bytes(body + struct.pack("<4s16s", b"BSUM", digest))
    assert read_entry(path, 4) is None
    assert not path.exists()


def test_a_burst_of_damage_or_a_cut_under_the_crc_is_a_miss(tmp_path: Path) -> None:
    from briefing.storage import CHECK_BYTES, read_entry, write_entry

    path = tmp_path / "e.bin"
    body = random.Random(1).randbytes(1 << 20)
    for damage in ("burst", "cut", "zeroed"):
        assert write_entry(path, b"head", body)
        data = bytearray(path.read_bytes())
        if damage == "burst":
            data[5000:5004] = bytes(b ^ 0xFF for b in data[5000:5004])
        elif damage == "cut":
            data = data[: 4 + len(body) // 2] + data[-CHECK_BYTES:]  # trailer kept, body cut
        else:
            data[4096:8192] = bytes(4096)
        path.write_bytes(bytes(data))
        assert read_entry(path, 4) is None, damage
        assert not path.exists()
