"""``lattice-deploy app --dir DIR [--force]``: write the SAM app out, for ``sam build && sam
deploy``: ``template.yaml``, ``samconfig.toml``, ``statemachine/``, ``layers/``, the Lambda code
(``functions/deployer/``), ``events/`` (``sam local invoke -e``) and ``examples/``.

Why: ``pipx install`` / ``pip install`` of the wheel is the whole tool, with no clone; the
platform engineer who runs ``sam deploy`` once needs the very app the local runner deploys
(``lattice_deploy.runner.app.root()``: the copy inside the wheel, or the checkout), and the very
handlers the functions run (the installed ``deployer`` package). Nothing outside DIR is written,
and a file that exists is left alone unless ``--force`` (the check comes before any write).
Exit codes: 0 written, 2 usage (DIR is a file, a file exists, a link leads out of DIR).
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import shutil
from pathlib import Path
from typing import Any

from ..runner import app as sam_app

PARTS = ("template.yaml", "samconfig.toml", "statemachine", "layers", "events", "examples")
"""What is written from the app's folder, by name (``functions/deployer/`` comes from the
installed package)."""
CACHES = {"__pycache__", ".aws-sam", ".DS_Store"}
CACHE_SUFFIXES = (".pyc", ".pyo")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "app", help="write the SAM app (template.yaml, functions, …) for sam build && sam deploy"
    )
    parser.add_argument(
        "--dir", type=Path, required=True, help="where to write (made if it does not exist)"
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite files that exist (others are kept)"
    )
    parser.set_defaults(run=run)


def _cached(relative: Path) -> bool:
    return bool(CACHES & set(relative.parts)) or relative.suffix in CACHE_SUFFIXES


def _tree(source: Path, prefix: str) -> dict[str, Path]:
    return {
        f"{prefix}/{path.relative_to(source).as_posix()}": path
        for path in sorted(source.rglob("*"))
        if path.is_file() and not _cached(path.relative_to(source))
    }


def _deployer() -> Path:
    """The installed ``deployer`` package's folder (found, not imported)."""
    spec = importlib.util.find_spec("deployer")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the deployer package is not installed: reinstall lattice-deploy")
    return Path(next(iter(spec.submodule_search_locations)))


def files() -> dict[str, Path]:
    """Every file of the app: its path in DIR (``/``-separated) → the file it is copied from."""
    root = sam_app.root()
    found: dict[str, Path] = {}
    for part in PARTS:
        source = root / part
        if source.is_dir():
            found.update(_tree(source, part))
        else:
            found[part] = source
    found.update(_tree(_deployer(), "functions/deployer"))
    return found


def _refusal(directory: Path, written: dict[str, Path], force: bool) -> str | None:
    """Why nothing may be written, or None."""
    if directory.exists() and not directory.is_dir():
        return f"{directory} is not a directory; choose another --dir"
    inside = directory.resolve()
    for name in written:
        target = directory / name
        if not target.resolve().is_relative_to(inside):  # a link in DIR pointing elsewhere
            return f"{target} is a link out of {directory}; remove it or choose another --dir"
    if force:
        return None
    existing = [name for name in written if (directory / name).exists()]
    if not existing:
        return None
    more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
    return (
        f"{directory / existing[0]} exists{more}; pass --force to overwrite the app's files in "
        f"{directory}, or choose an empty --dir"
    )


def run(args: argparse.Namespace) -> int:
    directory: Path = args.dir
    written = files()
    refused = _refusal(directory, written, args.force)
    if refused:
        print(f"cannot write the app: {refused}")
        return 2
    for name, source in written.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    shown = shlex.quote(str(directory))
    print(f"wrote the SAM app in {directory}: {len(written)} files")
    print(
        "\n".join(
            [
                "  template.yaml, samconfig.toml, statemachine/, layers/, functions/deployer/,"
                " events/, examples/",
                "Next (sam build needs make and a python3 with pip, or PYTHON=...; no Docker):",
                f"  cd {shown} && sam build && sam deploy --guided",
                "Or try the workflow on the embedded AWS first:",
                f"  lattice-deploy deploy {shlex.quote(str(directory / 'examples/myservice'))}"
                " --local",
            ]
        )
    )
    return 0
