"""An utterance's text as Kokoro's input: token ids, cut to fit the model's context.

Phonemized one sentence at a time; sentences are packed into pieces of at most `MAX_TOKENS`
(fewer, longer model calls read more naturally); a sentence too long for one piece is cut at
clause punctuation, and a clause still too long at spaces: never inside a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefing.errors import SynthesisError
from briefing.speech.engines.kokoro_vocab import VOCAB

MAX_TOKENS = 510
"""Kokoro's context is 512 tokens, two of them the pads around the text."""
_SPACE = VOCAB[" "]
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:—])\s+")

Tokenize = Callable[[str], list[int]]


def tokens_of(phonemes: str) -> list[int]:
    """Kokoro's token ids for a phoneme string; symbols outside its vocabulary are dropped."""
    return [VOCAB[symbol] for symbol in phonemes if symbol in VOCAB]


def cut_tokens(text: str, tokenize: Tokenize, limit: int = MAX_TOKENS) -> list[list[int]]:
    """Token pieces of at most `limit`, cut at sentence ends, else clauses, else spaces."""
    pieces: list[list[int]] = []
    for sentence in filter(None, _SENTENCE_END.split(text.strip())):
        tokens = tokenize(sentence)
        if len(tokens) <= limit:
            _append(pieces, tokens, limit)
            continue
        for clause in filter(None, _CLAUSE_END.split(sentence)):
            tokens = tokenize(clause)
            if len(tokens) <= limit:
                _append(pieces, tokens, limit)
                continue
            for word in clause.split():
                tokens = tokenize(word)
                if len(tokens) > limit:
                    raise SynthesisError(f"a word too long for Kokoro: {word[:40]!r}...")
                _append(pieces, tokens, limit)
    return [piece for piece in pieces if piece]


def _append(pieces: list[list[int]], tokens: list[int], limit: int) -> None:
    """Add to the last piece when it still fits, else start a new one."""
    if not tokens:
        return
    if pieces and len(pieces[-1]) + 1 + len(tokens) <= limit:
        pieces[-1] += [_SPACE, *tokens]
    else:
        pieces.append(list(tokens))
