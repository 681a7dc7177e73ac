"""``--stack`` / ``$LATTICE_DEPLOY_STACK`` / samconfig.toml, and ``--version``: a pipeline in the
application's own repository names the stack it deploys to, with no samconfig.toml of ours."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from lattice_deploy import __version__
from lattice_deploy.cli.main import main
from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.runner import targets

SAMCONFIG = '[default.global.parameters]\nstack_name = "from-samconfig"\nregion = "eu-west-1"\n'


def test_the_stack_is_the_option_then_the_variable_then_samconfig_then_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(targets.STACK_VARIABLE, raising=False)
    assert targets.stack_name(None) == "lattice-deploy"
    (tmp_path / "samconfig.toml").write_text(SAMCONFIG)
    assert targets.stack_name(None) == "from-samconfig"
    assert targets.samconfig()["region"] == "eu-west-1"
    monkeypatch.setenv(targets.STACK_VARIABLE, "from-env")
    assert targets.stack_name(None) == "from-env"
    assert targets.stack_name("given") == "given"


@pytest.mark.parametrize("name", ["bad name", "-lead", "x" * 129, "a;rm -rf /", "ünï"])
def test_a_stack_name_cloudformation_refuses_is_exit_2_before_any_call(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", f"--stack={name}", "--region", "us-east-1"]) == 2
    out = capsys.readouterr().out
    assert "--stack" in out and "letters, digits and hyphens" in out and "Traceback" not in out


def test_a_stack_that_does_not_exist_is_exit_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no samconfig.toml here: the option alone names the stack
    with EmbeddedAws(region="us-east-1"):
        assert main(["status", "--stack", "nowhere", "--region", "us-east-1"]) == 2
    out = capsys.readouterr().out
    assert "'nowhere'" in out and "--stack NAME" in out and "LATTICE_DEPLOY_STACK" in out


def test_version_is_the_installed_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"lattice-deploy {__version__}"
    assert importlib.metadata.version("lattice-deploy") == __version__


def test_an_installation_without_its_app_is_exit_2_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lattice_deploy.runner import app

    monkeypatch.setattr(app, "PACKAGED", tmp_path / "none")
    monkeypatch.setattr(app, "CHECKOUT", tmp_path / "none")
    example = Path(__file__).resolve().parents[1] / "examples" / "myservice"
    assert main(["deploy", str(example), "--local"]) == 2
    err = capsys.readouterr().err
    assert "the SAM app is neither in" in err and "reinstall lattice-deploy" in err
