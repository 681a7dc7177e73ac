"""``lattice-deploy plan``: what a deploy would do, with read calls only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lattice_deploy.cli.main import main

from .conftest import EXAMPLE, Local


def plan(capsys: pytest.CaptureFixture[str], directory: Any) -> dict[str, dict[str, Any]]:
    assert main(["plan", str(directory), "--json"]) == 0
    return {item["resource"]: item for item in json.loads(capsys.readouterr().out)["changes"]}


def test_plan_of_a_new_service_creates_everything_and_changes_nothing(
    local: Local, capsys: pytest.CaptureFixture[str]
) -> None:
    local.aws.reset_calls()
    items = plan(capsys, EXAMPLE)
    assert {i["action"] for i in items.values()} == {"create"}
    assert local.aws.calls()["mutating"] == 0


def test_plan_of_a_deployed_service_says_no_changes(
    local: Local, capsys: pytest.CaptureFixture[str]
) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    assert {i["action"] for i in plan(capsys, EXAMPLE).values()} == {"unchanged"}
    assert main(["plan", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("No changes.")


def test_plan_after_editing_the_image_shows_exactly_that_diff(
    local: Local, bundle: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"

    def new_image(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    local.aws.reset_calls()
    items = plan(capsys, bundle(task=new_image))
    changed = {name: item for name, item in items.items() if item["action"] != "unchanged"}
    assert set(changed) == {"taskDefinition", "ecsService"}
    assert changed["taskDefinition"]["diff"] == [
        {
            "path": "containerDefinitions[0].image",
            "current": "nginx:latest",
            "desired": "nginx:1.27",
        }
    ]
    assert [d["path"] for d in changed["ecsService"]["diff"]] == ["taskDefinition"]
    assert local.aws.calls()["mutating"] == 0


def test_plan_compares_with_the_revision_the_service_runs(
    local: Local, bundle: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a deploy of nginx:1.27 over nginx:latest, the 1.27 bundle has no changes and the
    original one shows the way back (the family's first revision is not what runs)."""

    def new_image(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    updated = bundle(task=new_image)
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    assert local.deploy(updated)["status"] == "SUCCEEDED"
    assert {i["action"] for i in plan(capsys, updated).values()} == {"unchanged"}
    back = plan(capsys, EXAMPLE)["taskDefinition"]
    assert back["action"] == "create"
    assert back["diff"] == [
        {
            "path": "containerDefinitions[0].image",
            "current": "nginx:1.27",
            "desired": "nginx:latest",
        }
    ]


def test_plan_refuses_an_invalid_bundle(
    local: Local, bundle: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    def typo(service: dict[str, Any]) -> None:
        service["desiredCont"] = 3

    assert main(["plan", str(bundle(service=typo))]) == 2
    assert "did you mean 'desiredCount'" in capsys.readouterr().out


def test_plan_local_plans_against_a_fresh_embedded_aws(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(EXAMPLE), "--local"]) == 0
    out = capsys.readouterr().out
    assert "+ ecsService" in out and "create" in out


def test_plan_names_a_bundle_dir_in_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    assert "the bundle: ecspresso.yml beside" in capsys.readouterr().out
