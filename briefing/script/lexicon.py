"""The pronunciation lexicon: respellings and acronym readings from voices/lexicon.toml."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from briefing.errors import ConfigError
from briefing.resources import voices_dir

LEXICON_FILE = "lexicon.toml"
_TABLES = ("respell", "acronyms")
_ACRONYM_KEYS = ("spell", "say")
_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Lexicon:
    """Respellings (whole words) and which all-caps acronyms are spelled out or said as words."""

    words: Mapping[str, str] = field(default_factory=dict)
    """Written form -> spoken form; keys with a capital letter match that exact case only."""
    spell: frozenset[str] = frozenset()
    """Acronyms read letter by letter even when eSpeak would say them as a word ("GOP")."""
    say: frozenset[str] = frozenset()
    """Acronyms said as a word even when short ("NATO", "ICE")."""

    @cached_property
    def _patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None, dict[str, str]]:
        exact = sorted((k for k in self.words if k != k.lower()), key=len, reverse=True)
        folded = sorted((k for k in self.words if k == k.lower()), key=len, reverse=True)
        lookup = {k: v for k, v in self.words.items() if k != k.lower()}
        lookup.update({k.lower(): v for k, v in self.words.items() if k == k.lower()})

        def build(keys: list[str], flags: int) -> re.Pattern[str] | None:
            if not keys:
                return None
            alternatives = "|".join(re.escape(k) for k in keys)
            return re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w-])", flags)

        return build(exact, 0), build(folded, re.IGNORECASE), lookup

    def respell(self, text: str) -> str:
        """Replace every whole-word occurrence of a lexicon entry with its respelling."""
        exact, folded, lookup = self._patterns
        if exact is not None:
            text = exact.sub(lambda m: lookup[m.group(0)], text)
        if folded is not None:
            text = folded.sub(lambda m: lookup[m.group(0).lower()], text)
        return text

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with `other`'s entries added; `other` wins on conflicts."""
        return Lexicon(
            words={**self.words, **other.words},
            spell=(self.spell - other.say) | other.spell,
            say=(self.say - other.spell) | other.say,
        )


def _error(path: Path, message: str) -> ConfigError:
    return ConfigError(
        f"{path}: {message}", hint="see the comment at the top of voices/lexicon.toml"
    )


def parse_lexicon(path: Path) -> Lexicon:
    """Read one lexicon file; ConfigError names the file and line of any mistake."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such lexicon file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    except RecursionError:  # tomllib parses nested arrays and tables recursively
        raise _error(path, "nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        found = _LINE.search(str(exc))
        where = f"line {found.group(1)}: " if found else ""
        raise _error(path, f"{where}invalid TOML ({str(exc).split(' (at')[0]})") from None
    unknown = sorted(set(data) - set(_TABLES))
    if unknown:
        raise _error(path, f"unknown table [{unknown[0]}] (expected [respell] or [acronyms])")
    words = data.get("respell", {})
    if not isinstance(words, dict):
        raise _error(path, '[respell] must be a table of "word" = "respelling"')
    for key, value in words.items():
        if not isinstance(value, str) or not value.strip() or not key.strip():
            raise _error(path, f"[respell] {key!r}: the respelling must be a non-empty string")
    acronyms = data.get("acronyms", {})
    if not isinstance(acronyms, dict):
        raise _error(path, "[acronyms] must be a table with spell = [...] and say = [...]")
    lists: dict[str, frozenset[str]] = {}
    for key in acronyms:
        if key not in _ACRONYM_KEYS:
            raise _error(path, f"[acronyms] unknown key {key!r} (expected spell or say)")
    for key in _ACRONYM_KEYS:
        value = acronyms.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _error(path, f"[acronyms] {key} must be a list of strings")
        lists[key] = frozenset(value)
    return Lexicon(words=dict(words), spell=lists["spell"], say=lists["say"])


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The bundled voices/lexicon.toml (empty if the file is missing from a broken install)."""
    path = voices_dir() / LEXICON_FILE
    return parse_lexicon(path) if path.is_file() else Lexicon()


def load_lexicon(extra: Sequence[Path] = ()) -> Lexicon:
    """The bundled voices/lexicon.toml plus producer files (later files win)."""
    lexicon = default_lexicon()
    for path in extra:
        lexicon = lexicon.merged(parse_lexicon(Path(path)))
    return lexicon
