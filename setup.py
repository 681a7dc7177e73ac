"""The wheel carries the SAM app: ``lattice_deploy/app/`` in the built package.

Why: every verb that runs the workflow reads the real ``template.yaml`` and
``statemachine/*.asl.json`` (``lattice_deploy.runner.app.root()``), and ``lattice-deploy app``
writes the app out for ``sam build && sam deploy``. They stay at the repository's top, where SAM
reads them; this build step copies them into the package being built, never into ``src/``. An
editable install skips it: there ``root()`` reads the checkout itself. The sdist carries them
through ``MANIFEST.in``, so a wheel built from the sdist (``python -m build``) holds them too.
Everything else about the package is in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TOP = Path(__file__).resolve().parent
APP = ("template.yaml", "samconfig.toml", "statemachine", "layers", "events", "examples")
"""What ``lattice_deploy/app/`` holds, from the repository's top (the Lambda code is the
``deployer`` package, installed beside ``lattice_deploy``)."""
CACHES = shutil.ignore_patterns("__pycache__", "*.py[cod]", ".aws-sam", ".DS_Store")


class BuildWithApp(build_py):
    """``build_py``, then the SAM app copied into ``<build_lib>/lattice_deploy/app``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "lattice_deploy" / "app"
        shutil.rmtree(target, ignore_errors=True)  # a file gone from the app leaves no stale copy
        target.mkdir(parents=True)
        for name in APP:
            source = TOP / name
            if not source.exists():
                raise FileNotFoundError(f"{source}: the SAM app is incomplete (MANIFEST.in?)")
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=CACHES)
            else:
                shutil.copy2(source, target / name)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        target = Path(self.build_lib) / "lattice_deploy" / "app"
        if target.is_dir():
            outputs += [str(p) for p in sorted(target.rglob("*")) if p.is_file()]
        return outputs


setup(cmdclass={"build_py": BuildWithApp})
