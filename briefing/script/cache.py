"""The script cache: each local document's articles and segments, keyed by its bytes.

What `build_script` does for one document on its own (decode, read, clean up, segment, spoken
forms) is a pure function of the document's bytes and name, the options, the lexicon and the
code, so `<cache>/scripts/<sha256>.json` keeps the result and an unchanged article costs one
small read; when every document hits, the segmentation modules (the slowest import) are never
loaded. Speaker names are unified across stories, and voices cast, after the cache, every run.

URLs and feeds are read afresh each time (a feed's items may link pages fetched at build
time). Entries are written to a temporary name and renamed into place; an entry that does not
parse, or names another key, is a miss and is overwritten. Hits touch an entry's mtime and the
least recently used go when there are more than `max_entries`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import briefing
from briefing.model import (
    Article,
    Attribution,
    AttributionMethod,
    Gender,
    Paragraph,
    Removal,
    Segment,
    SegmentKind,
)
from briefing.script.lexicon import Lexicon
from briefing.sources import IngestOptions, RawDocument
from briefing.storage import default_directory, read_entry, scan_entries, write_entry

if TYPE_CHECKING:  # the segmentation modules are slow to import: a hit never loads them
    from briefing.script.quotes_patterns import Cue
    from briefing.script.segment import QuoteMarks

_FORMAT = 1

CachedStory = tuple[Article, tuple[Segment, ...]]
"""An article as ingested and its segments, spoken forms included, speakers not yet unified."""


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the package's own .py files (~2.5 ms), its version and Python's.

    Any edit to the package misses every entry: cheaper to get right than a list of the
    modules segmentation depends on. Python's version covers `re` and Unicode data.
    """
    root = Path(briefing.__file__).parent
    digest = hashlib.sha256(f"{briefing.__version__}\0{sys.version}".encode())
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                path = Path(directory, name)
                digest.update(f"\0{path.relative_to(root).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _installed() -> tuple[str, ...]:
    """Names and versions of the installed distributions (their .dist-info directories).

    HTML goes through trafilatura and lxml, whose output can change with their versions;
    listing these directories (~0.5 ms) is cheaper than asking importlib.metadata.
    """
    found: list[str] = []
    for entry in filter(None, sys.path):
        with contextlib.suppress(OSError), os.scandir(entry) as listing:
            found += [e.name for e in listing if e.name.endswith((".dist-info", ".egg-info"))]
    return tuple(sorted(found))


def document_key(
    raw: RawDocument, kind: str, ingest: IngestOptions, min_quote_words: int, lexicon: Lexicon
) -> str | None:
    """The key of one document's stories, or None when it is not cached (URLs and feeds)."""
    if raw.url is not None or kind == "feed":
        return None
    fields = [
        _FORMAT,
        code_fingerprint(),
        raw.source,  # the article's `source`, and markdown's fallback title
        raw.content_type,
        kind,
        asdict(ingest),
        min_quote_words,
        list(lexicon.words.items()),
        sorted(lexicon.spell),
        sorted(lexicon.say),
        _installed() if kind == "html" else None,
    ]
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode())
    digest.update(b"\0")
    digest.update(raw.data)
    return digest.hexdigest()


class ScriptCache:
    """Cached stories of local documents on disk, beside the clip cache."""

    def __init__(self, directory: Path | None = None, max_entries: int = 2000) -> None:
        root = directory if directory is not None else default_directory()
        self.directory = root / "scripts"
        self.max_entries = max_entries

    def _path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str) -> list[CachedStory] | None:
        """The stories stored under `key`, or None (missing, corrupt or foreign)."""
        path = self._path(key)
        found = read_entry(path)
        if found is None:
            return None
        try:
            stories = _decode(json.loads(found[1]), key)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept by `prune`
        return stories

    def put(self, key: str, stories: Sequence[CachedStory]) -> None:
        """Store stories atomically; a full or read-only disk only costs the entry."""
        try:
            data = json.dumps(_encode(key, stories), ensure_ascii=False, separators=(",", ":"))
            encoded = data.encode()
        except ValueError:  # a lone surrogate cannot be written as UTF-8: not cached
            return
        write_entry(self._path(key), encoded)

    def get_cues(self, text: str, quotes: Sequence[QuoteMarks]) -> list[Cue | None] | None:
        """The parse's cues stored for this paragraph's quotes (`segment.ParsedCues`), or None."""
        path = self.directory / f"{_cues_key(text, quotes)}{_CUES}"
        found = read_entry(path)
        if found is None:
            return None
        try:
            cues = [_decode_cue(c) for c in _list(json.loads(found[1]))]
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return cues

    def put_cues(self, text: str, quotes: Sequence[QuoteMarks], cues: Sequence[Cue | None]) -> None:
        """Keep the parse's cues for this paragraph's quotes; a full disk only costs the entry."""
        rows = [None if c is None else [c.pron, c.nom, c.head, c.org, c.name] for c in cues]
        try:
            encoded = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
        except ValueError:
            return
        write_entry(self.directory / f"{_cues_key(text, quotes)}{_CUES}", encoded)

    def prune(self) -> None:
        """Keep the `max_entries` most recently used documents (and ten times as many
        paragraphs' cues); sweep stale temporary files."""
        entries = sorted(self._scan(), reverse=True)
        kept = {".json": self.max_entries, _CUES: 10 * self.max_entries}
        for _, _, path in entries:
            if kept[path.suffix] > 0:
                kept[path.suffix] -= 1
                continue
            with contextlib.suppress(OSError):
                path.unlink()

    def info(self) -> tuple[int, int]:
        """Number of documents stored and bytes used (their paragraphs' cues included)."""
        entries = self._scan()
        documents = sum(1 for _, _, path in entries if path.suffix != _CUES)
        return documents, sum(size for _, size, _ in entries)

    def clear(self) -> tuple[int, int]:
        """Delete every entry; return how many documents were removed and how many entries
        could not be."""
        removed = left = 0
        for _, _, path in self._scan():
            try:
                path.unlink()
                removed += path.suffix != _CUES
            except FileNotFoundError:
                continue
            except OSError:
                left += 1
        for entry in self._entries():  # temporaries
            with contextlib.suppress(OSError):
                Path(entry.path).unlink()
        with contextlib.suppress(OSError):
            self.directory.rmdir()
        return removed, left

    def _entries(self) -> list[os.DirEntry[str]]:
        try:
            return list(os.scandir(self.directory))
        except OSError:
            return []

    def _scan(self) -> list[tuple[float, int, Path]]:
        """(mtime, size, path) of every entry; sweeps temporaries left by killed builds."""
        return scan_entries(self.directory, (".json", _CUES))


