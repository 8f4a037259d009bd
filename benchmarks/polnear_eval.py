"""Score attribution on the PolNeAR gold sets in process, fast enough to tune on train.

`../shared/dev-data/score_quotes.py` runs `briefing script` once per article; this runs the
same reading (load_articles, segment_article, unify_speakers) for every article in one
process, then scores with that scorer's own functions (imported from it at run time, so the
metrics are exactly its metrics). It also writes one row per recalled gold quote (method,
confidence, evidence, right or wrong) for fitting and checking the confidence calibration,
and scores voice gender where the article shows the speaker's gender.

Never copies the data into the repository: it reads it from `--data` at run time and skips
(one line) when it is absent.

Run: .venv/bin/python benchmarks/polnear_eval.py [dev|dev.named|train|train.named]
         [--limit N] [--rows OUT.jsonl] [--misses OUT.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import re
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import briefing.script.segment as segment_module
from briefing.model import AttributionMethod, Gender, Segment, SegmentKind
from briefing.script.confidence import MODES
from briefing.script.segment import segment_article
from briefing.script.speakers import unify_speakers
from briefing.sources import load_articles

DATA = Path(__file__).resolve().parents[2] / "shared" / "dev-data"
_MALE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_FEMALE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
MIN_SUPPORT = 10  # quotes a method/evidence key needs on the fitting split to be calibrated
_SENTENCE = re.compile(r"(?<=[.!?”\"])\s+")


def load_scorer(data: Path) -> ModuleType:
    """The shared scorer as a module (its metrics, not a copy of them)."""
    spec = importlib.util.spec_from_file_location("score_quotes", data / "score_quotes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shown_gender(text: str, reference: str) -> Gender:
    """The gold speaker's gender where the article shows it: an honorific before the surname
    (when no one of the other gender shares it), else the first pronoun after the speaker's name
    in the sentences naming them (outside quotes, no other name between), two or more agreeing."""
    parts = [w for w in re.findall(r"[A-Za-z][\w’'-]*", reference) if w[0].isupper()]
    if not parts:
        return Gender.UNKNOWN
    surname = re.escape(parts[-1])
    male = re.search(rf"\bMr\.?\s+(?:[A-Z]\w*\s+)?{surname}\b", text)
    female = re.search(rf"\b(?:Mrs|Ms|Miss)\.?\s+(?:[A-Z]\w*\s+)?{surname}\b", text)
    if male and not female:
        return Gender.MALE
    if female and not male:
        return Gender.FEMALE
    votes = {Gender.MALE: 0, Gender.FEMALE: 0}
    narration = re.sub(r"[“\"][^”\"]*[”\"]", " ", text)
    for sentence in _SENTENCE.split(narration):
        found = re.search(rf"\b{surname}\b", sentence)
        if found is None:
            continue
        after = re.search(
            r"\b(?:[A-Z][a-z]+\s+[A-Z]\w+|he|him|his|she|her)\b", sentence[found.end() :]
        )
        if after is not None and after.group().islower():
            votes[Gender.MALE if _MALE.fullmatch(after.group()) else Gender.FEMALE] += 1
    if votes[Gender.MALE] >= 2 and not votes[Gender.FEMALE]:
        return Gender.MALE
    if votes[Gender.FEMALE] >= 2 and not votes[Gender.MALE]:
        return Gender.FEMALE
    return Gender.UNKNOWN


def segments_json(segments: tuple[Segment, ...]) -> list[dict[str, Any]]:
    """The fields of `script --format json` the scorer and this script read."""
    out = []
    for seg in segments:
        entry: dict[str, Any] = {"kind": seg.kind.value, "text": seg.text, "speaker": seg.speaker}
        if seg.kind is SegmentKind.QUOTE:
            entry["gender"] = seg.gender.value
            entry["method"] = seg.attribution.method.value if seg.attribution else "none"
            entry["confidence"] = seg.attribution.confidence if seg.attribution else 0.0
        out.append(entry)
    return out


def quote_rows(scorer: ModuleType, row: dict[str, Any], segs: list[dict[str, Any]]) -> list[Any]:
    """One row per recalled gold quote: the best-overlapping segment's evidence and whether its
    speaker is right (the scorer's matching, redone per quote)."""
    aw = scorer.words(scorer.article_text(row["text"]))
    pred, cursor = [], 0
    for s in segs:
        if s["kind"] != "quote":
            continue
        span = scorer.locate(aw, scorer.words(s["text"]), cursor)
        if span:
            cursor = span[0]
            pred.append((span, s))
    covered = {i for (a, b), _ in pred for i in range(a, b)}
    rows = []
    for q in row["quotes"]:
        if not q["is_direct"]:
            continue
        for m in scorer.QUOTED.finditer(q["quote"]):
            span = scorer.locate(aw, scorer.words(m.group(1)))
            if not span or span[1] - span[0] < scorer.MIN_WORDS:
                continue
            a, b = span
            if len(set(range(a, b)) & covered) * 2 < b - a:
                continue
            best = max(pred, key=lambda p: max(0, min(b, p[0][1]) - max(a, p[0][0])))[1]
            rows.append(
                {
                    "method": best["method"],
                    "confidence": best["confidence"],
                    "ok": bool(scorer.same_speaker(best["speaker"], q["reference"])),
                    "gold_gender": shown_gender(row["text"], q["reference"]).value,
                    "gender": best["gender"],
                    "speaker_ok": bool(scorer.same_speaker(best["speaker"], q["reference"])),
                    "speaker": best["speaker"],
                    "gold": q["reference"],
                }
            )
    return rows


def main() -> None:
    """Score one split and print the scorer's totals, gender and the calibration table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("split", nargs="?", default="dev")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--rows", type=Path)
    ap.add_argument("--misses", type=Path)
    ap.add_argument("--mode", default=MODES[0], choices=MODES, help="parse and patterns")
    ap.add_argument("--fit", action="store_true", help="print CALIBRATION fitted on this split")
    args = ap.parse_args()
    gold = args.data / "polnear" / f"{args.split}.jsonl"
    if not gold.exists():
        print(f"polnear_eval: no gold file at {gold}; skipped")
        return
    scorer = load_scorer(args.data)
    keys: list[str] = []
    if args.fit:
        # Each quote's confidence becomes a code for its method/evidence key (>= 10, never a
        # real confidence), decoded below into per-key accuracy.
        def code(method: AttributionMethod, evidence: str, prior: float) -> float:
            key = f"{method.value}/{evidence}"
            if key not in keys:
                keys.append(key)
            return 10.0 + keys.index(key)

        setattr(segment_module, "calibrated", code)  # noqa: B010 (patched for fitting only)
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line]
    rows = rows[: args.limit] if args.limit else rows
    totals = dict.fromkeys(scorer.COUNTS, 0)
    per_quote: list[dict[str, Any]] = []
    misses: list[dict[str, Any]] = []
    words = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for row in rows:
            path = Path(tmp) / f"{len(per_quote)}.txt"
            path.write_text(scorer.article_text(row["text"]), encoding="utf-8")
            articles = load_articles([str(path)])
            words += sum(len(p.text.split()) for a in articles for p in a.paragraphs)
            stories = unify_speakers([segment_article(a, mode=args.mode) for a in articles])
            segs = [s for story in stories for s in segments_json(story)]
            result = scorer.score(row, segs)
            for key in scorer.COUNTS:
                totals[key] += result[key]
            misses.append({"id": row["id"], "misses": result["misses"]})
            per_quote += quote_rows(scorer, row, segs)
    elapsed = time.perf_counter() - started
    if args.fit:
        report(totals, per_quote, len(rows), words, elapsed)  # its confidences are codes
        fit(per_quote, keys)
        return
    report(totals, per_quote, len(rows), words, elapsed)
    if args.rows:
        args.rows.write_text("".join(json.dumps(r) + "\n" for r in per_quote), encoding="utf-8")
    if args.misses:
        args.misses.write_text(json.dumps(misses, indent=1, ensure_ascii=False), encoding="utf-8")


def fit(per_quote: list[dict[str, Any]], keys: list[str]) -> None:
    """Print CALIBRATION: per method/evidence key, Laplace-smoothed accuracy and its count."""
    print("CALIBRATION = {")
    for index, key in sorted(enumerate(keys), key=lambda k: k[1]):
        rows = [r for r in per_quote if r["confidence"] == 10.0 + index]
        ok = sum(r["ok"] for r in rows)
        if len(rows) >= MIN_SUPPORT:
            print(f'    "{key}": {(ok + 1) / (len(rows) + 2):.2f},  # {ok}/{len(rows)}')
    print("}")


def report(
    totals: dict[str, int], per_quote: list[dict[str, Any]], n: int, words: int, elapsed: float
) -> None:
    """Print the scorer's line, gender where shown, and confidence bins against accuracy."""
    rec = totals["recalled"] / max(totals["voiced"], 1)
    prec = totals["pred_ok"] / max(totals["pred"], 1)
    acc = totals["speaker_ok"] / max(totals["recalled"], 1)
    e2e = totals["speaker_ok"] / max(totals["voiced"], 1)
    print(json.dumps(totals))
    print(
        f"articles={n} quote_recall={rec:.3f} quote_precision={prec:.3f} "
        f"speaker_acc={acc:.3f} end_to_end={e2e:.3f}"
    )
    shown = [r for r in per_quote if r["gold_gender"] != "unknown" and r["speaker_ok"]]
    right = sum(r["gender"] == r["gold_gender"] for r in shown)
    unknown = sum(r["gender"] == "unknown" for r in shown)
    print(
        f"gender (right speaker, article shows gender): {right}/{len(shown)} "
        f"= {right / max(len(shown), 1):.3f}  (unknown {unknown})"
    )
    print("confidence    quotes  right  accuracy")
    edges = [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01]
    for lo, hi in itertools.pairwise(edges):
        inbin = [r for r in per_quote if lo <= r["confidence"] < hi]
        ok = sum(r["ok"] for r in inbin)
        share = ok / max(len(inbin), 1)
        print(f"[{lo:.2f},{min(hi, 1):.2f})  {len(inbin):6d} {ok:6d}  {share:.3f}")
    print("narrator below  voiced  accuracy voiced  wrong voices  right quotes to narrator")
    for threshold in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        voiced = [r for r in per_quote if r["confidence"] >= threshold]
        ok = sum(r["ok"] for r in voiced)
        lost = sum(r["ok"] for r in per_quote if r["confidence"] < threshold)
        print(
            f"{threshold:14.2f}  {len(voiced) / max(len(per_quote), 1):6.3f}"
            f"  {ok / max(len(voiced), 1):15.3f}  {len(voiced) - ok:12d}  {lost:6d}"
        )
    print(f"{words} words in {elapsed:.1f} s ({1e6 * elapsed / max(words, 1):.0f} ms / 1000 words)")


if __name__ == "__main__":
    main()
