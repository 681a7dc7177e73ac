"""The template's layers, as the local stack publishes them: what each holds, by name and version.

Why: on AWS a layer is what ``sam build`` installed from its ``requirements.txt`` (one
``<name>-<version>.dist-info`` directory per distribution under ``python/``). Here the functions
run in this process with the distributions installed here, so each layer version the local stack
publishes lists exactly those, at the versions installed, with the same layout: a reader of the
layer (``lattice-deploy doctor``) learns the versions the functions run with, as on AWS.
"""

from __future__ import annotations

import io
import re
import zipfile
from importlib import metadata
from pathlib import Path

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def requirements(folder: Path) -> list[str]:
    """The distribution names ``folder/requirements.txt`` lists (none when it is absent)."""
    path = folder / "requirements.txt"
    if not path.is_file():
        return []
    found = (REQUIREMENT.match(line) for line in path.read_text().splitlines())
    return [m[1] for m in found if m and not m[1].startswith("#")]


def archive(names: list[str]) -> bytes:
    """A layer archive whose ``python/`` holds each installed distribution's dist-info
    (``METADATA`` only: the code itself is this process's)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("python/README.txt", "the code runs in process; versions below\n")
        for name in names:
            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
            folder = f"python/{re.sub(r'[-.]+', '_', name)}-{version}.dist-info"
            zipped.writestr(f"{folder}/METADATA", f"Name: {name}\nVersion: {version}\n")
    return buffer.getvalue()
