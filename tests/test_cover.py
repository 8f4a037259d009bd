"""--cover: checked with Pillow (format, square, size, colour mode), embedded, read by mutagen."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3, PictureType
from PIL import Image
from typer.testing import CliRunner

from briefing.audio.cover import load_cover
from briefing.cli import app
from briefing.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "harbor-bridge.txt"
COVER = REPO / "examples" / "cover.png"
runner = CliRunner()


def _image(path: Path, size: tuple[int, int], mode: str = "RGB", fmt: str = "PNG") -> Path:
    Image.new(mode, size).save(path, format=fmt)
    return path


def test_example_cover_is_fit_and_small() -> None:
    cover = load_cover(COVER)
    assert (cover.width, cover.height, cover.mime) == (1400, 1400, "image/png")
    assert COVER.stat().st_size < 200_000


def test_jpeg_cover_is_accepted(tmp_path: Path) -> None:
    cover = load_cover(_image(tmp_path / "c.jpg", (3000, 3000), fmt="JPEG"))
    assert cover.mime == "image/jpeg" and cover.width == 3000


@pytest.mark.parametrize(
    ("size", "mode", "fmt", "needle"),
    [
        ((1400, 1500), "RGB", "PNG", "1400x1500 px is not square"),
        ((1000, 1000), "RGB", "PNG", "1000x1000 px is outside 1400-3000 px"),
        ((3200, 3200), "RGB", "PNG", "outside 1400-3000"),
        ((1400, 1400), "RGBA", "PNG", "colour mode RGBA"),
        ((1400, 1400), "P", "PNG", "colour mode P"),
        ((1400, 1400), "CMYK", "JPEG", "colour mode CMYK"),
        ((1400, 1400), "RGB", "GIF", "format GIF"),
    ],
)
def test_unfit_cover_names_the_problem(
    tmp_path: Path, size: tuple[int, int], mode: str, fmt: str, needle: str
) -> None:
    path = _image(tmp_path / f"cover.{fmt.lower()}", size, mode, fmt)
    with pytest.raises(ConfigError) as caught:
        load_cover(path)
    assert needle in caught.value.message and str(path) in caught.value.message


def test_corrupt_and_missing_covers(tmp_path: Path) -> None:
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(COVER.read_bytes()[:2000])
    with pytest.raises(ConfigError, match="not a readable image"):
        load_cover(truncated)
    with pytest.raises(ConfigError, match="cannot read"):
        load_cover(tmp_path / "missing.png")


def test_cover_embedded_as_apic_front_cover(tmp_path: Path) -> None:
    out = tmp_path / "b.mp3"
    args = ["render", str(EXAMPLE), "-o", str(out), "--engine", "fake", "-q"]
    result = runner.invoke(app, [*args, "--cover", str(COVER)])
    assert result.exit_code == 0, result.stderr
    (picture,) = ID3(out).getall("APIC")
    assert picture.type == PictureType.COVER_FRONT and picture.mime == "image/png"
    assert picture.data == COVER.read_bytes()


def test_bad_cover_fails_before_synthesis_without_output(tmp_path: Path) -> None:
    out = tmp_path / "b.mp3"
    small = _image(tmp_path / "small.png", (600, 600))
    args = ["render", str(EXAMPLE), "-o", str(out), "--engine", "fake"]
    result = runner.invoke(app, [*args, "--cover", str(small)])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert "600x600 px is outside 1400-3000 px" in line and "\n" not in line
    assert not out.exists()
