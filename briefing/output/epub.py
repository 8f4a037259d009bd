"""The EPUB 3 talking book: the briefing's text with Media Overlays and its audio inside.

One content document and one SMIL overlay per story (see `epub_docs`), a nav with one entry per
story, a package document with `media:duration` per overlay and in total and the
`media:active-class` reading systems put on the spoken sentence. The output is repeatable: the
identifier comes from the content, and the zip's timestamps and the modified date from the
briefing's date.
"""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
import zipfile
from pathlib import Path

from lxml import etree

from briefing.atomic import atomic_path, check_writable_target
from briefing.errors import ConfigError, EncodeError
from briefing.model import Tags
from briefing.output.epub_docs import (
    AUDIO_NAME,
    STYLESHEET,
    clock_value,
    content_document,
    nav_document,
    overlay_document,
    smil_href,
    story_href,
)
from briefing.output.readalong import ReadAlong

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
ACTIVE_CLASS = "-epub-media-overlay-active"
AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4"}
"""Audio formats EPUB 3 reading systems must play (core media types)."""


def check_epub_path(path: Path, audio: Path) -> None:
    """ConfigError unless `path` is a writable .epub and `audio` a format EPUB readers play."""
    if path.suffix.lower() != ".epub":
        raise ConfigError(f"{path}: the talking book must be an .epub file")
    if audio.suffix.lower() not in AUDIO_TYPES:
        raise ConfigError(
            f"{path}: an EPUB's audio must be MP3 or M4A, not {audio.suffix or 'none'!r}",
            hint="render with -o FILE.mp3 (or -o FILE.epub alone)",
        )
    check_writable_target(path)


def write_epub(
    readalong: ReadAlong, path: Path, audio: Path, tags: Tags, language: str = "en"
) -> None:
    """Write the EPUB to `path` atomically, with the audio file `audio` inside it."""
    from importlib.resources import files

    audio_name = AUDIO_NAME + audio.suffix.lower()
    style = (files("briefing.output") / "templates" / "epub.css").read_bytes()
    documents: list[tuple[str, bytes]] = [("nav.xhtml", nav_document(readalong, language))]
    durations: list[int] = []
    for index, story in enumerate(readalong.stories):
        overlay, duration = overlay_document(readalong, index, audio_name)
        documents.append((story_href(story), content_document(readalong, index, language)))
        documents.append((smil_href(story), overlay))
        durations.append(duration)
    package = _package(readalong, tags, language, audio_name, durations)
    try:
        with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as book:
            when = _zip_time(tags)
            # The mimetype comes first and uncompressed: readers identify the file by it.
            _add(book, "mimetype", b"application/epub+zip", when, zipfile.ZIP_STORED)
            _add(book, "META-INF/container.xml", _container(), when)
            _add(book, "EPUB/package.opf", package, when)
            _add(book, f"EPUB/{STYLESHEET}", style, when)
            for name, data in documents:
                _add(book, f"EPUB/{name}", data, when)
            _add_file(book, f"EPUB/{audio_name}", audio, when)
    except OSError as e:
        raise EncodeError(f"{path}: cannot write the EPUB: {e.strerror or e}") from e


def _package(
    readalong: ReadAlong, tags: Tags, language: str, audio_name: str, durations: list[int]
) -> bytes:
    root = etree.Element(f"{{{OPF}}}package", nsmap={None: OPF})
    root.set("version", "3.0")
    root.set("unique-identifier", "uid")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    metadata = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})

    def dc(name: str, text: str, **attributes: str) -> None:
        etree.SubElement(metadata, f"{{{DC}}}{name}", **attributes).text = text

    def meta(prop: str, text: str, refines: str | None = None) -> None:
        element = etree.SubElement(metadata, f"{{{OPF}}}meta", property=prop)
        if refines:
            element.set("refines", refines)
        element.text = text

    dc("identifier", f"urn:uuid:{_identifier(readalong)}", id="uid")
    dc("title", readalong.title)
    dc("language", language)
    if tags.artist:
        dc("creator", tags.artist)
    if tags.date:
        dc("date", tags.date)
    meta("dcterms:modified", f"{_date(tags):%Y-%m-%d}T00:00:00Z")
    meta("media:active-class", ACTIVE_CLASS)
    meta("media:duration", clock_value(sum(durations)))
    for story, duration in zip(readalong.stories, durations, strict=True):
        meta("media:duration", clock_value(duration), refines=f"#mo-{story.number}")
    for mode in ("textual", "auditory"):
        meta("schema:accessMode", mode)
        meta("schema:accessModeSufficient", mode)
    for feature in ("synchronizedAudioText", "structuralNavigation", "tableOfContents"):
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta(
        "schema:accessibilitySummary",
        "The full text of every story, read aloud in sync: each sentence is highlighted as "
        "it is spoken, and each quote is marked with the name of its speaker.",
    )
    manifest = etree.SubElement(root, f"{{{OPF}}}manifest")

    def item(ident: str, href: str, media_type: str, **attributes: str) -> None:
        etree.SubElement(manifest, f"{{{OPF}}}item", id=ident, href=href,
                         **{"media-type": media_type}, **attributes)  # fmt: skip

    item("nav", "nav.xhtml", "application/xhtml+xml", properties="nav")
    item("style", STYLESHEET, "text/css")
    item("audio", audio_name, AUDIO_TYPES[Path(audio_name).suffix])
    for story in readalong.stories:
        item(f"story-{story.number}", story_href(story), "application/xhtml+xml",
             **{"media-overlay": f"mo-{story.number}"})  # fmt: skip
        item(f"mo-{story.number}", smil_href(story), "application/smil+xml")
    spine = etree.SubElement(root, f"{{{OPF}}}spine")
    for story in readalong.stories:
        etree.SubElement(spine, f"{{{OPF}}}itemref", idref=f"story-{story.number}")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return data


def _container() -> bytes:
    root = etree.Element(f"{{{CONTAINER}}}container", nsmap={None: CONTAINER}, version="1.0")
    rootfiles = etree.SubElement(root, f"{{{CONTAINER}}}rootfiles")
    rootfile = etree.SubElement(rootfiles, f"{{{CONTAINER}}}rootfile")
    rootfile.set("full-path", "EPUB/package.opf")
    rootfile.set("media-type", "application/oebps-package+xml")
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    return data


def _identifier(readalong: ReadAlong) -> uuid.UUID:
    """The same briefing (title, text, times) always gets the same identifier."""
    words = [readalong.title, *(f"{s.start:.3f} {s.text}" for s in readalong.sentences())]
    return uuid.uuid5(uuid.NAMESPACE_URL, "briefing:" + "\n".join(words))


def _date(tags: Tags) -> dt.date:
    try:
        return dt.date.fromisoformat(tags.date or "")
    except ValueError:
        return dt.date(2000, 1, 1)


def _zip_time(tags: Tags) -> tuple[int, int, int, int, int, int]:
    when = max(_date(tags), dt.date(1980, 1, 1))  # zip times start in 1980
    return (when.year, when.month, when.day, 0, 0, 0)


def _add_file(
    book: zipfile.ZipFile, name: str, source: Path, when: tuple[int, int, int, int, int, int]
) -> None:
    """Copy a file in as it is (stored: MP3 does not deflate), streamed, not read whole."""
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    with source.open("rb") as data, book.open(info, "w") as entry:
        shutil.copyfileobj(data, entry, 1 << 20)


def _add(
    book: zipfile.ZipFile,
    name: str,
    data: bytes,
    when: tuple[int, int, int, int, int, int],
    compression: int = zipfile.ZIP_DEFLATED,
) -> None:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    book.writestr(info, data)
