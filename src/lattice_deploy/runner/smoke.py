"""The smoke test: proof, on one account, that a deploy goes HEALTHY, that a deploy that cannot
pass is rolled back leaving nothing, and that the test can leave the account as it found it.

Stages, each timed on :class:`.pace.Pace`'s clock (virtual on ``serve``):

``listed``     what the account holds before (:mod:`.inventory`);
``deploy``     run 1, the throwaway copy of examples/myservice (:mod:`.throwaway`): SUCCEEDED,
               and the account itself shows every target HEALTHY;
``rollback``   run 2, the same service wired to a group whose health check cannot pass: FAILED,
               rolled back with ``rollback.left`` empty, what run 2 created gone (describe
               calls), and the service back as run 1 left it (its revision, its group, HEALTHY);
``remove``     everything named after the throwaway service (:mod:`.teardown`);
``unchanged``  the account lists exactly as it did before.

Why ``remove`` and ``unchanged`` run whatever failed before them: the service is a throwaway,
and a smoke test that leaves debris on a failure would teach users not to run it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from deployer.core.errors import BundleInvalid

from . import inventory, settled, throwaway
from .pace import Pace
from .run import deploy_bundle, headline
from .targets import Target
from .teardown import Teardown

SEEN_BUDGET = 120.0
"""How long the account may take to show what a run's summary says (AWS's reads are eventually
consistent; the embedded AWS's are not, and pass at once)."""
SETTLE_BUDGET = 600.0
"""How long the service may take to be back as run 1 left it after run 2's rollback (ECS
replaces the tasks the rollback's update asked for; Lattice checks the restored group again)."""


