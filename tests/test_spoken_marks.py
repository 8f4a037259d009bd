"""Spoken form of marks real news pages carry (issue 16): what the listener should hear."""

from __future__ import annotations

import pytest

from briefing.script.normalize import to_spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Yields fell 7/32 to 3/8 percent.", "Yields fell 7 thirty-seconds to 3 eighths percent."),
        ("The pipe is 1-1/2 inches wide.", "The pipe is 1 and one half inches wide."),
        ("It runs 24/7 since 9/11.", "It runs 24 7 since 9 11."),
        ("The benchmark yield (US10YT=RR) rose.", "The benchmark yield rose."),
        ("The Dow (.DJI) and Apple (AAPL.O) fell.", "The Dow and Apple fell."),
        ("He carried a .45-caliber pistol.", "He carried a 45-caliber pistol."),
        ("“It took a min[ute] and give[s] hope,” he said.",
         "\u201cIt took a minute and gives hope,\u201d he said."),
        ("Ms Smith met Mr Jones.", "Miz Smith met Mister Jones."),
        ("The vote moved from Tues. to Thurs., not Wed.",
         "The vote moved from Tuesday to Thursday, not Wednesday."),
        ("It is on Wed. The council meets then.", "It is on Wednesday. The council meets then."),
        ("Sen. Amy Klobuchar, D-Minn., agreed.",
         "Senator Amy Klobuchar, Democrat of Minnesota, agreed."),
        ("The plant is in Sarnia, ON, near the border.",
         "The plant is in Sarnia, Ontario, near the border."),
        ("Watch it here https://t.co/AbC123xyz", "Watch it here"),
    ],
)  # fmt: skip
def test_marks_are_spoken_as_words(text: str, spoken: str) -> None:
    assert to_spoken(text) == spoken


def test_the_sun_and_a_sat_stay_words() -> None:
    assert to_spoken("He wrote for the Sun.") == "He wrote for the Sun."
    assert "Saturday" not in to_spoken("She sat. Then she left.")
