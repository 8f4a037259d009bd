"""The EPUB's XML documents, written with lxml: a story's XHTML, its SMIL media overlay, the nav.

Each story is one content document with an id on every sentence and one SMIL file with a `par`
per sentence whose clip is the sentence's cue in the audio. The spoken intro goes before the first
story, the outro after the last, as in the audio's chapters.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from briefing.output.readalong import Block, ReadAlong, Sentence, StoryText

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_OPS = "http://www.idpf.org/2007/ops"
SMIL = "http://www.w3.org/ns/SMIL"
AUDIO_NAME = "audio"
STYLESHEET = "style.css"
VOICE_STYLES = 6


def story_href(story: StoryText) -> str:
    """The content document's file name inside the EPUB's content folder."""
    return f"story-{story.number}.xhtml"


def smil_href(story: StoryText) -> str:
    """The story's media overlay's file name."""
    return f"story-{story.number}.smil"


def ms(seconds: float) -> int:
    """Whole milliseconds, rounded as the transcripts round them."""
    return max(0, round(seconds * 1000))


def clock_value(milliseconds: int) -> str:
    """A SMIL full clock value, h:mm:ss.fff."""
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def story_sentences(readalong: ReadAlong, index: int) -> list[Sentence]:
    """The sentences the index-th story's document shows, intro and outro included."""
    story = readalong.stories[index]
    blocks = _blocks_of(readalong, index)
    heading = list(story.heading)
    head_at = len(readalong.intro) if index == 0 else 0
    before = [s for b in blocks[:head_at] for run in b.runs for s in run.sentences]
    after = [s for b in blocks[head_at:] for run in b.runs for s in run.sentences]
    return before + heading + after


def _blocks_of(readalong: ReadAlong, index: int) -> list[Block]:
    blocks = list(readalong.stories[index].blocks)
    if index == 0:
        blocks = list(readalong.intro) + blocks
    if index == len(readalong.stories) - 1:
        blocks += list(readalong.outro)
    return blocks


def content_document(readalong: ReadAlong, index: int, language: str) -> bytes:
    """The index-th story's XHTML content document."""
    story = readalong.stories[index]
    html, body = _document(story.title, language)
    if index == 0:
        _sub(body, "h1", readalong.title)
        for block in readalong.intro:
            _block(body, block)
    section = _sub(body, "section", None, id=f"story-{story.number}")
    section.set(f"{{{EPUB_OPS}}}type", "chapter")
    section.set("aria-labelledby", f"story-{story.number}-h")
    heading = _sub(section, "h2", None if story.heading else story.title)
    heading.set("id", f"story-{story.number}-h")
    _sentences(heading, story.heading)
    for block in story.blocks:
        _block(section, block)
    if index == len(readalong.stories) - 1:
        for block in readalong.outro:
            _block(body, block)
    return _serialize(html, doctype="<!DOCTYPE html>")


def overlay_document(readalong: ReadAlong, index: int, audio: str) -> tuple[bytes, int]:
    """The index-th story's SMIL media overlay and its duration in milliseconds."""
    story = readalong.stories[index]
    smil = etree.Element(f"{{{SMIL}}}smil", nsmap={None: SMIL, "epub": EPUB_OPS})
    smil.set("version", "3.0")
    body = etree.SubElement(smil, f"{{{SMIL}}}body")
    seq = etree.SubElement(body, f"{{{SMIL}}}seq", id=f"seq-{story.number}")
    seq.set(f"{{{EPUB_OPS}}}textref", f"{story_href(story)}#story-{story.number}")
    seq.set(f"{{{EPUB_OPS}}}type", "chapter")
    total = 0
    for sentence in story_sentences(readalong, index):
        begin, end = ms(sentence.start), ms(sentence.end)
        par = etree.SubElement(seq, f"{{{SMIL}}}par", id=f"par-{sentence.id}")
        etree.SubElement(par, f"{{{SMIL}}}text", src=f"{story_href(story)}#{sentence.id}")
        clip = etree.SubElement(par, f"{{{SMIL}}}audio", src=audio)
        clip.set("clipBegin", clock_value(begin))
        clip.set("clipEnd", clock_value(end))
        total += end - begin
    return _serialize(smil), total


def nav_document(readalong: ReadAlong, language: str) -> bytes:
    """The navigation document: one entry per story."""
    html, body = _document(readalong.title, language)
    nav = _sub(body, "nav", None, id="toc")
    nav.set(f"{{{EPUB_OPS}}}type", "toc")
    nav.set("aria-labelledby", "toc-h")
    _sub(nav, "h1", "Stories", id="toc-h")
    ol = _sub(nav, "ol", None)
    for story in readalong.stories:
        li = _sub(ol, "li", None)
        _sub(li, "a", story.title, href=f"{story_href(story)}#story-{story.number}")
    return _serialize(html, doctype="<!DOCTYPE html>")


def _document(title: str, language: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": EPUB_OPS})
    html.set("lang", language)
    html.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    head = _sub(html, "head", None)
    _sub(head, "meta", None, charset="utf-8")
    _sub(head, "title", title)
    _sub(head, "link", None, rel="stylesheet", type="text/css", href=STYLESHEET)
    return html, _sub(html, "body", None)


def _block(parent: etree._Element, block: Block) -> None:
    if block.blockquote:
        parent = _sub(parent, "blockquote", None)
    p = _sub(parent, "p", None)
    if block.frame:
        p.set("class", "frame")
    for number, run in enumerate(block.runs):
        if number:
            _text(p, " ")
        if run.speaker is None:
            _sentences(p, run.sentences)
            continue
        voice = (run.voice - 1) % VOICE_STYLES + 1
        quote = _sub(p, "span", None, **{"class": f"quote voice-{voice}"})
        _sub(quote, "span", f"{run.speaker}:", **{"class": "who"})
        _text(quote, " “")
        _sentences(quote, run.sentences)
        _text(quote, "”")


def _sentences(parent: etree._Element, sentences: Sequence[Sentence]) -> None:
    for number, sentence in enumerate(sentences):
        if number:
            _text(parent, " ")
        _sub(parent, "span", sentence.text, id=sentence.id, **{"class": "s"})


def _sub(parent: etree._Element, tag: str, text: str | None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{XHTML}}}{tag}", **attributes)
    element.text = text
    return element


def _text(parent: etree._Element, text: str) -> None:
    """Append text after the parent's last child (lxml keeps it in that child's tail)."""
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _serialize(root: etree._Element, doctype: str | None = None) -> bytes:
    data: bytes = etree.tostring(
        root, xml_declaration=True, encoding="utf-8", pretty_print=False, doctype=doctype
    )
    return data
