"""The SAM app's files as the repository holds them, and a folder's files: what the wheel and
``lattice-deploy app --dir`` must carry, compared byte for byte."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("template.yaml", "samconfig.toml", "statemachine", "layers", "events", "examples")
"""What ``setup.py`` copies into ``lattice_deploy/app/``."""


def _cached(relative: Path) -> bool:
    return "__pycache__" in relative.parts or relative.suffix in (".pyc", ".pyo")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (caches aside), by ``/``-separated path, with its bytes."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and not _cached(path.relative_to(folder))
    }


def app_files() -> dict[str, bytes]:
    """The SAM app as the repository holds it, by its path inside the app's folder."""
    found: dict[str, bytes] = {}
    for part in PARTS:
        if (ROOT / part).is_file():
            found[part] = (ROOT / part).read_bytes()
        else:
            found.update({f"{part}/{k}": v for k, v in tree(ROOT / part).items()})
    return found
