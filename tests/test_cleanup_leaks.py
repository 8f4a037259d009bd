"""What real news pages leak into the narration, on a page the project writes (issue 16)."""

from __future__ import annotations

from pathlib import Path

from briefing.sources import load_articles

BODY = [
    "PORT ELLIS — The harbour council voted seven to two on Tuesday to approve the tide "
    "barrier, ending a decade of argument over how to protect the old town from floods.",
    "The mayor said construction would begin in the spring and take three years to finish.",
    "Engineers expect the barrier to close about a dozen times each winter, when storm surges "
    "are forecast, and to stay open the rest of the year so ships can pass.",
]
LEAKS = [
    "Follow the Ledger’s coverage of the harbour at https://ledger.example/harbour",
    "Email Sam Ito at sam.ito@ledger.example",
    "Listen to the council meeting live at 12:45",
    "SOURCE: News agencies",
    "Our Standards: The Thomson Reuters Trust Principles.",
    "Editor’s note: This story was updated to correct the day of the vote.",
    "Sam Ito https://twitter.com/samito",
]


def test_furniture_lines_and_a_repeated_pull_quote_are_not_read(tmp_path: Path) -> None:
    pull = "The mayor said construction would begin in the spring and take three years"
    paragraphs = [BODY[0], f"<blockquote>{pull}</blockquote>", *BODY[1:], *LEAKS]
    html = "".join(f"<p>{p}</p>" if not p.startswith("<") else p for p in paragraphs)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Council Approves Tide Barrier</title>"
        '<meta name="author" content="Sam Ito; https://twitter.com/samito"></head>'
        f"<body><article><h1>Council Approves Tide Barrier</h1>{html}</article></body></html>",
        encoding="utf-8",
    )
    [article] = load_articles([str(page)])
    texts = [p.text for p in article.paragraphs]
    assert texts == BODY
    assert article.byline == "Sam Ito"
    reasons = {r.text: r.reason for r in article.removed}
    assert all(leak in reasons for leak in LEAKS), reasons
    assert reasons[pull] == "pull quote"
