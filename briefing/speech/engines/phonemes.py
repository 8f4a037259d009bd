"""Text to Kokoro's phonemes: eSpeak NG's IPA (`espeak_TextToPhonemes`), punctuation kept.

eSpeak returns one clause at a time and drops the punctuation between clauses, yet Kokoro reads
its pauses and intonation from that punctuation; so the text is split at punctuation runs, the
words between them are phonemized, and the punctuation goes back in as it was (kokoro-js and
kokoro-onnx feed the model the same way). eSpeak's symbols are then mapped to the inventory
Kokoro was trained on, as Kokoro's own G2P (misaki) does when it falls back to eSpeak.

eSpeak is initialized here, once per process, in synchronous mode (no audio thread): only in
a synthesis worker, like the pyttsx3 engine.
"""

from __future__ import annotations

import ctypes
import functools
import re
import threading
from typing import Any

from briefing.errors import MissingDependencyError, SynthesisError
from briefing.speech.engines import espeak_runtime

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_PHONEMES_IPA = 0x02

PUNCTUATION = ';:,.!?¡¿—…"«»“”(){}[]'
_PUNCTUATION_RUN = re.compile(f"(?:\\s*[{re.escape(PUNCTUATION)}]+\\s*)+")

_TIE = "^"
_PHONEME_MODE = _PHONEMES_IPA | 0x80 | (ord(_TIE) << 8)
"""IPA, with `^` tying the letters of one phoneme (`a^ɪ`), so diphthongs can be told apart."""

# eSpeak's IPA -> the phoneme inventory Kokoro was trained on (misaki's, Apache-2.0: its
# diphthongs are single letters, A I O Q W Y; its affricates ʤ ʧ). Longest first.
_COMMON = (
    ("ʔˌn\u0329", "tn"), ("ʔn\u0329", "tn"), ("ʔn", "tn"), ("ʔ", "t"),
    ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^ʒ", "ʤ"), ("e^ɪ", "A"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"),
    ("ə^l", "ᵊl"), ("ʲo", "jo"), ("ʲə", "jə"), ("ʲ", ""), ("ɚ", "əɹ"), ("e", "A"),
    ("r", "ɹ"), ("x", "k"), ("ç", "k"), ("ɐ", "ə"), ("ɬ", "l"), ("\u0303", ""),
)  # fmt: skip
_BRITISH = (("e^ə", "ɛː"), ("iə", "ɪə"), ("ə^ʊ", "Q"))
_AMERICAN = (("o^ʊ", "O"), ("ɜːɹ", "ɜɹ"), ("ɜː", "ɜɹ"), ("ɪə", "iə"), ("ː", ""))
_SYLLABIC = re.compile("(\\S)\u0329")
# After kokoro-js (Apache-2.0): "hundred" apart from the number before it; a lone "z" (the
# possessive) joined to its word.
_SPACING = (
    (re.compile(r"(?<=[a-zɹ])(?=hˈʌndɹɪd)"), " "),
    (re.compile(f" z(?=[{re.escape(PUNCTUATION)} ]|$)"), "z"),
)

_lock = threading.Lock()


@functools.cache
def _library() -> Any:
    """The bundled libespeak-ng, initialized for phoneme output."""
    espeak_runtime.prepare()
    try:
        import espeakng_loader

        library = ctypes.CDLL(str(espeakng_loader.get_library_path()))
    except (ImportError, OSError) as exc:
        raise MissingDependencyError(f"cannot load eSpeak NG for phonemes: {exc}") from exc
    library.espeak_Initialize.restype = ctypes.c_int
    library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    library.espeak_TextToPhonemes.restype = ctypes.c_char_p
    library.espeak_TextToPhonemes.argtypes = [
        ctypes.POINTER(ctypes.c_void_p),
        ctypes.c_int,
        ctypes.c_int,
    ]
    if library.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0) <= 0:
        raise MissingDependencyError("eSpeak NG failed to initialize (its data was not found)")
    return library


def phonemize(text: str, language: str) -> str:
    """Kokoro-ready IPA for `text` in `language` (`en-us` or `en-gb`), punctuation kept."""
    pieces: list[str] = []
    position = 0
    for match in _PUNCTUATION_RUN.finditer(text):
        pieces.append(_words(text[position : match.start()], language))
        pieces.append(match.group())
        position = match.end()
    pieces.append(_words(text[position:], language))
    return to_kokoro("".join(pieces), language).strip()


def to_kokoro(ipa: str, language: str) -> str:
    """eSpeak's tied IPA in Kokoro's inventory (see `_COMMON`); the ties removed."""
    for old, new in _COMMON:
        ipa = ipa.replace(old, new)
    ipa = _SYLLABIC.sub(r"ᵊ\1", ipa).replace("\u0329", "")
    for old, new in _BRITISH if language == "en-gb" else _AMERICAN:
        ipa = ipa.replace(old, new)
    ipa = ipa.replace("o", "ɔ").replace(_TIE, "")
    for pattern, replacement in _SPACING:
        ipa = pattern.sub(replacement, ipa)
    return ipa


def _words(text: str, language: str) -> str:
    """eSpeak's IPA for a run of words without punctuation; its clauses joined by spaces."""
    if not text.strip():
        return text
    library = _library()
    with _lock:  # eSpeak's state (the selected voice, its buffers) is process-wide
        if library.espeak_SetVoiceByName(_voice_name(language).encode()) != 0:
            raise SynthesisError(f"eSpeak NG has no voice for {language!r}")
        buffer = ctypes.create_string_buffer(text.encode("utf-8"))
        pointer = ctypes.c_void_p(ctypes.addressof(buffer))
        clauses: list[str] = []
        while pointer.value:
            result = library.espeak_TextToPhonemes(
                ctypes.byref(pointer), _CHARS_UTF8, _PHONEME_MODE
            )
            if result:
                clauses.append(result.decode("utf-8", errors="replace").strip())
    # The spaces around the run stay: they separate it from the punctuation beside it.
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return lead + " ".join(c for c in clauses if c) + trail


def _voice_name(language: str) -> str:
    """eSpeak's voice for a Kokoro accent: American or British English."""
    return "en-us" if language == "en-us" else "en"
