"""The EPUB 3 talking book: epubcheck accepts it, and its Media Overlays are the VTT's cues.

The book is the one `briefing render examples/*.txt -o b.mp3 --epub b.epub` writes (fake engine);
it is read back with zipfile and lxml, and checked by epubcheck (the Debian package's jar).
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from readalong_helpers import (
    EPUBCHECK_JAR,
    EXAMPLES,
    Rendered,
    VttCue,
    epubcheck_available,
    need,
    read_vtt,
    render_examples,
)
from typer.testing import CliRunner

from briefing.cli import app

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "smil": "http://www.w3.org/ns/SMIL",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
TOLERANCE = 0.05


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return render_examples(tmp_path_factory.mktemp("epub"))


@pytest.fixture(scope="module")
def cues(rendered: Rendered) -> list[VttCue]:
    return read_vtt(rendered.vtt)


def _xml(book: zipfile.ZipFile, name: str) -> etree._Element:
    root: etree._Element = etree.fromstring(book.read(name))
    return root


def _clock(value: str) -> float:
    hours, minutes, seconds = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _overlays(epub: Path) -> list[tuple[str, float, float, str]]:
    """(id, clipBegin, clipEnd, the sentence's text) for every par, in spine order."""
    with zipfile.ZipFile(epub) as book:
        package = _xml(book, "EPUB/package.opf")
        items = {i.get("id"): i for i in package.iterfind(".//opf:item", NS)}
        pars = []
        for ref in package.iterfind(".//opf:itemref", NS):
            document = items[ref.get("idref")]
            overlay = items[document.get("media-overlay")]
            text = _xml(book, f"EPUB/{document.get('href')}")
            spans = {s.get("id"): "".join(s.itertext()) for s in text.iterfind(".//x:span", NS)}
            for par in _xml(book, f"EPUB/{overlay.get('href')}").iterfind(".//smil:par", NS):
                src = par.find("smil:text", NS).get("src")
                audio = par.find("smil:audio", NS)
                href, fragment = src.split("#")
                assert href == document.get("href")
                pars.append((fragment, _clock(audio.get("clipBegin")),
                             _clock(audio.get("clipEnd")), spans[fragment]))  # fmt: skip
    return pars


def test_epubcheck_finds_no_errors(rendered: Rendered, tmp_path: Path) -> None:
    need(epubcheck_available(), f"needs java and epubcheck at {EPUBCHECK_JAR}")
    report = tmp_path / "epubcheck.json"
    run = subprocess.run(
        ["java", "-jar", EPUBCHECK_JAR, str(rendered.epub), "--json", str(report)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    print(run.stdout, run.stderr)
    messages = json.loads(report.read_text())["messages"]
    assert [m for m in messages if m["severity"] in ("FATAL", "ERROR")] == []
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No errors or warnings detected" in run.stdout + run.stderr


def test_every_cue_is_one_par_with_the_cues_times(rendered: Rendered, cues: list[VttCue]) -> None:
    pars = _overlays(rendered.epub)
    assert len(pars) == len(cues)
    for (ident, begin, end, text), cue in zip(pars, cues, strict=True):
        assert abs(begin - cue.start) <= TOLERANCE, (ident, begin, cue)
        assert abs(end - cue.end) <= TOLERANCE, (ident, end, cue)
        assert text == cue.text
    assert len({ident for ident, *_ in pars}) == len(pars)


def test_durations_active_class_nav_and_audio(rendered: Rendered) -> None:
    with zipfile.ZipFile(rendered.epub) as book:
        first = book.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert book.read("mimetype") == b"application/epub+zip"
        package = _xml(book, "EPUB/package.opf")
        meta = package.findall(".//opf:meta", NS)
        durations = {m.get("refines"): _clock(m.text) for m in meta
                     if m.get("property") == "media:duration"}  # fmt: skip
        overlays = [i for i in package.iterfind(".//opf:item", NS)
                    if i.get("media-type") == "application/smil+xml"]  # fmt: skip
        assert len(overlays) == 3
        for overlay in overlays:
            clips = _xml(book, f"EPUB/{overlay.get('href')}").iterfind(".//smil:audio", NS)
            spoken = sum(_clock(a.get("clipEnd")) - _clock(a.get("clipBegin")) for a in clips)
            assert durations[f"#{overlay.get('id')}"] == pytest.approx(spoken, abs=0.002)
        assert durations[None] == pytest.approx(sum(v for k, v in durations.items() if k), abs=1e-6)
        active = [m.text for m in meta if m.get("property") == "media:active-class"]
        assert active == ["-epub-media-overlay-active"]
        assert b".-epub-media-overlay-active" in book.read("EPUB/style.css")
        nav = _xml(book, "EPUB/nav.xhtml")
        entries = [a.text for a in nav.iterfind(".//x:nav[@epub:type='toc']//x:a", NS)]
        titles = [line.splitlines()[0] for line in (p.read_text() for p in EXAMPLES)]
        assert sorted(entries) == sorted(t.strip() for t in titles)
        audio = [
            i for i in package.iterfind(".//opf:item", NS) if i.get("media-type") == "audio/mpeg"
        ]
        assert len(audio) == 1
        assert book.read(f"EPUB/{audio[0].get('href')}") == rendered.audio.read_bytes()


def test_quotes_name_their_speakers_as_the_transcript_does(
    rendered: Rendered, cues: list[VttCue]
) -> None:
    with zipfile.ZipFile(rendered.epub) as book:
        named: dict[str, str] = {}
        for name in book.namelist():
            if re.fullmatch(r"EPUB/story-\d+\.xhtml", name):
                for quote in _xml(book, name).iterfind(".//x:span[@class]", NS):
                    if "quote" in quote.get("class", "").split():
                        who = quote.find("x:span[@class='who']", NS).text.rstrip(":")
                        named.update(
                            {s.get("id"): who for s in quote.iterfind(".//x:span[@id]", NS)}
                        )
    spoken_by = {
        f"s{i + 1}": cue.speaker for i, cue in enumerate(cues) if cue.speaker != "Narrator"
    }
    assert named == spoken_by
    assert len(set(named.values())) >= 3


def test_o_epub_makes_the_book_alone(tmp_path: Path) -> None:
    book = tmp_path / "briefing.epub"
    args = ["render", str(EXAMPLES[0]), "-o", str(book), "--engine", "fake", "-q",
            "--cache-dir", str(tmp_path / "cache")]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.epub", "cache"]
    with zipfile.ZipFile(book) as opened:
        audio = opened.read("EPUB/audio.mp3")
    assert audio[:3] == b"ID3" or audio[0] == 0xFF
    assert len(_overlays(book)) > 5


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "{d}/b.wav", "--epub", "{d}/b.epub"], "MP3 or M4A"),
        (["-o", "{d}/b.mp3", "--epub", "{d}/b.zip"], "must be an .epub"),
        (["-o", "{d}/b.mp3", "--page", "{d}/b.txt"], "must be an .html"),
        (["-o", "{d}/b.epub", "--page", "{d}/b.html"], "need an audio file"),
        (["-o", "{d}/b.mp3", "--epub", "{d}/missing/b.epub"], "does not exist"),
    ],
)
def test_bad_page_or_epub_paths_fail_before_rendering(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    args = ["render", str(EXAMPLES[0]), "--engine", "fake", *(a.format(d=tmp_path) for a in extra)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert list(tmp_path.iterdir()) == []
