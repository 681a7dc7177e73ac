"""What starting the CLI or a handler loads: neither pays for what it does not run (timings live
in bench/, these check the cause: which heavy modules get imported)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded(statement: str, modules: list[str]) -> list[str]:
    probe = f"import sys; {statement}; print(' '.join(m for m in {modules!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.split()


@pytest.mark.parametrize(
    "statement",
    [
        "import lattice_deploy.cli.main as m; m.parser()",
        "import lattice_deploy.cli.validate, lattice_deploy.cli.plan, lattice_deploy.cli.status",
    ],
)
def test_the_cli_loads_neither_moto_nor_xray_until_a_verb_needs_them(statement: str) -> None:
    assert loaded(statement, ["moto", "aws_xray_sdk.core"]) == []


def test_a_handler_module_imports_without_the_xray_sdk() -> None:
    assert (
        loaded("import deployer.states.check_health, deployer.states.report", ["aws_xray_sdk.core"])
        == []
    )
