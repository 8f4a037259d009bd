"""Casting: distinct, deterministic voices; pins; gender; the narrator's voice is never reused."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cast.assign import assign_voices
from briefing.cast.config import Pauses, load_cast_config
from briefing.errors import ConfigError
from briefing.model import Gender

PEOPLE = [
    ("Ana Ruiz", Gender.FEMALE),
    ("Tom Webb", Gender.MALE),
    ("Acme Corp", Gender.UNKNOWN),
    ("Lia Chen", Gender.FEMALE),
    ("Raj Patel", Gender.MALE),
]


def test_every_speaker_gets_a_distinct_voice_never_the_narrators() -> None:
    config = load_cast_config()
    cast = assign_voices(config, PEOPLE)
    ids = [cast.speakers[name].id for name, _ in PEOPLE]
    assert len(set(ids)) == len(ids)
    assert config.narrator.id not in ids
    assert config.unattributed.id not in ids


def test_assignment_is_deterministic_and_order_independent_for_a_speaker() -> None:
    config = load_cast_config()
    first = assign_voices(config, PEOPLE)
    again = assign_voices(config, PEOPLE)
    assert first == again
    alone = assign_voices(config, [PEOPLE[1]])
    assert alone.speakers["Tom Webb"] == first.speakers["Tom Webb"]


def test_gender_follows_the_speaker() -> None:
    cast = assign_voices(load_cast_config(), PEOPLE)
    for name, gender in PEOPLE:
        if gender is not Gender.UNKNOWN:
            assert cast.speakers[name].gender is gender, name


def test_more_speakers_than_pool_voices_still_get_voices() -> None:
    config = load_cast_config()
    many = [(f"Person {i}", Gender.UNKNOWN) for i in range(len(config.pool) + 5)]
    cast = assign_voices(config, many)
    assert len(cast.speakers) == len(many)
    distinct = {voice.id for voice in cast.speakers.values()}
    assert len(distinct) == len(config.pool)


def test_user_file_overrides_pins_and_pauses(tmp_path: Path) -> None:
    path = tmp_path / "cast.toml"
    path.write_text(
        '[narrator]\nvoice = "gmw/en-gb-x-rp"\n'
        '[speakers]\n"Tom Webb" = { voice = "gmw/en-us+m7", rate = 160, pitch = 40 }\n'
        "[pauses]\nparagraph = 1000\n",
        encoding="utf-8",
    )
    config = load_cast_config(path)
    assert config.narrator.id == "gmw/en-gb-x-rp"
    assert config.pauses == Pauses(paragraph=1000)
    cast = assign_voices(config, PEOPLE)
    pinned = cast.speakers["Tom Webb"]
    assert (pinned.id, pinned.rate, pinned.pitch, pinned.gender) == (
        "gmw/en-us+m7",
        160,
        40,
        Gender.MALE,
    )
    assert all(v.id != "gmw/en-us+m7" for n, v in cast.speakers.items() if n != "Tom Webb")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[pool]\nvoices = []\n", "non-empty list"),
        ("[pool]\nvoices = [3]\n", "voices[0]"),
        ('[speakers]\n"X" = { voice = "gmw/en", rate = 9000 }\n', "rate must be"),
        ('[speakers]\n"X" = { voice = "gmw/en", volume = 2 }\n', "volume must be"),
        ('[speakers]\n"X" = { voice = "gmw/en", colour = "red" }\n', "unknown key 'colour'"),
        ("[pauses]\nforever = 3\n", "unknown pause"),
        ("[pauses]\nstory = -1\n", "story must be"),
        ("[narrator]\nname = 1\n", "needs a `voice`"),
        ("[extras]\n", "unknown table"),
        ('narrator = "gmw/en"\n', "[narrator] must be a table"),
    ],
)
def test_bad_cast_files_name_the_file_and_field(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "cast.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_cast_config(path)
    assert str(path) in caught.value.message
    assert needle in caught.value.message


def test_missing_cast_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such cast file"):
        load_cast_config(tmp_path / "nope.toml")
