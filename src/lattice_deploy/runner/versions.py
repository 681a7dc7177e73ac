"""A service's deployments as versions: each an execution of the deploy state machine whose input
says exactly what it deployed, and the succeeded ones the versions ``rollback`` can go to.

Why from the executions and nothing else: a run's input already pins what it deployed (each
bundle file's S3 VersionId in the versioned bucket, the template variables it was rendered with,
the environment, an ECR push's images), and its output says how it ended. Starting a run with
that input again redeploys the version through the same workflow (turn, health gate, rollback on
failure), so no second record of "versions" is kept that could disagree with the history.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

NAME_CUT = 40
"""An execution name starts with the service cut to this many characters (the CLI's cut; the
triggers cut at 50, which starts with the same 40): the listing's cheap filter, confirmed from
the run's input, since ``my`` also begins ``myservice-…``."""
DEPLOYED = ("templateEnv", "environment", "images")
"""With the pinned file versions, the input keys that decide what a run deployed."""
REDEPLOY_OF = "redeployOf"
"""The input key a rollback's run records which deployment it redeploys and who asked (its own
key: ``request`` is a trigger's ticket, which the workflow requires with it, and ``rollback`` is
the workflow's own result path)."""


def named_for(service: str, name: str) -> bool:
    """Whether execution ``name`` may be one of ``service``'s (the input says for sure)."""
    if len(service) > NAME_CUT:
        return name.startswith(service[:NAME_CUT])
    return name.startswith(f"{service}-")


@dataclass(frozen=True)
class Deployment:
    """One execution of the deploy state machine, as DescribeExecution tells it."""

    execution: str
    arn: str
    started: str
    status: str
    """SUCCEEDED, FAILED, RUNNING, SUPERSEDED (ended having changed nothing), ABORTED, TIMED_OUT."""
    payload: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)
    cause: str = ""

    @classmethod
    def of(cls, described: dict[str, Any]) -> Deployment:
        output = json.loads(described.get("output") or "{}")
        report = output.get("report") or {}
        status = "SUPERSEDED" if report.get("status") == "SUPERSEDED" else described["status"]
        return cls(
            described["name"],
            described["executionArn"],
            str(described["startDate"]),
            str(status),
            json.loads(described.get("input") or "{}"),
            report,
            str(described.get("cause") or ""),
        )

    @property
    def service(self) -> str | None:
        prefix = str((self.payload.get("bundle") or {}).get("prefix") or "")
        return prefix.rstrip("/").rsplit("/", 1)[-1] or None

    @property
    def versions(self) -> dict[str, str]:
        """Each bundle file's pinned S3 object version."""
        return dict((self.payload.get("bundle") or {}).get("versions") or {})

    @property
    def by(self) -> str:
        """Who asked: a trigger's request, a rollback, else ``deploy`` (the CLI says no more)."""
        asked = self.payload.get("request") or self.payload.get(REDEPLOY_OF) or {}
        return str(asked.get("by") or "lattice-deploy deploy")

    @property
    def content(self) -> str:
        """What the run deployed, as one comparable text: two runs with the same content deploy
        the same thing (a template variable such as ``IMAGE_TAG`` counts as a file does). A key
        counts by its presence: no ``templateEnv`` (a trigger's run) reads ``env.json`` instead,
        an empty one (the CLI's) does not."""
        deployed = {k: self.payload[k] for k in DEPLOYED if k in self.payload}
        return json.dumps({"versions": self.versions, **deployed}, sort_keys=True)


class History:
    """One service's executions, newest first: listed once, each described at most once and only
    when asked (a service with a long history costs one DescribeExecution per run looked at)."""

    def __init__(self, sfn: Any, state_machine_arn: str, service: str) -> None:
        self.sfn, self.service = sfn, service
        pages = sfn.get_paginator("list_executions").paginate(stateMachineArn=state_machine_arn)
        self.listed = sorted(
            (e for page in pages for e in page["executions"] if named_for(service, str(e["name"]))),
            key=lambda e: e["startDate"],
            reverse=True,
        )
        self._described: dict[str, Deployment] = {}

    def describe(self, listed: dict[str, Any]) -> Deployment | None:
        """The listed execution, or None when it is another service's (a longer name)."""
        arn = listed["executionArn"]
        if arn not in self._described:
            described = self.sfn.describe_execution(executionArn=arn)
            self._described[arn] = Deployment.of(described)
        found = self._described[arn]
        return found if found.service == self.service else None

    def deployments(self) -> Iterator[Deployment]:
        for listed in self.listed:
            if found := self.describe(listed):
                yield found

    def succeeded(self) -> Iterator[Deployment]:
        """The succeeded runs (not superseded ones: those changed nothing), newest first; only
        those ListExecutions says SUCCEEDED are described."""
        for listed in self.listed:
            found = self.describe(listed) if listed["status"] == "SUCCEEDED" else None
            if found and found.status == "SUCCEEDED":
                yield found

    def named(self, given: str) -> list[Deployment]:
        """The runs ``given`` names: its exact execution name (or ARN), else those whose name
        starts with it; two found are enough to call it ambiguous."""
        name = given.rsplit(":", 1)[-1] if given.startswith("arn:") else given
        exact = [e for e in self.listed if e["name"] == name]
        found: list[Deployment] = []
        for listed in exact or (e for e in self.listed if str(e["name"]).startswith(name)):
            if deployment := self.describe(listed):
                found.append(deployment)
                if len(found) == 2:
                    break
        return found


def previous(history: History) -> tuple[Deployment | None, Deployment | None]:
    """``(now, before)``: the newest succeeded run (what runs now) and the newest succeeded one
    that deployed something else (where ``rollback`` goes by default); None where there is none.

    Why by content and not simply the second newest: a redeploy of the same bundle (a retry, an
    unchanged ``deploy``) succeeds too, and going "back" to it would change nothing; and after a
    rollback to v1, the one before what runs now is v2 again."""
    runs = history.succeeded()
    now = next(runs, None)
    if now is None:
        return None, None
    return now, next((d for d in runs if d.content != now.content), None)


def choices(history: History, limit: int) -> list[dict[str, Any]]:
    """The succeeded runs, newest first (at most ``limit``), as ``status`` lists them: each
    ``running`` when it deployed what runs now, the first other one ``default``."""
    found = list(islice(history.succeeded(), limit))
    now = found[0].content if found else ""
    default = next((d for d in found if d.content != now), None)
    return [
        {
            "execution": d.execution,
            "started": d.started,
            "by": d.by,
            "running": d.content == now,
            "default": d is default,
            "versions": d.versions,
        }
        for d in found
    ]
