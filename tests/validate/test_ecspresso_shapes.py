"""Definitions as ecspresso users write them: ``validate`` and the plan agree on each (valid with
its notes, or refused naming file, field and fix), and the run says the same notes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deployer.bundle import normalize as bundle
from deployer.lattice import names as lattice_names
from lattice_deploy.cli.main import main
from lattice_deploy.runner.execution import read_bundle, rendered
from workflow.conftest import EXAMPLE

from .ecspresso_shapes import SHAPES, Shape

STACK_ROLE = "arn:aws:iam::123456789012:role/lattice-deploy-infrastructure"


def edited(tmp_path: Path, shape: Shape) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, target)
    for name, edit in shape.edits.items():
        (target / name).write_text(edit((target / name).read_text()))
    return target


def test_each_shape_is_one_of_its_kind() -> None:
    print(f"ecspresso shapes: {len(SHAPES)} bundles")
    assert len({shape.name for shape in SHAPES}) == len(SHAPES) >= 30


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])
def test_validate_and_the_plan_agree(
    shape: Shape, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = edited(tmp_path, shape)
    code = main(["validate", str(directory), "--json"])
    result = json.loads(capsys.readouterr().out)
    said = "\n".join(result["notes"] if shape.outcome == "valid" else result["problems"])
    assert code == (0 if shape.outcome == "valid" else 2), (shape.name, result)
    for word in shape.words:
        assert word in said, f"{shape.name}: {word!r} not in {said!r}"
    if shape.outcome != "valid":
        return
    plan = bundle.normalize(
        rendered(read_bundle(directory)),
        {"deploymentId": "t", "environment": "dev", "infrastructureRoleArn": STACK_ROLE},
    )
    assert shape.plan is None or shape.plan(plan), (shape.name, plan)
    assert plan["lattice"]["portName"], "a port name always reaches ECS"


def test_derived_lattice_names_are_valid_stable_and_never_shared() -> None:
    first = lattice_names.names("dev", "Checkout_Service_" + "x" * 40 + "_A")
    second = lattice_names.names("dev", "Checkout_Service_" + "x" * 40 + "_B")
    assert first == lattice_names.names("dev", "Checkout_Service_" + "x" * 40 + "_A")
    assert first["service"] != second["service"]
    kinds = {"service": "service", "targetGroup": "targetgroup", "listener": "listener"}
    for key, kind in kinds.items():
        assert lattice_names.valid(first[key], kind), first[key]
    assert lattice_names.names("dev", "myservice")["service"] == "dev-myservice-service"
    assert lattice_names.derive(["dev", "a__b--c"], "service") == "dev-a-b-c-service"


def test_an_ecr_push_pins_the_image_inside_the_describe_wrapper() -> None:
    from deployer.triggers import pushed

    task = {"taskDefinition": {"family": "x", "containerDefinitions": [{"name": "web"}]}}
    task["taskDefinition"]["containerDefinitions"][0]["image"] = "repo:1"
    text = json.dumps(task)
    assert pushed.images_to_pin(text, "repo", "1", "sha256:d") == {"web": "repo@sha256:d"}
    pinned = bundle.with_images({"ecs-task-def.json": text}, {"web": "repo@sha256:d"})
    inner = json.loads(pinned["ecs-task-def.json"])["taskDefinition"]
    assert inner["containerDefinitions"][0]["image"] == "repo@sha256:d"
