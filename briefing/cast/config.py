"""Cast files: the narrator, the unattributed voice, the pool, pins and pauses, checked on load."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from briefing.errors import ConfigError
from briefing.model import Gender, Voice

DEFAULT_CAST_FILE = "default-cast.toml"
_VOICE_KEYS = {"voice", "rate", "pitch", "volume", "gender"}


@dataclass(frozen=True)
class Pauses:
    """Silences in milliseconds between the parts of a briefing."""

    sentence: int = 250
    """Between sentences read by the same voice."""
    quote: int = 400
    """Where the voice changes inside a paragraph (before and after a quote)."""
    paragraph: int = 700
    """Between paragraphs."""
    headline: int = 900
    """After a story's headline."""
    story: int = 1200
    """Between stories; the transition sits in the middle."""


@dataclass(frozen=True)
class CastConfig:
    """A cast file after merging it over the default: voices, pins and pauses."""

    narrator: Voice
    unattributed: Voice
    pool: tuple[Voice, ...]
    pins: Mapping[str, Voice] = field(default_factory=dict)
    pauses: Pauses = Pauses()
    sources: Mapping[str, str] = field(default_factory=dict)
    """Which file each voice id came from, for error messages."""


def default_cast_path() -> Path:
    """The cast file shipped with the package."""
    from briefing.resources import voices_dir

    return voices_dir() / DEFAULT_CAST_FILE


def load_cast_config(path: Path | None = None) -> CastConfig:
    """The default cast, with the tables of `path` (a user's cast file) laid over it."""
    default_path = default_cast_path()
    config = _config_from_table(_read_toml(default_path), default_path, base=None)
    if path is None:
        return config
    return _config_from_table(_read_toml(path), path, base=config)


def validate_voices(
    config: CastConfig,
    exists: Callable[[str], bool],
    suggest: Callable[[str], list[str]],
) -> None:
    """Raise ConfigError naming the voice id and its file when the engine lacks a voice."""
    voices = [config.narrator, config.unattributed, *config.pool, *config.pins.values()]
    for voice in voices:
        if not exists(voice.id):
            where = config.sources.get(voice.id, "cast")
            matches = suggest(voice.id)
            hint = f"close matches: {', '.join(matches)}" if matches else "see `briefing voices`"
            raise ConfigError(f"{where}: unknown voice {voice.id!r}", hint=hint)


def parse_pause_overrides(values: Sequence[str]) -> dict[str, int]:
    """Parse `--pause NAME=MS` values into pause overrides."""
    known = {f.name for f in fields(Pauses)}
    pauses: dict[str, int] = {}
    for value in values:
        name, _, ms = value.partition("=")
        if name not in known or not ms.isdigit() or int(ms) > 10_000:
            raise ConfigError(
                f"--pause {value!r}: expected NAME=MS with NAME one of {', '.join(sorted(known))}"
                " and MS 0-10000"
            )
        pauses[name] = int(ms)
    return pauses


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such cast file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read cast file ({error})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise ConfigError(f"{path}: invalid cast file: nested too deeply") from None


def _config_from_table(table: dict[str, Any], path: Path, base: CastConfig | None) -> CastConfig:
    unknown = set(table) - {"narrator", "unattributed", "pool", "speakers", "pauses"}
    if unknown:
        raise ConfigError(f"{path}: unknown table [{sorted(unknown)[0]}]")
    sources: dict[str, str] = dict(base.sources) if base else {}

    def voice_at(value: Any, where: str) -> Voice:
        voice = _parse_voice(value, path, where)
        sources.setdefault(voice.id, f"{path} {where}")
        return voice

    narrator = _section_voice(table, "narrator", path, voice_at)
    unattributed = _section_voice(table, "unattributed", path, voice_at)
    pool_table = _table(table, "pool", path)
    pool_value = pool_table.get("voices")
    pool: tuple[Voice, ...] | None = None
    if pool_value is not None:
        if not isinstance(pool_value, list) or not pool_value:
            raise ConfigError(f"{path}: [pool] voices must be a non-empty list of voices")
        pool = tuple(voice_at(v, f"[pool] voices[{i}]") for i, v in enumerate(pool_value))
    pins = dict(base.pins) if base else {}
    for name, value in _table(table, "speakers", path).items():
        pins[name] = voice_at(value, f"[speakers] {name!r}")
    pauses = _parse_pauses(_table(table, "pauses", path), path, base.pauses if base else Pauses())

    if base is None:
        if narrator is None or unattributed is None or pool is None:
            raise ConfigError(f"{path}: the default cast needs [narrator], [unattributed], [pool]")
        return CastConfig(narrator, unattributed, pool, pins, pauses, sources)
    return CastConfig(
        narrator=narrator or base.narrator,
        unattributed=unattributed or base.unattributed,
        pool=pool or base.pool,
        pins=pins,
        pauses=pauses,
        sources=sources,
    )


def _table(table: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{key}] must be a table, got {type(value).__name__}")
    return value


def _section_voice(
    table: dict[str, Any], key: str, path: Path, voice_at: Callable[[Any, str], Voice]
) -> Voice | None:
    section = _table(table, key, path)
    if not section:
        return None
    if "voice" not in section:
        raise ConfigError(f"{path}: [{key}] needs a `voice` key")
    return voice_at(section["voice"], f"[{key}] voice")


def _parse_voice(value: Any, path: Path, where: str) -> Voice:
    from briefing.speech.engines import variant_gender

    if isinstance(value, str):
        spec: dict[str, Any] = {"voice": value}
    elif isinstance(value, dict):
        spec = value
    else:
        raise ConfigError(f"{path}: {where} must be a voice id or a table, got {_kind(value)}")
    extra = set(spec) - _VOICE_KEYS
    if extra:
        raise ConfigError(f"{path}: {where} has unknown key {sorted(extra)[0]!r}")
    voice_id = spec.get("voice")
    if not isinstance(voice_id, str) or not voice_id.strip():
        raise ConfigError(f"{path}: {where} needs `voice` as a string, got {_kind(voice_id)}")
    voice = Voice(id=voice_id.strip(), gender=variant_gender(voice_id.strip()))
    if "rate" in spec:
        voice = replace(voice, rate=_whole(spec["rate"], 80, 450, f"{path}: {where} rate"))
    if "pitch" in spec:
        voice = replace(voice, pitch=_whole(spec["pitch"], 0, 99, f"{path}: {where} pitch"))
    if "volume" in spec:
        volume = spec["volume"]
        if not isinstance(volume, int | float) or isinstance(volume, bool) or not 0 < volume <= 1:
            raise ConfigError(f"{path}: {where} volume must be a number in (0, 1]")
        voice = replace(voice, volume=float(volume))
    if "gender" in spec:
        try:
            voice = replace(voice, gender=Gender(spec["gender"]))
        except ValueError:
            raise ConfigError(f"{path}: {where} gender must be male, female or unknown") from None
    return voice


def _parse_pauses(table: dict[str, Any], path: Path, base: Pauses) -> Pauses:
    known = {f.name for f in fields(Pauses)}
    values: dict[str, int] = {}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{path}: [pauses] unknown pause {key!r} (known: {sorted(known)})")
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
            raise ConfigError(f"{path}: [pauses] {key} must be a whole number of ms, 0-10000")
        values[key] = value
    return replace(base, **values)


def _whole(value: object, low: int, high: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"{what} must be a whole number {low}-{high}")
    return value


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__
