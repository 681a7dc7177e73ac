"""``lattice-deploy app --dir DIR``: the SAM app written out is the source, byte for byte (caches
aside), ``sam validate --lint`` accepts it, and nothing that exists is overwritten unless asked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app_tree import app_files, tree
from lattice_deploy.cli.main import main

ROOT = Path(__file__).resolve().parents[1]


def source() -> dict[str, bytes]:
    """The app as the repository holds it, by its path in DIR."""
    found = app_files()
    found.update(
        {f"functions/deployer/{k}": v for k, v in tree(ROOT / "functions/deployer").items()}
    )
    return found


def test_the_app_written_is_the_source_and_sam_accepts_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "not" / "yet" / "app"  # made, parents and all
    assert main(["app", "--dir", str(target)]) == 0
    said = capsys.readouterr().out
    assert f"cd {target} && sam build && sam deploy --guided" in said
    written = tree(target)
    assert sorted(written) == sorted(source())
    assert written == source()
    assert {
        "template.yaml",
        "statemachine/deploy.asl.json",
        "functions/deployer/core/step.py",
    } <= set(written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not"]  # nothing beside DIR
    sam = Path(sys.executable).parent / "sam"  # the dev extra's aws-sam-cli
    checked = subprocess.run(
        [str(sam), "validate", "--lint", "-t", str(target / "template.yaml")],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SAM_CLI_TELEMETRY": "0"},
        cwd=target,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "is a valid SAM Template" in checked.stdout + checked.stderr


def test_files_that_exist_are_kept_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["app", "--dir", str(tmp_path)]) == 0
    edited, own = tmp_path / "samconfig.toml", tmp_path / "notes.txt"
    edited.write_text("mine\n")
    own.write_text("kept\n")
    capsys.readouterr()
    assert main(["app", "--dir", str(tmp_path)]) == 2
    said = capsys.readouterr().out
    assert "exists" in said and "--force" in said and str(tmp_path) in said
    assert edited.read_text() == "mine\n"  # refused before any write
    assert main(["app", "--dir", str(tmp_path), "--force"]) == 0
    assert edited.read_bytes() == (ROOT / "samconfig.toml").read_bytes()
    assert own.read_text() == "kept\n"  # not the app's: left alone


def test_a_dir_that_is_a_file_or_a_link_out_of_it_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert main(["app", "--dir", str(a_file)]) == 2
    assert "not a directory" in capsys.readouterr().out
    outside, target = tmp_path / "outside", tmp_path / "app"
    outside.mkdir()
    target.mkdir()
    (target / "statemachine").symlink_to(outside)
    assert main(["app", "--dir", str(target), "--force"]) == 2
    assert "link out of" in capsys.readouterr().out
    assert list(outside.iterdir()) == [] and [p.name for p in target.iterdir()] == ["statemachine"]


def test_the_dir_is_required() -> None:
    with pytest.raises(SystemExit) as exited:
        main(["app"])
    assert exited.value.code == 2


def test_serve_names_the_examples_where_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from lattice_deploy.cli.serve import banner

    deployed: Any = SimpleNamespace(bucket="b", state_machine_arn="arn")
    monkeypatch.chdir(ROOT)
    said = banner("http://127.0.0.1:1", 10, deployed)
    assert "deploy examples/myservice --endpoint-url" in said  # a checkout, from its top
    assert "lattice-deploy app --dir" not in said  # the examples here are the ones to edit
    monkeypatch.chdir(tmp_path)
    said = banner("http://127.0.0.1:1", 10, deployed)
    assert f"deploy {ROOT / 'examples' / 'myservice'} --endpoint-url" in said
    assert f"file://{ROOT / 'examples' / 'orders'}/image-manifest.json" in said
