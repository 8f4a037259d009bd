"""The bundled eSpeak NG: load espeakng_loader's library and read its voice data, without init.

pyttsx3 loads `libespeak-ng.so.1` by soname. Loading the wheel's copy first with RTLD_GLOBAL
makes that lookup resolve to it, and ESPEAK_DATA_PATH points eSpeak at the wheel's data, so no
system package is needed. Nothing here calls `espeak_Initialize`: eSpeak can be initialized
once per process and starts a thread, so only worker processes initialize it; the main
process lists voices by reading the data files eSpeak itself reads.
"""

from __future__ import annotations

import ctypes
import functools
import os
from pathlib import Path

from briefing.errors import MissingDependencyError
from briefing.model import Gender
from briefing.speech.engines.base import EngineVoice

_HINT = "reinstall briefing's dependencies: pip install 'espeakng-loader>=0.2.4' 'pyttsx3>=2.99'"


@functools.cache
def prepare() -> Path:
    """Load the bundled libespeak-ng globally and set ESPEAK_DATA_PATH; return the data dir."""
    try:
        import espeakng_loader
    except ImportError as exc:
        raise MissingDependencyError("espeakng-loader is not installed", hint=_HINT) from exc
    try:
        data = Path(espeakng_loader.get_data_path())
        library = Path(espeakng_loader.get_library_path()).resolve()
        # RTLD_GLOBAL: pyttsx3's later dlopen("libespeak-ng.so.1") then finds this copy.
        ctypes.CDLL(str(library), mode=ctypes.RTLD_GLOBAL)
    except (OSError, RuntimeError) as exc:
        raise MissingDependencyError(
            f"cannot load the bundled eSpeak NG: {exc}", hint=_HINT
        ) from exc
    os.environ["ESPEAK_DATA_PATH"] = str(data)
    return data


@functools.cache
def library_version() -> str:
    """eSpeak NG's version string (espeak_Info needs no initialization)."""
    prepare()
    from pyttsx3.drivers import _espeak

    info = _espeak.Info(None)
    return info.decode() if isinstance(info, bytes) else str(info)


def _read_fields(path: Path) -> dict[str, list[str]]:
    """The `key value` lines of an eSpeak voice or variant file."""
    fields: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        key, _, value = line.strip().partition(" ")
        if key and not key.startswith("//"):
            fields.setdefault(key, []).append(value.strip())
    return fields


@functools.cache
def base_voices() -> tuple[EngineVoice, ...]:
    """Every voice under `lang/`, with the lowercase identifier pyttsx3 reports as its id."""
    lang = prepare() / "lang"
    found = []
    for path in sorted(p for p in lang.rglob("*") if p.is_file()):
        fields = _read_fields(path)
        languages = tuple(v.split()[0] for v in fields.get("language", []) if v)
        name = (fields.get("name") or [path.name])[0]
        found.append(
            EngineVoice(
                id=path.relative_to(lang).as_posix().lower(),
                name=name,
                languages=languages[:1],
            )
        )
    return tuple(found)


@functools.cache
def variants() -> dict[str, Gender]:
    """Variant names (the part after `+`) and the gender each one's file declares."""
    directory = prepare() / "voices" / "!v"
    found: dict[str, Gender] = {}
    for path in directory.iterdir():
        if path.is_file():
            declared = (_read_fields(path).get("gender") or [""])[0].lower()
            gender = {"female": Gender.FEMALE, "male": Gender.MALE}.get(declared, Gender.UNKNOWN)
            found[path.name] = gender
    return found
