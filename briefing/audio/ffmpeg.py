"""Encode through ffmpeg (system binary, else the imageio-ffmpeg wheel's) for AAC, Opus and FLAC."""

from __future__ import annotations

import contextlib
import functools
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from briefing.errors import EncodeError
from briefing.model import Briefing, Chapter, Tags


@functools.cache
def find_ffmpeg() -> str | None:
    """Path of an ffmpeg binary: `ffmpeg` on PATH, else imageio-ffmpeg's if installed, else None."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # the wheel is optional; any failure means "not available"
        return None
    return exe


def _escape(value: str) -> str:
    """Escape a value for ffmpeg's ffmetadata format (=, ;, #, backslash and newlines)."""
    out = value.replace("\\", "\\\\")
    for ch in "=;#":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\\n")


def ffmetadata(tags: Tags, chapters: tuple[Chapter, ...]) -> str:
    """Tags and chapters in ffmpeg's ffmetadata format."""
    lines = [";FFMETADATA1"]
    lines += [f"{k}={_escape(v)}" for k, v in tags.present().items()]
    for ch in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={round(ch.start * 1000)}",
            f"END={round(ch.end * 1000)}",
            f"title={_escape(ch.title)}",
        ]
    return "\n".join(lines) + "\n"


def encode_with_ffmpeg(
    briefing: Briefing, out: Path, tags: Tags, codec_args: tuple[str, ...], channels: int = 1
) -> None:
    """Pipe the PCM into ffmpeg and write `out` with the given codec, tags and chapters."""
    stream_with_ffmpeg([briefing.pcm], briefing.sample_rate, out, tags, briefing.chapters,
                       codec_args, channels)  # fmt: skip


def stream_with_ffmpeg(
    chunks: Iterable[bytes],
    sample_rate: int,
    out: Path,
    tags: Tags,
    chapters: tuple[Chapter, ...],
    codec_args: tuple[str, ...],
    channels: int = 1,
) -> None:
    """Feed mono 16-bit PCM chunks to ffmpeg as they come; write `out` with tags and chapters.

    With `channels` above 1, ffmpeg copies the mono input into each channel at its level.
    """
    exe = find_ffmpeg()
    if exe is None:
        raise EncodeError(f"{out}: ffmpeg not found")
    with tempfile.TemporaryDirectory(prefix="briefing-") as tmpdir:
        meta = Path(tmpdir) / "metadata.txt"
        meta.write_text(ffmetadata(tags, chapters), encoding="utf-8")
        # ffmpeg's sample-rate flag means "input rate" before -i; the codec args may resample.
        cmd = [
            exe, "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0",
            "-i", str(meta), "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1",
            "-ac", str(channels), *codec_args, str(out),
        ]  # fmt: skip
        # stderr goes to a file: a pipe nobody reads while we write stdin could fill and stall.
        with (Path(tmpdir) / "stderr.txt").open("w+b") as err:
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=err, stderr=err)
            except OSError as e:
                raise EncodeError(f"{out}: cannot run ffmpeg: {e}") from e
            assert proc.stdin is not None
            try:
                with contextlib.suppress(BrokenPipeError):  # ffmpeg quit: its exit says why
                    for chunk in chunks:
                        proc.stdin.write(chunk)
                with contextlib.suppress(BrokenPipeError):
                    proc.stdin.close()
                code = proc.wait()
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines()
    if code != 0:
        raise EncodeError(f"{out}: ffmpeg failed: {lines[-1] if lines else code}")
