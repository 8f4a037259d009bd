"""Ingest of local sources: plain text, Markdown, encodings, stdin, directories and errors."""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import InputError
from briefing.model import Paragraph
from briefing.sources import IngestOptions, load_articles

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(path)


def error_for(sources: list[str], options: IngestOptions | None = None) -> InputError:
    with pytest.raises(InputError) as info:
        load_articles(sources, options or IngestOptions())
    message = str(info.value)
    assert "\n" not in message, "errors are one line"
    return info.value


def test_plain_text_headline_and_paragraphs(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "\n\nHeadline Here\nFirst line.\n\nSecond para.\nThird.\n")
    [article] = load_articles([path])
    assert article.title == "Headline Here"
    assert [p.text for p in article.paragraphs] == ["First line.", "Second para.", "Third."]
    assert article.source == path


def test_hard_wrapped_text_is_joined(tmp_path: Path) -> None:
    wrapped = (
        "Title\n\nThe council met on Tuesday evening to discuss the plan for a new\n"
        "barrier across the harbor mouth, which engineers say would protect\n"
        "thousands of homes from storm surges in the coming decades.\n\nNext.\n"
    )
    [article] = load_articles([write(tmp_path, "w.txt", wrapped)])
    assert len(article.paragraphs) == 2
    assert article.paragraphs[0].text.startswith("The council met")
    assert article.paragraphs[0].text.endswith("coming decades.")


def test_headline_only_article(tmp_path: Path) -> None:
    [article] = load_articles([write(tmp_path, "h.txt", "Just A Headline\n")])
    assert article.title == "Just A Headline"
    assert article.paragraphs == ()


def test_long_first_line_is_body_and_title_comes_from_name(tmp_path: Path) -> None:
    para = "word " * 20000
    [article] = load_articles([write(tmp_path, "long_story-2024.txt", para)])
    assert article.title == "Long story 2024"
    assert article.paragraphs == (Paragraph(" ".join(para.split())),)


@pytest.mark.parametrize(
    ("data", "title"),
    [
        ("\ufeffUTF-8 Headline ‘quoted’\nBody.".encode(), "UTF-8 Headline ‘quoted’"),
        ("UTF-16 Headline é\nBody.".encode("utf-16"), "UTF-16 Headline é"),
        ("UTF-16BE Headline é\nBody.".encode("utf-16-be"), "UTF-16BE Headline é"),
        ("\ufeffBOM BE é\nBody.".encode("utf-16-be"), "BOM BE é"),
        ("Cp1252 “Smart” Caf\u00e9 — Dash\nBody.".encode("cp1252"), "Cp1252 “Smart” Café — Dash"),
        ("Latin-1 Caf\u00e9\x81\nBody.".encode("latin-1"), "Latin-1 Café"),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, title: str) -> None:
    [article] = load_articles([write(tmp_path, "enc.txt", data)])
    assert article.title == title
    assert article.paragraphs == (Paragraph("Body."),)


def test_latin1_fixture() -> None:
    [article] = load_articles([str(FIXTURES / "latin1.txt")])
    assert article.title == "Café Owners Welcome New Rules"
    assert article.paragraphs[0].text == "The café “scene” grew by 5% this year — owners said."


def test_mostly_utf8_with_a_stray_byte(tmp_path: Path) -> None:
    data = "Résumé Headline\nNaïve café “text” here.\n".encode() + b"bad \xff byte.\n"
    [article] = load_articles([write(tmp_path, "mixed.txt", data)])
    assert article.title == "Résumé Headline"
    assert article.paragraphs[-1].text == "bad byte."


def test_control_characters_and_nuls_are_stripped(tmp_path: Path) -> None:
    data = "Head\x00line\x07\r\nBody\u00a0with\u200bnbsp\x1b and\tNUL\x00.\r\n".encode()
    [article] = load_articles([write(tmp_path, "c.txt", data)])
    assert article.title == "Headline"
    assert article.paragraphs == (Paragraph("Body withnbsp and NUL."),)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO("From Stdin\nBody text.\n".encode("utf-16")))
    monkeypatch.setattr(sys, "stdin", fake)
    [article] = load_articles(["-"])
    assert (article.title, article.source) == ("From Stdin", "-")
    assert article.paragraphs == (Paragraph("Body text."),)


def test_stdin_html_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (FIXTURES / "article.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [article] = load_articles(["-"])
    assert article.title == "Harbor Council Approves Tide Barrier Plan"


def test_directory_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "b.md", "# Second\n\nBody.")
    write(tmp_path, "a.txt", "First\nBody.")
    write(tmp_path, "c.png", b"\x89PNG\r\n")
    write(tmp_path, ".hidden.txt", "Hidden\nBody.")
    (tmp_path / "sub.txt").mkdir()
    articles = load_articles([str(tmp_path)])
    assert [a.title for a in articles] == ["First", "Second"]
    assert articles[0].source == f"{tmp_path}/a.txt"


