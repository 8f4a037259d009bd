"""Bytes to clean text: encodings, binary detection, control characters and odd spaces."""

from __future__ import annotations

import codecs
import re
import unicodedata

from briefing.errors import InputError

# File signatures of formats people may pass by mistake; checked before any decoding.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
_RIFF = b"RIFF"

# C0 controls except tab/newline/CR/FF/VT, plus DEL: the bytes no text file has in bulk.
_CONTROL_BYTES = frozenset([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_SAMPLE = 64 * 1024


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        table[cp] = None
    table[ord("\t")] = " "
    table[ord("\n")] = "\n"
    for cp in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029):
        table[cp] = "\n"
    # Zero-width characters and soft hyphens are invisible on the page; eSpeak may read them.
    for cp in (0x00AD, 0x200B, 0x200C, 0x200E, 0x200F, 0x2060, 0xFEFF, 0xFFFD):
        table[cp] = None
    # Every Unicode space separator (Zs) lies below U+3001.
    for cp in range(0x3001):
        if cp > 0x20 and unicodedata.category(chr(cp)) == "Zs":
            table[cp] = " "  # NBSP, thin spaces, figure spaces...
    return table


_TABLE = _build_table()
_CRLF = re.compile(r"\r\n?")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def clean_text(text: str) -> str:
    """Normalise newlines, drop control and zero-width characters, turn odd spaces into spaces."""
    return _CRLF.sub("\n", text).translate(_TABLE)


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    return sum(1 for b in sample if b in _CONTROL_BYTES) / len(sample)


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(_RIFF) and len(data) >= 12:
        return "a RIFF media file (WAV/AVI/WebP)"
    return None


def _looks_utf16(sample: bytes) -> str | None:
    """Detect BOM-less UTF-16 of mostly-ASCII text from where its NUL bytes fall."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0 : pairs * 2 : 2].count(0)
    odd_nuls = sample[1 : pairs * 2 : 2].count(0)
    if odd_nuls > 0.6 * pairs and even_nuls < 0.05 * pairs:
        return "utf-16-le"
    if even_nuls > 0.6 * pairs and odd_nuls < 0.05 * pairs:
        return "utf-16-be"
    return None


def _decode_8bit(data: bytes) -> str:
    """UTF-8 when it mostly is (a stray bad byte is dropped); otherwise cp1252, then Latin-1."""
    good = len(_UTF8_MULTIBYTE.findall(data[:_SAMPLE]))
    bad = data[:_SAMPLE].decode("utf-8", errors="replace").count("\ufffd")
    if good > 4 * bad:
        return data.decode("utf-8", errors="replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return data.decode("latin-1")


def empty_noun(where: str) -> str:
    """What to call a source in "... is empty": the page for URLs, the file otherwise."""
    return "the page" if where.lower().startswith(("http://", "https://")) else "the file"


def decode_bytes(data: bytes, where: str) -> str:
    """Decode an article's bytes into clean text, or raise InputError naming `where`."""
    if not data:
        raise InputError(f"{where}: {empty_noun(where)} is empty")
    kind = _binary_kind(data)
    if kind is not None:
        raise InputError(
            f"{where}: not a text article ({kind})",
            hint="pass a .txt, .md, .html or feed file, or a URL",
        )
    text: str | None = None
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, errors="replace")
            break
    if text is None:
        sample = data[:_SAMPLE]
        utf16 = _looks_utf16(sample)
        if utf16 is not None:
            text = data.decode(utf16, errors="replace")
        else:
            try:
                text = data.decode("utf-8")
                # Valid UTF-8 full of control bytes is still not text.
                if _control_ratio(sample) > 0.25:
                    text = None
            except UnicodeDecodeError:
                # Random bytes are ~11% control codes; real 8-bit text has few (a stray NUL or
                # two, which cleanup strips, can be several percent of a short file).
                text = None if _control_ratio(sample) > 0.05 else _decode_8bit(data)
    if text is None:
        raise InputError(
            f"{where}: not a text article (binary content)",
            hint="pass a .txt, .md, .html or feed file, or a URL",
        )
    return clean_text(text)
