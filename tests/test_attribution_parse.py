"""Attribution from the dependency parse, AP-style marks, signed quotes and the confidence policy.

Every article here is written for these tests."""

from __future__ import annotations

import json

import pytest

from briefing.cast.assign import Script, assign_voices, reader, uncertain
from briefing.cast.config import load_cast_config
from briefing.model import (
    Article,
    Attribution,
    AttributionMethod,
    Paragraph,
    Segment,
    SegmentKind,
    Story,
)
from briefing.output.scriptout import script_json, script_text
from briefing.script.confidence import combine
from briefing.script.lexicon import Lexicon
from briefing.script.policy import NARRATOR_BELOW
from briefing.script.quotes import find_quotes
from briefing.script.quotes_patterns import Cue
from briefing.script.segment import nothing_lost, segment_article


def _quotes(*paragraphs: str, mode: str = "parse-names") -> list[tuple[str, str | None]]:
    article = Article("T", tuple(Paragraph(p) for p in paragraphs), "t")
    segments = segment_article(article, mode=mode)
    assert nothing_lost(article, segments)
    return [(s.text, s.speaker) for s in segments if s.kind is SegmentKind.QUOTE]


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        # A role and a team before the name: the PERSON entity under the subject.
        (
            "“We will find whoever did this, and soon,” Riverton fire Chief Dana Holloway said.",
            "Dana Holloway",
        ),
        # A long title with a preposition before the name.
        (
            "“Our crews are ready for the storm tonight,” said Director of Public Works Gen. "
            "Marcus Oyelaran.",
            "Marcus Oyelaran",
        ),
        # A party and state in parentheses after the name.
        (
            "“This bill is a waste of everyone’s time,” Sen. Harriet Vance (D-Ore.) said Friday.",
            "Harriet Vance",
        ),
        # An apposition names the role's holder.
        (
            "The city's budget chief, Tomas Lindqvist, told reporters that “nothing is off the "
            "table this year.”",
            "Tomas Lindqvist",
        ),
    ],
)
def test_the_speech_verbs_subject_names_the_speaker(paragraph: str, speaker: str) -> None:
    assert _quotes(paragraph) == [(_quotes(paragraph)[0][0], speaker)]


def test_a_quote_signed_with_a_quotation_dash_belongs_to_the_name_after_it() -> None:
    roundup = (
        "“The debate changed nothing for me at all.” ― Lena Fairweather "
        "“I watched every minute and I am still undecided.” ― Omar Castellanos"
    )
    speakers = [who for _, who in _quotes(roundup)]
    assert speakers == ["Lena Fairweather", "Omar Castellanos"]


def test_ap_style_closing_apostrophes_end_the_quote() -> None:
    text = "\"We are not leaving this town,'' Mayor Ruth Calder said. ''Not now, not ever.''"
    spans = find_quotes(text)
    assert [text[s.start : s.end] for s in spans] == [
        "We are not leaving this town,",
        "Not now, not ever.",
    ]
    quotes = _quotes(text)
    assert quotes[0] == ("We are not leaving this town,", "Ruth Calder")
    assert all("said" not in words for words, _ in quotes)


def test_rules_mode_skips_the_parse_and_still_attributes() -> None:
    paragraph = "“We will build the bridge by spring,” said Mayor Ines Okafor."
    assert _quotes(paragraph, mode="rules") == [(_quotes(paragraph)[0][0], "Ines Okafor")]


def test_combine_reports_its_evidence() -> None:
    named = Cue(None, None, None, None, "Ines Okafor")
    other = Cue(None, None, None, None, "Marta Okafor")
    pronoun = Cue("she", None, None, None, None)
    assert combine(named, other, "parse-names") == (other, "agree")  # same surname
    assert combine(pronoun, named, "parse-names") == (named, "parse")
    assert combine(named, None, "parse-names") == (named, "rules")
    assert combine(named, pronoun, "parse-names") == (named, "mixed")
    assert combine(None, pronoun, "parse-names") == (pronoun, "parse-only")
    assert combine(None, None, "parse-names") == (None, "none")


def _script(confidence: float) -> Script:
    config = load_cast_config(None)
    quote = Segment(
        SegmentKind.QUOTE,
        "We will win.",
        "We will win.",
        0,
        "Ines Okafor",
        attribution=Attribution(AttributionMethod.FOLLOW_ON, confidence),
    )
    article = Article("T", (Paragraph("x"),), "t")
    cast = assign_voices(config, [("Ines Okafor", quote.gender)])
    return Script((Story(article, (quote,)),), cast, config, Lexicon())


def test_an_uncertain_quote_is_read_by_the_narrator_and_says_so() -> None:
    low, high = _script(NARRATOR_BELOW - 0.01), _script(NARRATOR_BELOW)
    low_quote, high_quote = low.stories[0].segments[0], high.stories[0].segments[0]
    assert uncertain(low_quote) and not uncertain(high_quote)
    assert reader(low.cast, low_quote) == low.cast.narrator
    assert reader(high.cast, high_quote) == high.cast.speakers["Ines Okafor"]
    entry = json.loads(script_json(low))["stories"][0]["segments"][0]
    assert entry["read_by"] == "narrator" and entry["voice"] == low.cast.narrator.id
    assert entry["speaker"] == "Ines Okafor"
    assert json.loads(script_json(high))["stories"][0]["segments"][0]["read_by"] == "speaker"
    assert "uncertain: read by the narrator" in script_text(low)
    assert "uncertain" not in script_text(high)


def test_the_parse_loads_spacy_without_its_command_line() -> None:
    """A fresh process parses without importing spaCy's CLI stack, which stays importable."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from briefing.script.parse import parse\n"
        "doc = parse(['\"We will win,\" Ruth Adeyemi said.'])[0]\n"
        "print([t.dep_ for t in doc if t.text == 'Adeyemi'][0])\n"
        "heavy = ('weasel', 'requests', 'httpx', 'spacy.cli')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "import spacy.cli\n"
        "print(callable(spacy.cli.info), spacy.cli.__file__.endswith('__init__.py'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["nsubj", "[]", "True True"]


def test_the_parse_is_skipped_only_where_it_could_give_no_cue() -> None:
    """`could_cue` is a superset of what `syntax_cue` reads: wherever it says no, the parse of
    the paragraph gives no cue (checked here on every quote of the project's own articles and
    golden texts; PolNeAR's train and dev splits segment byte for byte as without the skip)."""
    from pathlib import Path

    from briefing.script.parse import parse
    from briefing.script.syntax import could_cue, syntax_cue

    root = Path(__file__).resolve().parent.parent
    files = [*(root / "examples").glob("*.txt"), *(root / "tests" / "golden").rglob("*.txt")]
    paragraphs = [
        p.strip()
        for f in sorted(files)
        for p in f.read_text(encoding="utf-8").split("\n\n")
        if find_quotes(p.strip())
    ]
    paragraphs += [
        "“Nobody will say,” the board, citing its lawyers, was according to none of them quiet.",
        "The board met. “A date is coming,” the notice on the door.",
    ]
    skipped = 0
    for text, doc in zip(paragraphs, parse(paragraphs), strict=True):
        for span in find_quotes(text):
            for tail_first in (True, False):
                cue = syntax_cue(doc, span.open_mark, span.close_mark, tail_first=tail_first)
                if not could_cue(text, span.open_mark, span.close_mark):
                    skipped += 1
                    assert cue is None, text
    assert skipped >= 2  # the check saw quotes it would skip
