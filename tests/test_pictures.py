"""docs/<machine>.svg is drawn from statemachine/<machine>.asl.json: a picture that no longer
matches its definition fails here (``make docs`` redraws them)."""

from __future__ import annotations

import pytest

from lattice_deploy import picture


@pytest.mark.parametrize("machine", picture.MACHINES)
def test_each_picture_matches_its_state_machine(machine: str) -> None:
    drawn = picture.draw(picture.definition_of(machine), f"statemachine/{machine}.asl.json")
    on_disk = (picture.DOCS / f"{machine}.svg").read_text()
    assert on_disk == drawn, f"docs/{machine}.svg is stale: run make docs"


def test_every_state_and_branch_is_drawn() -> None:
    definition = picture.definition_of("deploy")
    drawn = picture.draw(definition, "deploy")
    for name in definition["States"]:
        assert f">{name}</text>" in drawn, name
    assert "status = WAITING &amp; registration = direct" in drawn  # a Choice's And
    assert "goes to rollback" in drawn  # the Catch legend
