"""How sure an attribution is: the evidence behind each quote's speaker, and a confidence per
kind of evidence, calibrated on real news.

Evidence is how the parse and the patterns agree on the cue: "agree" (both name the same
person), "parse" (the parse names the speech verb's subject, the patterns name someone else or
no one), "rules" (the patterns' cue, the parse found none), "mixed" (the patterns' cue, the
parse a pronoun or role noun), "parse-only" (the parse's pronoun or role noun alone), "loose"
(a cue from anywhere in the narration before the quote), "chain" (a cue shared along a
multi-paragraph quote), "continued" (a quote continuing the last speaker's), "none" (no cue:
follow-on speakers); "-phrase" is added when the speaker is a role phrase no one was named for
("the official"). `CALIBRATION` maps "method/evidence" to the share of such quotes whose
speaker was right on the PolNeAR train split (Laplace-smoothed; `benchmarks/polnear_eval.py
--fit` refits it). Keys seen fewer than 10 times keep the method's prior.
"""

from __future__ import annotations

from briefing.model import AttributionMethod
from briefing.script import names
from briefing.script.quotes_patterns import Cue, singular

MODES = ("parse-names", "parse", "fallback", "rules")
"""How the parse and the patterns combine; benchmarks/polnear_eval.py --mode compares them on
real news. "parse-names" (the default, best measured): a name the parse finds as the speech
verb's subject, else the patterns' cue, else the parse's pronoun or role noun. "parse": the
parse's cue, else the patterns'. "fallback": the patterns', else the parse's. "rules": no parse."""

# Fitted on PolNeAR train (838 articles, 3,547 recalled quotes); right/seen after each. Keys
# seen fewer than 10 times there are left out (too few to say): they keep the method's prior.
CALIBRATION: dict[str, float] = {
    "explicit/agree": 0.99,  # 2436/2467
    "explicit/loose": 0.88,  # 14/15
    "explicit/mixed": 0.89,  # 41/45
    "explicit/parse": 0.77,  # 137/178
    "explicit/rules": 0.91,  # 142/155
    "follow-on/loose": 0.65,  # 102/156
    "pronoun/agree": 0.87,  # 411/471
    "pronoun/rules": 0.88,  # 13/14
}


def combine(rule: Cue | None, parsed: Cue | None, mode: str) -> tuple[Cue | None, str]:
    """The cue to use, given the patterns' and the parse's, and the evidence it rests on."""
    if mode == "parse" and parsed is not None:
        return parsed, _evidence(rule, parsed, chose_parse=True)
    if mode == "parse-names" and parsed is not None and parsed.name is not None:
        return parsed, _evidence(rule, parsed, chose_parse=True)
    if rule is not None:
        return rule, _evidence(rule, parsed, chose_parse=False)
    return parsed, "parse-only" if parsed is not None else "none"


def _evidence(rule: Cue | None, parsed: Cue | None, *, chose_parse: bool) -> str:
    if rule is not None and parsed is not None and _same(rule, parsed):
        return "agree"
    if chose_parse:
        return "parse"
    return "rules" if parsed is None else "mixed"


def _same(a: Cue, b: Cue) -> bool:
    """Whether two cues name the same person, organisation or pronoun."""
    if a.name and b.name:
        return names.surname(a.name).lower() == names.surname(b.name).lower()
    if a.pron and b.pron:
        return a.pron.lower() == b.pron.lower()
    if a.head and b.head and not (a.name or b.name):
        # "noted the outlet": both read the same role noun.
        return singular(a.head.lower()) == singular(b.head.lower())
    return bool(a.org and b.org and a.org.lower() == b.org.lower())


def calibrated(method: AttributionMethod, evidence: str, prior: float) -> float:
    """The calibrated confidence for a quote's method and evidence (the prior if unfitted)."""
    return CALIBRATION.get(f"{method.value}/{evidence}", prior)
