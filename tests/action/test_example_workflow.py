"""The example workflow (examples/github-actions/deploy.yml) does the origin document's job with
the action: on a push to main, OIDC credentials for the stack's role, then the action. actionlint
cannot check what it gives the action (a remote ``uses:`` it does not fetch): this does."""

from __future__ import annotations

from typing import Any

import yaml

from . import runner
from .runner import ROOT

EXAMPLE = ROOT / "examples" / "github-actions" / "deploy.yml"


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(EXAMPLE.read_text())
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _using(name: str) -> dict[str, Any]:
    (found,) = [s for s in _steps() if str(s.get("uses", "")).split("@")[0].endswith(name)]
    return found


def test_it_runs_on_a_push_to_main_with_an_oidc_token_and_read_only_contents() -> None:
    workflow = yaml.safe_load(EXAMPLE.read_text())
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert on == {"push": {"branches": ["main"]}}
    assert workflow["permissions"] == {"id-token": "write", "contents": "read"}
    credentials = _using("aws-actions/configure-aws-credentials")
    assert set(credentials["with"]) == {"role-to-assume", "aws-region"}  # no stored access key
    assert "checkout" in str(_steps()[0]["uses"])


def test_what_it_gives_the_action_is_what_the_action_takes() -> None:
    action = runner.load()
    step = _using("/lattice-deploy")
    assert str(step["uses"]).endswith("@v1")
    given = set(step["with"])
    assert given <= set(action["inputs"])
    assert {n for n, d in action["inputs"].items() if d.get("required")} <= given
    later = [s for s in _steps() if "run" in s]
    for s in later:
        assert "${{" not in s["run"], s  # outputs reach the script through env: too
    used = {v.split(".")[-1].rstrip(" }") for s in later for v in s.get("env", {}).values()}
    assert used <= set(action["outputs"])