_CUES = ".cues"
"""A paragraph's parse cues sit beside the documents' stories, counted and cleared with them."""


def _cues_key(text: str, quotes: Sequence[QuoteMarks]) -> str:
    """The parse's cues depend on the paragraph, its quotes' marks, the code and the model
    (spaCy and its weights are installed distributions), nothing else."""
    fields = [_FORMAT, code_fingerprint(), _installed(), [list(q) for q in quotes]]
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode())
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _decode_cue(value: object) -> Cue | None:
    from briefing.script.quotes_patterns import Cue

    if value is None:
        return None
    fields = [f if f is None else _str(f) for f in _list(value)]
    if len(fields) != 5:
        raise ValueError("not a cue")
    pron, nom, head, org, name = fields
    return Cue(pron, nom, head, org, name)


# JSON form: compact arrays, checked field by field on the way back (a wrong type is a miss).


def _encode(key: str, stories: Sequence[CachedStory]) -> dict[str, object]:
    return {
        "format": _FORMAT,
        "key": key,
        "stories": [
            {
                "title": article.title,
                "source": article.source,
                "byline": article.byline,
                "paragraphs": [[p.text, p.blockquote] for p in article.paragraphs],
                "removed": [[r.text, r.reason] for r in article.removed],
                "segments": [_encode_segment(s) for s in segments],
            }
            for article, segments in stories
        ],
    }


def _encode_segment(segment: Segment) -> list[object]:
    attribution = segment.attribution
    return [
        segment.kind.value,
        segment.text,
        segment.spoken,
        segment.paragraph,
        segment.speaker,
        segment.gender.value,
        attribution.method.value if attribution else None,
        attribution.confidence if attribution else None,
    ]


def _decode(document: object, key: str) -> list[CachedStory]:
    if not isinstance(document, dict):
        raise ValueError("not an entry")
    if document["format"] != _FORMAT or document["key"] != key:
        raise ValueError("another format or key")
    stories: list[CachedStory] = []
    for story in _list(document["stories"]):
        if not isinstance(story, dict):
            raise ValueError("not a story")
        paragraphs = tuple(
            Paragraph(_str(text), _bool(quote)) for text, quote in map(_pair, story["paragraphs"])
        )
        removed = tuple(Removal(_str(t), _str(why)) for t, why in map(_pair, story["removed"]))
        article = Article(
            _str(story["title"]),
            paragraphs,
            _str(story["source"]),
            _optional_str(story["byline"]),
            removed,
        )
        stories.append((article, tuple(_decode_segment(s) for s in _list(story["segments"]))))
    return stories


def _decode_segment(value: object) -> Segment:
    kind, text, spoken, paragraph, speaker, gender, method, confidence = _list(value)
    attribution = None
    if method is not None:
        if not isinstance(confidence, int | float) or isinstance(confidence, bool):
            raise ValueError("confidence")
        attribution = Attribution(AttributionMethod(_str(method)), confidence)
    if not isinstance(paragraph, int) or isinstance(paragraph, bool):
        raise ValueError("paragraph")
    return Segment(
        SegmentKind(_str(kind)),
        _str(text),
        _str(spoken),
        paragraph,
        _optional_str(speaker),
        Gender(_str(gender)),
        attribution,
    )


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


def _pair(value: object) -> tuple[object, object]:
    first, second = _list(value)
    return first, second


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _optional_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected a boolean")
    return value
