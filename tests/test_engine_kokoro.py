"""The kokoro engine: text cutting, voices, cast rules, the model's assembly, and real renders.

Tests marked `neural` run the real Kokoro-82M (the neural extra, which the dev extra installs,
so CI runs them) and check what comes back with a real recognizer (Whisper tiny.en).
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
import textwrap
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from briefing.cast.config import load_cast_config
from briefing.cli import app
from briefing.errors import MissingDependencyError
from briefing.model import Gender, Utterance, Voice
from briefing.speech.engines import (
    ENGINES,
    kokoro_model,
    list_voices,
    unsupported_setting,
    variant_gender,
    voice_exists,
)
from briefing.speech.engines.kokoro import speed_for, voice_directory
from briefing.speech.engines.kokoro_text import MAX_TOKENS, cut_tokens, tokens_of
from briefing.speech.engines.kokoro_vocab import VOCAB

NEURAL = not kokoro_model.missing_packages() and importlib.util.find_spec("faster_whisper")
_SKIP = pytest.mark.skipif(not NEURAL, reason="needs pip install -e '.[dev]' (the neural extra)")
neural = [pytest.mark.neural, _SKIP]
REPO = Path(__file__).resolve().parent.parent

ARTICLE = textwrap.dedent(
    """\
    Library Opens a Reading Garden

    The town library opened a reading garden behind its main building on Saturday.

    "Children can read outside all summer now," said Grace Holloway, the head librarian.

    Peter Lindqvist, who built the benches, was pleased. "Every bench is made from old oak
    floors," he said.
    """
)


def _letters(text: str) -> list[int]:
    """A stand-in phonemizer for cutting tests: one token per letter or space (no ascii g)."""
    return tokens_of(text.lower())


# --- cutting text to Kokoro's context -------------------------------------------------------


def test_short_sentences_share_one_piece() -> None:
    pieces = cut_tokens("One two. Three four.", _letters)
    assert pieces == [tokens_of("one two. three four.")]


def test_pieces_fit_and_cut_at_sentences_then_clauses_never_in_a_word() -> None:
    sentence = "alpha beta omicron, delta epsilon zeta; eta theta iota kappa."
    text = " ".join([sentence] * 6)
    for limit in (20, 40, 70, MAX_TOKENS):
        pieces = cut_tokens(text, _letters, limit)
        assert all(0 < len(piece) <= limit for piece in pieces)
        spoken = " ".join("".join(_symbol(t) for t in piece) for piece in pieces)
        assert spoken.split() == text.split()  # every word, whole, in order
    clause_cut = cut_tokens(text, _letters, 40)
    assert all("".join(_symbol(t) for t in piece)[-1] in ",;." for piece in clause_cut)


def _symbol(token: int) -> str:
    return next(symbol for symbol, value in VOCAB.items() if value == token)


def test_speed_follows_rate() -> None:
    assert speed_for(175) == 1.0
    assert speed_for(350) == 2.0
    assert speed_for(80) == pytest.approx(0.5, abs=0.05)


# --- shipped voices and the cast -----------------------------------------------------------


def test_twenty_eight_english_voices_shipped_as_float16_with_their_licence() -> None:
    files = sorted(voice_directory().glob("*.npy"))
    assert len(files) == 28
    assert sum(f.stat().st_size for f in files) <= 8_000_000
    table = np.load(files[0], allow_pickle=False)
    assert table.shape == (510, 256) and table.dtype == np.float16
    assert "Apache License" in (voice_directory() / "LICENSE").read_text()
    assert "kokoro-js" in (voice_directory() / "NOTICE").read_text()
    voices = list_voices("kokoro")
    assert {v.languages[0] for v in voices} == {"en-us", "en-gb"}
    assert {v.gender for v in voices} == {Gender.FEMALE, Gender.MALE}
    assert "kokoro" in ENGINES


def test_voice_ids_and_genders() -> None:
    assert voice_exists("kokoro", "bf_emma") and not voice_exists("kokoro", "bf_emma+f2")
    assert not voice_exists("kokoro", "gmw/en-us")
    assert variant_gender("am_michael") is Gender.MALE
    assert variant_gender("bf_emma") is Gender.FEMALE
    assert unsupported_setting("kokoro", "af_heart+f3", None) == "the eSpeak variant '+f3'"
    assert unsupported_setting("kokoro", "af_heart", 40) == "pitch"
    assert unsupported_setting("pyttsx3", "gmw/en-us+f3", 40) is None


def test_kokoro_cast_is_distinct_and_mixed(tmp_path: Path) -> None:
    config = load_cast_config(engine="kokoro")
    assert config.engine == "kokoro"
    pool = {v.id for v in config.pool}
    assert config.narrator.id not in pool and len(pool) == len(config.pool)
    assert all(voice_exists("kokoro", v) for v in pool | {config.narrator.id})
    first = config.pool[:4]
    assert {v.gender for v in first} == {Gender.MALE, Gender.FEMALE}
    assert {v.id[0] for v in first} == {"a", "b"}  # American and British
    cast = tmp_path / "cast.toml"
    cast.write_text('engine = "kokoro"\n[speakers]\n"Jo Bloggs" = "bm_daniel"\n')
    from_file = load_cast_config(cast)
    assert from_file.engine == "kokoro" and from_file.narrator.id == "af_heart"
    assert load_cast_config(cast, "pyttsx3").narrator.id == "gmw/en-us"  # --engine wins


def test_voices_command_lists_kokoro_voices_with_accent_and_gender() -> None:
    result = CliRunner().invoke(app, ["voices", "--engine", "kokoro"])
    assert result.exit_code == 0
    assert "narrator      af_heart" in result.output
    line = next(line for line in result.output.splitlines() if line.strip().startswith("bm_lewis"))
    assert "British English" in line and "male" in line


def test_missing_extra_is_exit_3_with_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kokoro_model, "missing_packages", lambda: ["onnxruntime"])
    with pytest.raises(MissingDependencyError) as raised:
        kokoro_model.model_path()
    assert raised.value.exit_code == 3
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    result = CliRunner().invoke(app, ["script", str(article), "--engine", "kokoro"])
    assert result.exit_code == 3
    assert "pip install 'briefing[neural]'" in result.output


def test_phonemes_are_kokoros_inventory_in_a_fresh_process() -> None:
    # A subprocess: eSpeak is never initialized in a process that may later run pyttsx3.
    code = (
        "from briefing.speech.engines.phonemes import phonemize\n"
        "print(phonemize('Hello, world. Judge the choice!', 'en-us'))\n"
        "print(phonemize('Hello, world.', 'en-gb'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    assert out[0].startswith("həlˈO, wˈɜɹld.") and out[0].endswith("!")
    assert "ʤ" in out[0] and "ʧ" in out[0] and "Y" in out[0]  # judge, choice: misaki's letters
    assert "Q" in out[1] and "ː" in out[1]  # British "hello" and its long vowel
    assert all(symbol in VOCAB for line in out for symbol in line)


# --- the real model --------------------------------------------------------------------------


SENTENCE = "The city council voted on Tuesday to repair the old harbor bridge before winter."


@pytest.mark.neural
@_SKIP
def test_model_is_assembled_once_verified_and_atomically(monkeypatch: pytest.MonkeyPatch) -> None:
    path = kokoro_model.model_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == kokoro_model.MODEL_SHA256
    stamp = path.stat().st_mtime_ns
    assert kokoro_model.model_path() == path and path.stat().st_mtime_ns == stamp
    monkeypatch.setattr(kokoro_model, "MODEL_SHA256", "0" * 64)
    with pytest.raises(MissingDependencyError, match="do not add up"):
        kokoro_model.model_path()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # nothing half-made


def _pitch_cast(tmp_path: Path) -> Path:
    cast = tmp_path / "pitched.toml"
    cast.write_text('engine = "kokoro"\n[narrator]\nvoice = { voice = "af_heart", pitch = 60 }\n')
    return cast


@pytest.mark.neural
@_SKIP
def test_a_setting_kokoro_lacks_is_an_error_naming_it_and_the_file(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    cast = _pitch_cast(tmp_path)
    result = CliRunner().invoke(app, ["script", str(article), "--cast", str(cast)])
    assert result.exit_code == 2
    assert str(cast) in result.output and "pitch" in result.output
    variant = tmp_path / "variant.toml"
    variant.write_text('[pool]\nvoices = ["am_michael+m3"]\n')
    result = CliRunner().invoke(
        app, ["script", str(article), "--cast", str(variant), "--engine", "kokoro"]
    )
    assert result.exit_code == 2 and "'+m3'" in result.output and str(variant) in result.output


@pytest.mark.neural
@_SKIP
def test_kokoro_briefing_has_distinct_voices_and_says_its_words(tmp_path: Path) -> None:
    from recognizer import transcribe, word_error_rate

    from briefing.output.options import RenderOptions
    from briefing.output.render import render
    from briefing.output.timeline import Structure
    from briefing.pipeline import ScriptOptions, build_script, load_config

    article = tmp_path / "garden.txt"
    article.write_text(ARTICLE)
    cache = tmp_path / "cache"
    options = ScriptOptions(engine="kokoro", cache_dir=cache)
    config = load_config(options)
    script = build_script([str(article)], options, config)
    output = tmp_path / "garden.wav"
    render_options = RenderOptions(
        output=output,
        jobs=2,
        cache_dir=cache,
        structure=Structure(intro=False, outro=False),
        transcripts=(tmp_path / "garden.txt.out.txt",),
    )
    result = render(script, render_options, config.engine)
    assert len(set(result.voices.values())) >= 3
    assert result.clips_synthesized > 0 and result.sections_written > 0  # the sectioned path
    assert result.sample_rate == 24000
    with wave.open(str(output)) as audio:
        assert audio.getframerate() == 24000
        seconds = audio.getnframes() / audio.getframerate()
    words = len(ARTICLE.split())
    assert words / 4.0 < seconds < words / 1.5  # 150-240 words a minute, pauses included
    assert result.duration == pytest.approx(seconds, abs=0.1)
    heard = transcribe(output)
    assert word_error_rate(ARTICLE, heard) <= 0.15, heard
    mp3 = replace(render_options, output=tmp_path / "garden.mp3", transcripts=())
    again = render(script, mp3, config.engine)
    assert again.clips_synthesized == 0 and again.sections_encoded > 0  # clips from the cache
    from mutagen.mp3 import MP3

    info = MP3(str(mp3.output)).info
    assert info is not None and info.sample_rate == 24000


@pytest.mark.parametrize(
    ("engine", "voice", "limit"),
    [
        pytest.param("kokoro", "af_heart", 0.1, marks=neural),
        pytest.param("kokoro", "bm_george", 0.1, marks=neural),
        pytest.param("pyttsx3", "gmw/en-us", 0.25, marks=[pytest.mark.engine, *neural]),
    ],
)
def test_word_error_rate_on_a_sentence(
    engine: str, voice: str, limit: float, tmp_path: Path
) -> None:
    from recognizer import transcribe, word_error_rate

    from briefing.speech.pool import synthesize_all

    (clip,) = synthesize_all([Utterance(Voice(voice), 175, SENTENCE)], engine=engine, jobs=1)
    path = tmp_path / "sentence.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(clip.sample_rate)
        out.writeframes(clip.pcm)
    heard = transcribe(path)
    assert word_error_rate(SENTENCE, heard) <= limit, heard


def test_word_error_rate_counts_edits() -> None:
    from recognizer import word_error_rate

    assert word_error_rate("the harbor bridge", "the harbor bridge") == 0.0
    assert word_error_rate("the harbor bridge", "a harbor bridge") == pytest.approx(1 / 3)
    assert word_error_rate("spend $5 on it", "spend five dollars on it") == 0.0