class StageFailed(Exception):
    """A stage's check did not hold; the message says which and what was seen, ``extra`` goes
    into the stage's entry (the execution it ran, say)."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.extra = extra or {}


@dataclass
class Smoke:
    target: Target
    where: throwaway.Placement
    pace: Pace
    out: Callable[[str], None]
    progress: Callable[[str], None] = lambda _line: None
    name: str = field(default_factory=throwaway.new_name)
    stages: list[dict[str, Any]] = field(default_factory=list)
    removal: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    difference: dict[str, inventory.Listing] = field(default_factory=dict)

    @property
    def cluster(self) -> str:
        return self.where.cluster

    def stage(self, name: str, body: Callable[[], tuple[str, dict[str, Any]]]) -> bool:
        """Run one stage: its line (✓/✗, seconds, what it saw) and its entry in the document."""
        started = self.pace.now()
        try:
            detail, extra = body()
            passed = True
        except StageFailed as exc:
            detail, extra, passed = str(exc), exc.extra, False
        except (ClientError, BotoCoreError, BundleInvalid, OSError) as exc:
            if isinstance(exc, (BotoConnectionError, ConnectionError)):
                raise  # the endpoint went away: main says so
            detail, extra, passed = f"{type(exc).__name__}: {exc}", {}, False
        seconds = round(self.pace.now() - started, 1)
        entry = {"stage": name, "passed": passed, "seconds": seconds, "detail": detail, **extra}
        self.stages.append(entry)
        self.out(f"  {'✓' if passed else '✗'} {name:<10} {seconds:>6.0f}s  {detail}")
        return passed

    def skipped(self, name: str, why: str) -> None:
        self.stages.append({"stage": name, "passed": False, "seconds": 0.0, "detail": why})
        self.out(f"  - {name:<10} {'':>7}  {why}")

    def document(self, began: float) -> dict[str, Any]:
        return {
            "passed": all(s["passed"] for s in self.stages),
            "service": self.name,
            "cluster": self.cluster,
            "clock": "virtual" if self.pace.virtual else "wall",
            "seconds": round(self.pace.now() - began, 1),
            "stages": self.stages,
            **{k: self.removal.get(k, []) for k in ("removed", "kept", "left")},
            "difference": self.difference,
        }

    # ---- the run ---------------------------------------------------------------------------------
    def remove_only(self) -> dict[str, Any]:
        """Only the ``remove`` stage, for the ``name`` of an earlier test that left something."""
        began = self.pace.now()
        self.stage("remove", self.remove)
        return self.document(began)

    def run(self) -> dict[str, Any]:
        began = self.pace.now()
        before: inventory.Listing = {}
        with tempfile.TemporaryDirectory(prefix=f"{self.name}-") as folder:
            directory = Path(folder)

            def listed() -> tuple[str, dict[str, Any]]:
                before.update(inventory.listing(self.target, self.cluster))
                counts = ", ".join(f"{len(v)} {inventory.LABELS[k]}" for k, v in before.items())
                return f"before: {counts}", {}

            if self.stage("listed", listed):
                run1: dict[str, Any] = {}
                if self.stage("deploy", lambda: self.deploy(directory, run1)):
                    self.stage("rollback", lambda: self.roll_back(directory, run1))
                else:
                    self.skipped("rollback", "not run: run 1 did not deploy")
                self.stage("remove", self.remove)
                self.stage("unchanged", lambda: self.unchanged(before))
        return self.document(began)

    def deploy(self, directory: Path, run1: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        throwaway.write(directory, self.name, self.where)
        summary = deploy_bundle(self.target, directory, None, self.progress)
        run1.update(summary)
        extra = {"executionArn": summary["executionArn"]}
        if summary["status"] != "SUCCEEDED":
            raise StageFailed(f"run 1 {headline(summary)}", extra)
        made = {r["type"]: r for r in summary["resources"]}
        task, group = made["taskDefinition"]["arn"], made["targetGroup"]["arn"]
        if why := self.serving(task, group, SEEN_BUDGET):
            raise StageFailed(f"run 1 SUCCEEDED, yet {why}", extra)
        healthy = sum(t["status"] == "HEALTHY" for t in summary["targets"])
        return f"SUCCEEDED: {healthy} target(s) HEALTHY, {task.rsplit('/', 1)[-1]}", extra

    def serving(self, task: str, group: str, budget: float) -> str:
        """Why the service is not as a successful run leaves it, once ``budget`` is spent
        waiting for it ('': it is)."""

        def why() -> str:
            return settled.not_serving(self.target.session, self.cluster, self.name, task, group)

        return "" if self.pace.until(lambda: None if why() else True, budget, 15.0) else why()

    def roll_back(self, directory: Path, run1: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        made = {r["type"]: r for r in run1["resources"]}
        session, lattice = self.target.session, self.target.session.client("vpc-lattice")
        like = lattice.get_target_group(targetGroupIdentifier=made["targetGroup"]["arn"])
        closed = throwaway.unpassable_group(lattice, like, self.name)
        throwaway.make_failing(directory, closed["arn"])
        summary = deploy_bundle(self.target, directory, None, self.progress)
        extra = {"executionArn": summary["executionArn"], "rollback": summary.get("rollback")}
        failure = (summary.get("failure") or {}).get("error", "")
        if summary["status"] != "FAILED" or failure != "HealthCheckFailed":
            raise StageFailed(
                f"run 2 was meant to fail its health gate: {headline(summary)}", extra
            )
        left = (summary.get("rollback") or {}).get("left") or []
        if left:
            listed = "; ".join(f"{i['type']} {i['id']}: {i.get('remove', '')}" for i in left)
            raise StageFailed(f"run 2 failed, but its rollback left {len(left)}: {listed}", extra)
        if not summary["rolledBack"]:
            raise StageFailed(f"run 2 failed and was not rolled back: {headline(summary)}", extra)
        created = [r for r in summary["resources"] if r.get("action") == "created"]
        remaining = [r for r in created if settled.still_there(session, r, self.cluster)]
        if remaining:
            shown = ", ".join(f"{r['type']} {r.get('arn') or r.get('id')}" for r in remaining)
            raise StageFailed(f"run 2 rolled back, but it left what it created: {shown}", extra)
        task, group = made["taskDefinition"]["arn"], made["targetGroup"]["arn"]
        listener = made["listener"]
        if why := settled.not_routed(session, listener["serviceId"], listener["id"], group):
            raise StageFailed(f"run 2 rolled back, but {why}", extra)
        if why := self.serving(task, group, SETTLE_BUDGET):
            raise StageFailed(
                f"run 2 rolled back, but the service is not as run 1 left it: {why}", extra
            )
        gone = ", ".join(r["arn"].rsplit("/", 1)[-1] for r in created) or "nothing"
        return (
            f"FAILED as meant ({failure}), rolled back: {gone} removed; back on "
            f"{task.rsplit('/', 1)[-1]}, every target HEALTHY",
            extra,
        )

    def remove(self) -> tuple[str, dict[str, Any]]:
        self.removal = Teardown(self.target, self.name, self.cluster, self.pace).run()
        removed, kept, left = (self.removal[k] for k in ("removed", "kept", "left"))
        if left:
            shown = "; ".join(f"{i['type']} {i['id']} ({i['reason']})" for i in left)
            raise StageFailed(f"{len(removed)} removed, {len(left)} left: {shown}")
        note = f"; kept {len(kept)} now shared: " + ", ".join(i["id"] for i in kept) if kept else ""
        return f"{len(removed)} resource(s) and object(s) removed{note}", {}

    def unchanged(self, before: inventory.Listing) -> tuple[str, dict[str, Any]]:
        after = inventory.listing(self.target, self.cluster)
        self.difference = inventory.difference(before, after)
        if not self.difference:
            return "the account lists as it did before the test", {}
        shown = "; ".join(
            f"{side} {kind}: {', '.join(items)}"
            for side, kinds in self.difference.items()
            for kind, items in kinds.items()
        )
        raise StageFailed(f"the account differs from before: {shown}")
