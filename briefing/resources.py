"""Where the bundled data files (voices/*.toml, the lexicon) live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def voices_dir() -> Path:
    """The bundled voices directory: `briefing/_voices` in a wheel, else the repo's `voices/`."""
    # A wheel force-includes voices/ as briefing/_voices; an editable install or a checkout
    # keeps it beside the package, at the repository root.
    installed = _PACKAGE_DIR / "_voices"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "voices"
