"""The hostile corpus through the CLI: every case is refused by name, exit 2, no traceback, and
nothing outside the bundle is opened; through ``deploy`` nothing is uploaded or started."""

from __future__ import annotations

import builtins
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.cli.main import main
from lattice_deploy.runner import execution

from .corpus import CASES, EVIL, Edit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE, CATALOG = ROOT / "examples" / "myservice", ROOT / "examples" / "catalog"
SECRET = "AWS_SECRET_ACCESS_KEY=do-not-read-me"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``make(edit)``: the example bundle, edited; beside it ``outside/`` with secrets and a
    valid task definition. Every file the process opens is noted, to prove none is outside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secrets").write_text(SECRET + "\n")
    shutil.copy(EXAMPLE / "ecs-task-def.json", outside / "task.json")
    monkeypatch.setenv("EVIL", EVIL)
    monkeypatch.setenv("NEWLINE", "my-cluster\nrole: admin")
    opened: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def noting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def noting_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(str(path))
        return real_os_open(path, *args, **kwargs)

    def make(edit: Edit) -> Path:
        bundle = tmp_path / "bundle"
        shutil.copytree(EXAMPLE, bundle)
        edit(bundle, outside)
        monkeypatch.setattr(builtins, "open", noting_open)
        monkeypatch.setattr(os, "open", noting_os_open)
        return bundle

    make.opened = opened  # type: ignore[attr-defined]
    make.outside = outside  # type: ignore[attr-defined]
    yield make


@pytest.mark.parametrize(("name", "edit", "words"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("verb", ["validate", "deploy"])
def test_refused_by_name_exit_2_and_nothing_outside_is_read(
    hostile: Any,
    capsys: pytest.CaptureFixture[str],
    verb: str,
    name: str,
    edit: Edit,
    words: list[str],
) -> None:
    bundle = hostile(edit)
    started = time.monotonic()
    code = main([verb, str(bundle), *(["--local"] if verb == "deploy" else [])])
    took = time.monotonic() - started
    out = capsys.readouterr().out
    assert code == 2, out
    for word in words:
        assert word in out, out
    assert SECRET not in out and "Traceback" not in out
    outside = str(hostile.outside)
    assert not [p for p in hostile.opened if p.startswith((outside, "/proc", "/etc"))]
    assert took < 10, f"{verb} took {took:.1f} s to refuse {name}"  # bounded work, not a gate


def test_a_value_that_is_escaped_fills_its_string(hostile: Any) -> None:
    """``json_escape``: the value stays one string; no key is added."""
    bundle = hostile(lambda b, o: None)
    task_file = bundle / "ecs-task-def.json"
    task = json.loads(task_file.read_text())
    task["containerDefinitions"][0]["environment"] = [
        {"name": "GREETING", "value": "{{ env `EVIL` | json_escape }}"}
    ]
    task_file.write_text(json.dumps(task))
    files = execution.rendered(execution.read_bundle(bundle))
    container = json.loads(files["ecs-task-def.json"])["containerDefinitions"][0]
    assert container["environment"][0]["value"] == EVIL
    assert "privileged" not in container and "user" not in container


def test_a_link_inside_the_bundle_is_read(hostile: Any) -> None:
    """Links are not refused as such: one that stays inside the bundle is the bundle's file."""

    def edit(bundle: Path, outside: Path) -> None:
        (bundle / "defs").mkdir()
        (bundle / "ecs-task-def.json").rename(bundle / "defs" / "task.json")
        (bundle / "ecs-task-def.json").symlink_to(bundle / "defs" / "task.json")

    files = execution.read_bundle(hostile(edit))
    assert json.loads(files["ecs-task-def.json"])["family"] == "myservice"


@pytest.mark.parametrize(
    ("bomb", "limit"),
    [
        ('local f(s, n) = if n == 0 then s else f(s + s, n - 1); f("ab", 34)', "MiB of memory"),
        ("std.length(std.range(1, 1000000000))", "MiB of memory"),
    ],
)
def test_a_jsonnet_bomb_is_stopped_by_its_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bomb: str, limit: str
) -> None:
    """go-jsonnet has no limits of its own: a few bytes grow until the process dies. It runs in
    a child process with a memory and a CPU limit, so the CLI survives and names the file."""
    bundle = tmp_path / "catalog"
    shutil.copytree(CATALOG, bundle)
    text = (bundle / "ecs-task-def.jsonnet").read_text()
    (bundle / "ecs-task-def.jsonnet").write_text(
        f"local bomb = {bomb};\n"
        + text.replace("family: 'catalog'", "family: 'catalog' + std.toString(bomb)")
    )
    os.environ.setdefault("IMAGE_TAG", "1.27")
    assert main(["validate", str(bundle)]) == 2
    out = capsys.readouterr().out
    assert "ecs-task-def.jsonnet: Jsonnet evaluation stopped" in out and limit in out, out