def test_markdown() -> None:
    [article] = load_articles([str(FIXTURES / "newsletter.md")])
    assert article.title == "Weekend Briefing: The Tide Barrier Vote"
    assert article.byline == "Maria Okafor"
    assert article.paragraphs == (
        Paragraph(
            "PORT ELLIS — The council voted 7-2 to build the barrier, according to city "
            "records. The plan costs $62.5 million."
        ),
        Paragraph(
            "This is the most important decision this council has made in a generation. "
            "The water is not going to wait for us.",
            blockquote=True,
        ),
        Paragraph("Construction starts next spring."),
    )
    assert [(r.text, r.reason) for r in article.removed] == [("Workers on the seawall", "caption")]


def test_markdown_inline_markup_survives_where_it_is_text(tmp_path: Path) -> None:
    md = "Title line\n\nKeep snake_case and 5 * 3 and a_b_c, `code`, ~~old~~ and <b>bold</b>.\n"
    [article] = load_articles([write(tmp_path, "x.md", md)])
    assert article.title == "Title line"
    assert article.paragraphs[0].text == "Keep snake_case and 5 * 3 and a_b_c, code, old and bold."


def test_from_format_forces_the_reader(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "# Heading\n\n> quoted\n")
    [as_text] = load_articles([path])
    [as_md] = load_articles([path], IngestOptions(from_format="markdown"))
    assert as_text.title == "# Heading"
    assert as_md.title == "Heading"
    assert as_md.paragraphs == (Paragraph("quoted", blockquote=True),)


# --- errors: one line, what and where -------------------------------------------------------


def test_missing_file() -> None:
    assert str(error_for(["nope.txt"])) == "nope.txt: no such file"
    error = error_for(["example.com/story"])
    assert error.hint == "to read a web page, give the full URL: https://example.com/story"


def test_bad_max_items(tmp_path: Path) -> None:
    error = error_for([write(tmp_path, "a.txt", "x")], IngestOptions(max_items=0))
    assert str(error) == "--max-items: must be at least 1, not 0"


def test_directory_without_articles(tmp_path: Path) -> None:
    write(tmp_path, "photo.png", b"\x89PNG")
    message = str(error_for([str(tmp_path)]))
    assert message == (
        f"{tmp_path}: no article files (.txt, .md, .html, .xml, .rss, .atom) in this directory"
    )


@pytest.mark.parametrize("data", [b"", b"   \n\t\n  \r\n"])
def test_empty_and_whitespace_only(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    assert str(error_for([path])).startswith(f"{path}: the file is empty")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(200), "a JPEG image"),
        (b"%PDF-1.7\n...", "a PDF document"),
        (os.urandom(4096), "binary content"),
        (bytes(range(256)) * 16, "binary content"),
    ],
)
def test_binary_files(tmp_path: Path, data: bytes, kind: str) -> None:
    path = write(tmp_path, "photo.png", data)
    error = error_for([path])
    assert str(error) == f"{path}: not a text article ({kind})"
    assert error.hint


def test_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"Title\n" + b"word " * (5 * 1024 * 1024))
    error = error_for([path], IngestOptions(max_bytes=20 * 1024 * 1024 // 4))
    assert str(error) == f"{path}: 25 MB is over the 5 MB limit (raise it with --max-size)"


def test_size_limit_default_is_20_mb(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(int(25.3 * 1024 * 1024))  # sparse: no 25 MB written
    message = str(error_for([str(path)]))
    assert message == f"{path}: 25.3 MB is over the 20 MB limit (raise it with --max-size)"


def test_stdin_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 1024 * 1024)))
    message = str(error_for(["-"], IngestOptions(max_bytes=1024 * 1024 // 2)))
    assert message == "-: the content is over the 0.5 MB limit (raise it with --max-size)"


def test_unknown_forced_format(tmp_path: Path) -> None:
    error = error_for([write(tmp_path, "a.txt", "x")], IngestOptions(from_format="pdf"))
    assert str(error) == "--from pdf: unknown format"


def test_not_an_article_page() -> None:
    message = str(error_for([str(FIXTURES / "nav-only.html")]))
    assert message.endswith("nav-only.html: not an article (no article text found on the page)")


def test_five_megabyte_article_is_fast(tmp_path: Path) -> None:
    para = "The council met on Tuesday, and Gen. Smith said “it is fine” to reporters. "
    text = "Big Story\n\n" + "\n\n".join(para * 20 for _ in range(3500))
    path = write(tmp_path, "big.txt", text)
    assert len(text) > 5_000_000
    start = time.perf_counter()
    [article] = load_articles([path])
    assert time.perf_counter() - start < 10
    assert len(article.paragraphs) == 3500


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.html", "a.rss"]))
def test_any_bytes_give_articles_or_one_input_error(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            articles = load_articles([str(path)])
        except InputError as error:
            assert "\n" not in str(error)
            assert str(error).startswith(str(path))
        else:
            assert all(a.title for a in articles)
