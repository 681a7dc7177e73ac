"""The marks of the progress lines (#29), on real executions: ``✗`` a step whose failure a Catch
took on or whose verdict is a failure, ``↻`` one its Retry ran again before it succeeded, ``✓``
the rest. Each run fails, retries or succeeds as the embedded AWS's injected faults make it."""

from __future__ import annotations

from lattice_deploy.runner import run
from lattice_deploy.runner.progress import all_states
from test_readme import README, _normal

from .conftest import EXAMPLE, Local


def task_lines(local: Local) -> list[tuple[str, str, str]]:
    """(mark, state, what it says) of each Task state's line, in order."""
    tasks = {n for n, s in all_states(local.target.definition["States"]) if s["Type"] == "Task"}
    found = []
    for line in local.lines:
        parts = line.split(maxsplit=2)
        if line.startswith("  ") and len(parts) > 1 and parts[1] in tasks:
            found.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
    return found


def of(local: Local, state: str) -> list[tuple[str, str]]:
    return [(mark, said) for mark, name, said in task_lines(local) if name == state]


def test_a_clean_deploy_marks_every_step_done(local: Local) -> None:
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    lines = task_lines(local)
    assert {name for _, name, _ in lines} >= {"ensure_lattice", "check_health", "report"}
    assert {mark for mark, _, _ in lines} == {"✓"}
    assert not [line for line in local.lines if line.lstrip().startswith(("✗", "↻"))]


def test_a_caught_failure_is_a_cross_and_so_is_the_failed_report(local: Local) -> None:
    local.aws.inject("fail:CreateService")
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "FAILED"
    assert of(local, "ensure_lattice") == [("✗", "AccessDenied (caught)")]
    rollback = of(local, "rollback")
    assert {mark for mark, _ in rollback} == {"✓"} and rollback[-1][1].startswith("DONE")
    (report,) = of(local, "report")
    assert report[0] == "✗" and report[1].startswith("FAILED")
    # the README's sample of this run is what it prints, ids aside; "…" ends a shortened line
    sample = README.split("a first deploy goes on after `load_bundle` as:")[1]
    shown = _normal(sample.split("```text\n", 1)[1].split("\n```", 1)[0])
    printed = _normal("\n".join([*local.lines[1 - len(shown) :], run.headline(summary)]))
    assert len(printed) == len(shown)
    for line, said in zip(shown, printed, strict=True):
        assert said.startswith(line.split("…")[0]) if "…" in line else said == line, (line, said)


def test_a_step_its_retry_ran_again_is_a_loop_saying_how_often(local: Local) -> None:
    local.aws.inject("throttle:CreateListener:5")  # more than botocore's own retries: one Retry
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    ((mark, said),) = of(local, "ensure_lattice")
    assert mark == "↻" and said.splitlines()[0].endswith("1 skipped (retried once)"), said
    assert {m for m, name, _ in task_lines(local) if name != "ensure_lattice"} == {"✓"}


def test_a_failed_health_verdict_is_a_cross_and_a_retried_rollback_a_loop(local: Local) -> None:
    local.aws.inject("unhealthy-targets")
    local.aws.inject("crash-after:vpc-lattice.ListTagsForResource:3@rollback")  # 3 crashes
    assert local.deploy(EXAMPLE)["status"] == "FAILED"
    health = of(local, "check_health")
    assert [mark for mark, _ in health] == ["✓"] * (len(health) - 1) + ["✗"]
    assert health[0][1].startswith("WAITING") and health[-1][1].startswith("FAILED: ")
    first, *others = of(local, "rollback")
    assert first[0] == "↻" and first[1].endswith("(retried 3 times)"), first
    assert {mark for mark, _ in others} == {"✓"} and others[-1][1].startswith("DONE")


def test_a_rollback_caught_after_its_retries_and_then_stuck_is_two_crosses(local: Local) -> None:
    local.aws.inject("unhealthy-targets")
    local.aws.inject("crash-after:vpc-lattice.ListTagsForResource:5@rollback")  # 1 + 4 retries
    assert local.deploy(EXAMPLE)["status"] == "FAILED"
    caught, stuck = of(local, "rollback")
    assert caught == ("✗", "Runtime.ExitError (caught) (retried 4 times)")
    assert stuck[0] == "✗" and stuck[1].startswith("STUCK: removed 0, restored 0; left ")
    assert of(local, "release_lock") == [("✓", "released")]
