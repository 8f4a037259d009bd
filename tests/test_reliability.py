"""Issue 6 at the CLI: bad input fails cleanly, odd input succeeds, nothing is lost."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.output.timeline import Line, Structure, plan_briefing
from briefing.pipeline import ScriptOptions, build_script

FAKE = ["--engine", "fake"]
runner = CliRunner()


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_missing_engine_backend_is_exit_3_before_any_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\nA paragraph of narration.\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_FAKE_FAIL", "missing:narration")
    out = tmp_path / "b.wav"
    result = runner.invoke(app, ["render", str(article), "-o", str(out), "--no-cache", *FAKE])
    assert result.exit_code == 3, result.output
    _one_line(result.stderr)
    assert not out.exists()


def test_headline_only_article_renders(tmp_path: Path) -> None:
    article = tmp_path / "only.txt"
    article.write_text("Storm Warning Lifted for the Coast\n", encoding="utf-8")
    out = tmp_path / "b.wav"
    result = runner.invoke(app, ["render", str(article), "-o", str(out), "--no-intro", *FAKE])
    assert result.exit_code == 0, result.stderr
    with wave.open(str(out)) as audio:
        assert audio.getnframes() > 0


def test_unpunctuated_100k_paragraph_reaches_the_engine_in_pieces(tmp_path: Path) -> None:
    words = [f"word{i}" for i in range(15_000)]
    article = tmp_path / "long.txt"
    article.write_text("A Very Long Paragraph\n\n" + " ".join(words) + "\n", encoding="utf-8")
    script = build_script([str(article)], ScriptOptions(engine="fake"))
    plan = plan_briefing(
        script.stories,
        script.cast,
        script.config.pauses,
        Structure(intro=False, outro=False),
        175,
        script.lexicon,
    )
    lines = [item for item in plan if isinstance(item, Line)]
    assert max(len(line.utterance.text) for line in lines) <= 400
    spoken_words = " ".join(line.text for line in lines).split()
    assert spoken_words == ["A", "Very", "Long", "Paragraph", *words]
    out = tmp_path / "b.wav"
    result = runner.invoke(app, ["render", str(article), "-o", str(out), "--quiet", *FAKE])
    assert result.exit_code == 0, result.stderr


def test_quote_never_closed_across_60_paragraphs_loses_nothing(tmp_path: Path) -> None:
    paragraphs = ["“This quote opens here and the writer never closes it,” she began"]
    paragraphs += [f"Paragraph {i} says something about item {i}." for i in range(60)]
    paragraphs[1] = "“" + paragraphs[1]
    article = tmp_path / "open.txt"
    article.write_text("Unclosed\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["script", str(article), "--format", "json", *FAKE])
    assert result.exit_code == 0, result.stderr
    segments = json.loads(result.stdout)["stories"][0]["segments"]
    said = " ".join(s["text"] for s in segments).replace("“", "").split()
    expected = ("Unclosed " + " ".join(paragraphs)).replace("“", "").replace("”", "").split()
    assert [w.strip("”") for w in said] == [w.strip("”") for w in expected]


@pytest.mark.timeout(120)  # a guard against catastrophic regexes, not a speed measurement
def test_five_megabyte_article_is_scripted(tmp_path: Path) -> None:
    paragraph = (
        "“We will rebuild the harbor before winter,” said Mayor Jane Porter, who spoke on "
        "Tuesday. The council, she said, had “no other choice.” Critics disagreed: "
        "Tom O’Neil’s group called it a “waste” of $2.5 million.\n\n"
    )
    article = tmp_path / "huge.txt"
    article.write_text("Huge\n\n" + paragraph * (5_000_000 // len(paragraph)), encoding="utf-8")
    assert article.stat().st_size > 5_000_000
    result = runner.invoke(app, ["script", str(article), "--format", "json", *FAKE])
    assert result.exit_code == 0, result.stderr
    quotes = [
        s for s in json.loads(result.stdout)["stories"][0]["segments"] if s["kind"] == "quote"
    ]
    assert quotes and all(q["speaker"] == "Jane Porter" for q in quotes)


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n ", "empty"),
        ("noise.bin", bytes(range(256)) * 40, "not a text article"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(500), "not a text article"),
    ],
)
def test_unreadable_articles_fail_with_exit_2(
    tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "b.mp3"
    result = runner.invoke(app, ["render", str(path), "-o", str(out), *FAKE])
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert name in line and needle in line
    assert not out.exists()


def test_article_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Headline\n\n" + b"word " * 300_000)
    result = runner.invoke(app, ["script", str(path), "--max-size", "1", *FAKE])
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "big.txt" in line and "--max-size" in line


def test_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    result = runner.invoke(app, ["script", str(tmp_path), *FAKE])
    assert result.exit_code == 2
    assert "no article files" in _one_line(result.stderr)


@pytest.mark.parametrize(
    ("encoding", "bom"), [("cp1252", b""), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf")]
)
def test_legacy_encodings_and_control_characters(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "Café Reopens\n\n“Our crème brûlée is back,” said Zoë Martin.\x00\x07\n"
    path = tmp_path / "a.txt"
    path.write_bytes(bom + text.encode(encoding))
    result = runner.invoke(app, ["script", str(path), "--format", "json", *FAKE])
    assert result.exit_code == 0, result.stderr
    segments = json.loads(result.stdout)["stories"][0]["segments"]
    assert segments[0]["text"] == "Café Reopens"
    quote = next(s for s in segments if s["kind"] == "quote")
    assert quote["text"] == "Our crème brûlée is back," and quote["speaker"] == "Zoë Martin"
    assert not any("\x00" in s["text"] or "\x07" in s["text"] for s in segments)
