"""split_sentences: sentence ends, abbreviations, long pieces, and the nothing-lost invariant."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.script.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("One. Two! Three? Four…", ["One.", "Two!", "Three?", "Four…"]),
        (
            "Commander of U.S. Central Command Gen. Kenneth McKenzie said it. Then he left.",
            ["Commander of U.S. Central Command Gen. Kenneth McKenzie said it.", "Then he left."],
        ),
        ("Dr. Smith met Mr. Jones at 9 a.m. today.", ["Dr. Smith met Mr. Jones at 9 a.m. today."]),
        ("He left the U.S. The next day he flew.", ["He left the U.S.", "The next day he flew."]),
        ("John F. Kennedy spoke. Yes.", ["John F. Kennedy spoke.", "Yes."]),
        ("“It’s over.” He said so.", ["“It’s over.”", "He said so."]),
        ("“It’s over,” he said. “Go.”", ["“It’s over,” he said.", "“Go.”"]),
        ("It was No. 1 on Aug. 30 in St. Louis.", ["It was No. 1 on Aug. 30 in St. Louis."]),
        ("Acme Inc. The firm grew.", ["Acme Inc.", "The firm grew."]),
        ("Acme Inc. Chief said so.", ["Acme Inc. Chief said so."]),
        ("version 2.5 is out. ok", ["version 2.5 is out. ok"]),
        ("  spaced   out\n\ntext.  ", ["spaced out text."]),
        ("", []),
        ("   ", []),
    ],
)
def test_split(text: str, pieces: list[str]) -> None:
    assert split_sentences(text) == pieces


def test_long_sentence_is_cut_at_commas_then_words() -> None:
    clause = "the council met again on a long evening, "
    text = clause * 40
    pieces = split_sentences(text, max_chars=200)
    assert all(len(p) <= 200 for p in pieces)
    assert all(p.endswith(",") for p in pieces[:-1])
    assert " ".join(pieces) == " ".join(text.split())


def test_hundred_thousand_chars_without_punctuation() -> None:
    text = " ".join(f"word{i % 97}" for i in range(15000))
    assert len(text) > 100_000
    start = time.perf_counter()
    pieces = split_sentences(text)
    assert time.perf_counter() - start < 2
    assert all(0 < len(p) <= 400 for p in pieces)
    assert " ".join(pieces) == text


def test_a_word_longer_than_the_limit_stays_whole() -> None:
    long_word = "x" * 1000
    assert split_sentences(f"a {long_word} b", max_chars=100) == ["a", long_word, "b"]


_pieces = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
        st.sampled_from(["Gen.", "U.S.", "Dr.", "a.m.", ".", "?", "!", "“", "”", ",", "\n", "…"]),
    ),
    max_size=60,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_pieces, st.integers(min_value=10, max_value=500))
def test_nothing_lost_nothing_added(text: str, max_chars: int) -> None:
    pieces = split_sentences(text, max_chars)
    assert " ".join(pieces) == " ".join(text.split())
    assert all(pieces)
    assert all(p == p.strip() for p in pieces)
    assert all(len(p) <= max_chars or " " not in p for p in pieces)
