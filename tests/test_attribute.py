"""Unit tests for attribution patterns, quote-mark pairing and cross-story speaker names."""

from __future__ import annotations

import pytest

from briefing.model import Attribution, AttributionMethod, Gender, Segment, SegmentKind
from briefing.script.names import strip_titles
from briefing.script.quotes import find_quotes
from briefing.script.quotes_patterns import lead_cue, tail_cue
from briefing.script.speakers import unify_speakers
from briefing.script.speech_verbs import SPEECH_VERB_FORMS, has_speech_verb


def quote(speaker: str, gender: Gender = Gender.UNKNOWN) -> Segment:
    """A quote segment by `speaker`."""
    attribution = Attribution(AttributionMethod.EXPLICIT, 0.9)
    return Segment(SegmentKind.QUOTE, "Words here.", "Words here.", 0, speaker, gender, attribution)


def test_unify_maps_surname_to_full_name_across_stories() -> None:
    first = (quote("Antony Blinken", Gender.MALE),)
    second = (quote("Blinken"), Segment(SegmentKind.NARRATION, "x", "x", 1))
    out = unify_speakers([first, second])
    assert out[1][0].speaker == "Antony Blinken"
    assert out[1][0].gender is Gender.MALE
    assert out[1][1].speaker is None


def test_unify_keeps_different_people_with_one_surname_apart() -> None:
    stories = [(quote("Walter Grant"),), (quote("Emma Grant"),)]
    out = unify_speakers(stories)
    assert [s[0].speaker for s in out] == ["Walter Grant", "Emma Grant"]


def test_unify_leaves_phrases_and_organisations() -> None:
    stories = [(quote("the company"),), (quote("Foreign Policy"),)]
    assert [s[0].speaker for s in unify_speakers(stories)] == ["the company", "Foreign Policy"]


def test_speech_verb_list_is_large_and_has_all_tenses() -> None:
    assert len(SPEECH_VERB_FORMS) > 100
    for form in [
        "said",
        "says",
        "saying",
        "told",
        "added",
        "adds",
        "insisted",
        "cautioned",
        "testified",
        "vowed",
        "tweeted",
        "conceded",
        "acknowledges",
        "was quoted as saying",
    ]:
        assert form in SPEECH_VERB_FORMS
    assert not has_speech_verb("The report used the word")
    assert has_speech_verb("She reported that")


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (", he said.", ("pron", "he")),
        (" said Mayor John Tory.", ("name", "John Tory")),
        (" said John Tory, the mayor of Toronto, on Monday.", ("name", "John Tory")),
        (", Jane Doe, who chairs the board, said.", ("name", "Jane Doe")),
        (" noted the outlet.", ("head", "outlet")),
        (", according to Meridian Cloud.", ("name", "Meridian Cloud")),
        (", press secretary Karine Jean-Pierre said.", ("name", "Karine Jean-Pierre")),
        (", the union’s rail secretary, Thierry Nier, told reporters.", ("name", "Thierry Nier")),
        (" said the association’s president, Victor Lam.", ("name", "Victor Lam")),
        (", a CBI spokesman said.", ("org", "CBI")),
        (". The weather was cold.", None),
    ],
)
def test_tail_patterns(tail: str, expected: tuple[str, str] | None) -> None:
    cue = tail_cue(tail)
    if expected is None:
        assert cue is None
        return
    assert cue is not None
    assert getattr(cue, expected[0]).lower().endswith(expected[1].lower())


def test_lead_pattern_takes_subject_next_to_the_verb() -> None:
    cue = lead_cue("Echoing the words of Gen. McKenzie, Blinken announced that the next mission")
    assert cue is not None and cue.name == "Blinken"
    cue = lead_cue("A bureau spokeswoman declined to comment, saying only that")
    assert cue is not None and cue.head == "spokeswoman"


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("“A b,” he said. “C d.”", ["A b,", "C d."]),
        ("He said ‘we don’t know’ about the ’90s.", ["we don’t know"]),
        ("The Jones’ house, the players’ union.", []),
        ("‘We met the Jones’ lawyers,’ he said.", ["We met the Jones’ lawyers,"]),
        ("«Nous gagnerons», dit-il.", ["Nous gagnerons"]),
        ("„Wir schaffen das“, sagte sie.", ["Wir schaffen das"]),
        ("He is 6'10\" tall.", []),
        ("“Unclosed to the end", ["Unclosed to the end"]),
        ("“He said, ‘No,’ and left,” she said.", ["He said, ‘No,’ and left,"]),
    ],
)
def test_quote_pairing(text: str, quoted: list[str]) -> None:
    assert [text[s.start : s.end] for s in find_quotes(text)] == quoted


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("Secretary of State Antony Blinken", "Antony Blinken"),
        ("Commander of U.S. Central Command Gen. Kenneth McKenzie", "Kenneth McKenzie"),
        ("Senator Rand Paul of Kentucky", "Rand Paul"),
        ("Bank of England Governor Andrew Bailey", "Andrew Bailey"),
        ("Foreign Policy", "Foreign Policy"),
        ("University of Colorado", "University of Colorado"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
    ],
)
def test_canonical_names_drop_titles(name: str, core: str) -> None:
    assert strip_titles(name)[0] == core
