"""A cast or lexicon file nested thousands deep is a one-line exit 2 (issue 16, bug 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

runner = CliRunner()


@pytest.mark.parametrize("option", ["--cast", "--lexicon"])
@pytest.mark.parametrize("nesting", ["array", "table"])
def test_deeply_nested_toml_is_a_config_error(tmp_path: Path, option: str, nesting: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\nA paragraph.\n", encoding="utf-8")
    deep = tmp_path / "deep.toml"
    depth = 5000
    if nesting == "array":
        body = "[" * depth + "]" * depth
    else:
        body = "{ a = " * depth + "1" + " }" * depth
    deep.write_text(f"x = {body}\n", encoding="utf-8")
    result = runner.invoke(app, ["script", str(article), option, str(deep), "--engine", "fake"])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "nested too deeply" in lines[0]
