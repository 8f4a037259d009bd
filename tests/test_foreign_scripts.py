"""Text in a script the English voices cannot read is refused before synthesis (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.script.writing import foreign_script

runner = CliRunner()
HEBREW = "הוועדה אישרה את התוכנית החדשה לנמל ביום שני בבוקר."
CHINESE = "市议会周一批准了港口区的新计划。"


@pytest.mark.parametrize(
    ("body", "script", "where"),
    [
        (f"{HEBREW}\n\n{HEBREW}", "Hebrew", "paragraph 1"),
        (f"The council met on Monday.\n\n{CHINESE}", "Chinese", "paragraph 2"),
    ],
)
def test_an_unreadable_paragraph_is_exit_2_before_any_synthesis(
    tmp_path: Path, body: str, script: str, where: str
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(f"Harbour Plan Approved\n\n{body}\n", encoding="utf-8")
    out = tmp_path / "b.mp3"
    result = runner.invoke(app, ["render", str(article), "-o", str(out), "--engine", "fake",
                                 "--cache-dir", str(tmp_path / "cache")])  # fmt: skip
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{where} is written in {script} script" in lines[0]
    assert not out.exists() and not (tmp_path / "cache" / "clips").exists()


def test_a_name_in_its_own_script_inside_english_is_read(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Harbour Plan Approved\n\nThe plan was drawn up by the architect Wang Shu (王澍), "
        "who said the harbour would open to the public next spring.\n",
        encoding="utf-8",
    )
    out = tmp_path / "b.wav"
    result = runner.invoke(app, ["render", str(article), "-o", str(out), "--engine", "fake"])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 1000


def test_script_detection() -> None:
    assert foreign_script(HEBREW) == "Hebrew"
    assert foreign_script(CHINESE) == "Chinese"
    assert foreign_script("Москва объявила новые правила") == "Cyrillic"
    assert foreign_script("Café au lait à la française, naïve façade") is None
    assert foreign_script("The Greek letter α is used for angles.") is None
