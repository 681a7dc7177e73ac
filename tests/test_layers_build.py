"""The stack's layers hold what Lambda's python3.13 on arm64 loads, whatever Python builds them.

Each layer is built here as `sam build` builds it (template.yaml's `BuildMethod: makefile`): its
ContentUri folder copied, then `make --makefile <ContentUri>/Makefile build-<LogicalId>` run in
the copy with ARTIFACTS_DIR set, by the Python running the tests (any 3.11+). Built here
rather than read from .aws-sam/build: that folder may be missing or older than layers/, and `make
test` must pass without `make sam`. pip needs the package index, as `make setup` does; without
it the build fails here, with pip's message (a skip would pass CI with no layer checked).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.runner import template as cfn

ROOT = Path(__file__).resolve().parents[1]
EM_AARCH64 = 183  # e_machine of arm64 (Arm's "ELF for the Arm 64-bit Architecture")
EXTENSION = r"\.(cpython-313-aarch64-linux-gnu|abi3)\.so"  # the file name ends of a 3.13 module
PURE_TAG = re.compile(r"py[23]-none-any")
BINARY_TAG = re.compile(r"(cp313-cp313|cp3\d+-abi3)-manylinux\w*_aarch64")


def _layers() -> dict[str, Any]:
    resources = cfn.load(ROOT / "template.yaml").resources
    return {k: r for k, r in resources.items() if r["Type"] == "AWS::Serverless::LayerVersion"}


LAYERS = _layers()


def _make(layer: str, *args: str, cwd: Path, artifacts: Path) -> subprocess.CompletedProcess[str]:
    makefile = ROOT / LAYERS[layer]["Properties"]["ContentUri"] / "Makefile"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env |= {"ARTIFACTS_DIR": str(artifacts), "PYTHON": sys.executable}
    command = ["make", *args, "--makefile", str(makefile), f"build-{layer}"]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _build(layer: str, tmp_path: Path) -> Path:
    """The layer's python/ folder, built as sam build builds it (in a copy of its ContentUri)."""
    scratch = tmp_path / "scratch"
    shutil.copytree(ROOT / LAYERS[layer]["Properties"]["ContentUri"], scratch)
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    done = _make(layer, cwd=scratch, artifacts=artifacts)
    assert done.returncode == 0, f"make build-{layer} failed:\n{done.stdout}{done.stderr[-3000:]}"
    return artifacts / "python"


def _pins(layer: str) -> dict[str, str]:
    text = (ROOT / LAYERS[layer]["Properties"]["ContentUri"] / "requirements.txt").read_text()
    found = re.findall(r"^([\w.-]+)==(\S+)\s*$", text, re.M)
    return {_normal(name): version for name, version in found}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()  # PyYAML, pyyaml; python-dateutil, python_dateutil


def _elf_machine(path: Path) -> int | None:
    head = path.read_bytes()[:20]
    if head[:4] != b"\x7fELF":
        return None
    assert head[4] == 2, f"{path}: not a 64-bit ELF"  # EI_CLASS: ELFCLASS64
    return int.from_bytes(head[18:20], "little" if head[5] == 1 else "big")  # EI_DATA


def test_the_stack_has_its_three_layers_each_built_by_its_makefile(tmp_path: Path) -> None:
    assert set(LAYERS) == {"SdkLayer", "JsonnetLayer", "YamlLayer"}
    for layer, resource in LAYERS.items():
        assert resource["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
        assert resource["Properties"]["CompatibleRuntimes"] == ["python3.13"]
        assert resource["Properties"]["CompatibleArchitectures"] == ["arm64"]
        dry = _make(layer, "--dry-run", cwd=tmp_path, artifacts=tmp_path)
        assert dry.returncode == 0 and "pip install" in dry.stdout, dry.stderr


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_the_built_layer_holds_only_python313_arm64_code(layer: str, tmp_path: Path) -> None:
    python = _build(layer, tmp_path)
    files = [p for p in python.rglob("*") if p.is_file()]

    # every ELF file is arm64; every extension module is CPython 3.13's (or the stable ABI's)
    machines = {p: m for p in files if (m := _elf_machine(p)) is not None}
    assert all(m == EM_AARCH64 for m in machines.values()), machines
    # (auditwheel's <dist>.libs/ hold the libraries a module links, not modules)
    extensions = [p for p in files if p.suffix == ".so" and not p.parent.name.endswith(".libs")]
    assert all(re.search(EXTENSION + "$", p.name) for p in extensions), extensions
    assert set(machines) >= set(extensions)

    # every pin (and its dependencies) installed, binary or pure-Python; each wheel's tags fit
    wheels = {p.parent.name: p.read_text() for p in python.glob("*.dist-info/WHEEL")}
    installed = {_normal(n): v for n, v in (d[: -len(".dist-info")].rsplit("-", 1) for d in wheels)}
    assert installed.items() >= _pins(layer).items(), installed
    binary = []
    for dist, text in wheels.items():
        tags = re.findall(r"^Tag: (\S+)$", text, re.M)
        assert tags, dist
        for tag in tags:
            assert PURE_TAG.fullmatch(tag) or BINARY_TAG.fullmatch(tag), f"{dist}: {tag}"
        if any(BINARY_TAG.fullmatch(tag) for tag in tags):
            binary.append(dist)
    for dist in binary:  # a binary wheel brought its extension modules (the checks are not idle)
        record = (python / dist / "RECORD").read_text()
        assert re.search(EXTENSION + ",", record), dist
    assert bool(binary) is (layer != "SdkLayer")  # go-jsonnet and PyYAML are compiled

    # nothing of the Python that ran pip: no bytecode of its own, no scripts naming it
    assert not [p for p in files if p.suffix == ".pyc" and ".cpython-313." not in p.name]
    assert not (python / "bin").exists()
