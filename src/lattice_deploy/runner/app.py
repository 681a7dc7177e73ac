"""Where the SAM app is: the copy the wheel carries inside the package, else this checkout.

The local runner deploys the real ``template.yaml`` with the real ``statemachine/*.asl.json``,
so every verb that runs the workflow needs them. An installed wheel carries them in
``lattice_deploy/app/`` (copied there at build time, see ``setup.py``); an editable install of
a clone reads them from the clone's top, where ``sam build`` reads them too.
"""

from __future__ import annotations

from pathlib import Path

PACKAGED = Path(__file__).resolve().parents[1] / "app"
CHECKOUT = Path(__file__).resolve().parents[3]
MARKERS = ("template.yaml", "statemachine")


class AppMissing(FileNotFoundError):
    """The installation lost its SAM app (a wheel built without it, files removed): the CLI
    says so with exit 2 instead of a traceback, before any change."""


def _holds_app(folder: Path) -> bool:
    return all((folder / marker).exists() for marker in MARKERS)


def root() -> Path:
    """The folder holding ``template.yaml`` and ``statemachine/`` (and ``examples/``)."""
    for folder in (PACKAGED, CHECKOUT):
        if _holds_app(folder):
            return folder
    raise AppMissing(
        f"the SAM app is neither in {PACKAGED} nor in {CHECKOUT}: reinstall lattice-deploy "
        "from its wheel (pip install lattice-deploy) or install a clone (pip install -e .)"
    )


def packaged() -> bool:
    """Whether the app read is the wheel's copy (not a checkout's, which its user can edit)."""
    return root() == PACKAGED


def shown(path: Path) -> str:
    """``path`` as its user would type it here: relative when under the current directory
    (``examples/myservice`` in a checkout), else whole (the wheel's copy in site-packages)."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
