"""Spoken form: golden cases from tests/golden/spoken/cases.txt, the lexicon, and robustness."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.errors import ConfigError
from briefing.resources import voices_dir
from briefing.script.lexicon import Lexicon, load_lexicon, parse_lexicon
from briefing.script.normalize import to_spoken

CASES_FILE = Path(__file__).parent / "golden" / "spoken" / "cases.txt"


def _cases() -> list[tuple[str, str]]:
    cases: list[tuple[str, str]] = []
    written: str | None = None
    for line in CASES_FILE.read_text("utf-8").splitlines():
        if line.startswith("< "):
            written = line[2:]
        elif line.startswith("> "):
            assert written is not None, f"'>' without '<' in {CASES_FILE}: {line}"
            cases.append((written, line[2:]))
            written = None
    return cases


@pytest.mark.parametrize(("written", "spoken"), _cases(), ids=lambda s: s[:40])
def test_spoken_golden(written: str, spoken: str) -> None:
    assert to_spoken(written) == spoken


def test_voices_dir_has_the_lexicon() -> None:
    assert (voices_dir() / "lexicon.toml").is_file()


def test_producer_lexicon_wins_and_is_whole_word(tmp_path: Path) -> None:
    extra = tmp_path / "names.toml"
    extra.write_text(
        '[respell]\n"Blinken" = "Blink-in"\n"ferry" = "fairy"\n'
        '[acronyms]\nsay = ["GOP"]\nspell = ["NASA"]\n',
        "utf-8",
    )
    lexicon = load_lexicon([extra])
    assert lexicon.words["Blinken"] == "Blink-in"
    said = to_spoken("Blinken and Blinkenlights took the Ferry; the GOP and NASA.", lexicon)
    assert said == "Blink-in and Blinkenlights took the fairy; the Gop and N.A.S.A."


def test_case_sensitive_keys() -> None:
    lexicon = Lexicon(words={"May": "Mae"})
    assert to_spoken("May said they may go.", lexicon) == "Mae said they may go."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[respell]\n"a" = "b"\n"c" = \n', "line 3: invalid TOML"),
        ("[respel]\n", "unknown table [respel]"),
        ('[respell]\n"a" = 3\n', "[respell] 'a': the respelling must be a non-empty string"),
        ('[acronyms]\nspell = "GOP"\n', "[acronyms] spell must be a list of strings"),
        ("[acronyms]\nshout = []\n", "[acronyms] unknown key 'shout'"),
    ],
)
def test_bad_lexicon_names_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, "utf-8")
    with pytest.raises(ConfigError) as info:
        parse_lexicon(path)
    assert str(info.value).startswith(f"{path}: {message}")


def test_missing_lexicon_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such lexicon file"):
        load_lexicon([tmp_path / "nope.toml"])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_never_raises(text: str) -> None:
    assert isinstance(to_spoken(text), str)


def test_linear_time_on_a_big_paragraph() -> None:
    text = "Gen. Smith paid $5 million — 5% of the U.S. total… " * 5000 + "x" * 100000
    start = time.perf_counter()
    to_spoken(text)
    assert time.perf_counter() - start < 20
