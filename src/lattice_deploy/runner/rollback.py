"""``rollback``: deploy an earlier version of a service again, as a new run of the deploy state
machine whose input pins that version's bundle (:mod:`.versions`).

Why a new run and not an undo: the workflow's own ``rollback`` state undoes a run that failed;
going back to a version that once succeeded is a deployment like any other, so it takes the
service's turn, passes the health gate, and is rolled back (leaving what runs now) if it fails.
Nothing is uploaded: the objects the version pinned are still in the versioned bucket, and are
checked there (HeadObject with each VersionId) before anything starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from . import execution, run
from .targets import Target
from .versions import DEPLOYED, REDEPLOY_OF, Deployment, History, previous


class Refused(Exception):
    """Nothing to start (exit 2, before any change): the message says why and what to do."""


@dataclass(frozen=True)
class Choice:
    """The version a rollback goes to, what runs now, and the input of the run that would."""

    service: str
    to: Deployment
    now: Deployment | None
    payload: dict[str, Any]


def _listed(service: str) -> str:
    return f"`lattice-deploy status {service}` lists the versions it can go to (rollbackTo)"


def _named(history: History, given: str) -> Deployment:
    """The deployment ``--to`` names, which must have succeeded."""
    service, found = history.service, history.named(given)
    if not found:
        raise Refused(f"--to {given}: no deployment of {service} is named so; {_listed(service)}")
    if len(found) > 1:
        names = ", ".join(d.execution for d in found)
        raise Refused(
            f"--to {given}: names more than one deployment of {service} ({names}, …); "
            "give more of the execution name"
        )
    chosen = found[0]
    if chosen.status != "SUCCEEDED":
        said = {
            "SUPERSEDED": "was superseded (it deployed nothing)",
            "RUNNING": "is still running",
        }.get(chosen.status, f"did not succeed ({chosen.status})")
        raise Refused(
            f"--to {chosen.execution}: that deployment {said}; only a succeeded one can be gone "
            f"back to: {_listed(service)}"
        )
    return chosen


def _check_objects(s3: Any, chosen: Deployment) -> None:
    """Each file the version pinned must still be in the bucket at that version: the run would
    otherwise fail in ``load_bundle``, after taking the service's turn."""
    bundle = chosen.payload.get("bundle") or {}
    for name, version in sorted(chosen.versions.items()):
        key = f"{bundle.get('prefix', '')}{name}"
        try:
            s3.head_object(Bucket=bundle.get("bucket"), Key=key, VersionId=version)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            gone = code in ("404", "NoSuchKey", "NoSuchVersion", "400", "InvalidArgument")
            raise Refused(
                f"{chosen.execution}: its {name} version {version} is "
                + (
                    f"no longer in s3://{bundle.get('bucket')}/{key} (deleted)"
                    if gone
                    else f"not readable in s3://{bundle.get('bucket')}/{key} ({code})"
                )
                + "; it cannot be deployed again as it was: pick another with --to, or deploy "
                "the bundle with `lattice-deploy deploy`"
            ) from None


def choose(target: Target, service: str, to: str | None) -> Choice:
    """The version to go to (``to``, else the one before what runs now) and the run's input;
    :class:`Refused` when there is none. Read calls only."""
    history = History(target.session.client("stepfunctions"), target.state_machine_arn, service)
    if next(history.deployments(), None) is None:
        raise Refused(
            f"no deployment of {service} on this stack: nothing to roll back to "
            "(`lattice-deploy status` lists every service's deployments)"
        )
    if to is not None:
        now = next(history.succeeded(), None)
        chosen = _named(history, to)
        if now is not None and chosen.content == now.content:
            same = (
                "is" if chosen.arn == now.arn else f"deployed the same as {now.execution}, which is"
            )
            raise Refused(
                f"--to {chosen.execution}: it {same} what runs now; nothing to go back to: "
                f"{_listed(service)}"
            )
    else:
        now, before = previous(history)
        if now is None:
            raise Refused(f"no deployment of {service} succeeded yet: no version to go back to")
        if before is None:
            raise Refused(
                f"no earlier version of {service}: every succeeded deployment deployed what "
                f"runs now ({now.execution}); deploy another with `lattice-deploy deploy`"
            )
        chosen = before
    _check_objects(target.session.client("s3"), chosen)
    return Choice(service, chosen, now, payload_of(chosen))


def payload_of(chosen: Deployment) -> dict[str, Any]:
    """The new run's input: the version's pinned bundle, template variables, environment and
    images as its own run had them, a new deployment id, and which run it redeploys and who
    asked (:data:`.versions.REDEPLOY_OF`; ``status`` shows it as the run's "by")."""
    service = str(chosen.service)
    bundle = chosen.payload.get("bundle") or {}
    return {
        "deploymentId": execution.deployment_id(service, chosen.content),
        "bundle": {
            "bucket": bundle.get("bucket"),
            "prefix": bundle.get("prefix"),
            "versions": chosen.versions,
        },
        **{k: chosen.payload[k] for k in DEPLOYED if k in chosen.payload},
        REDEPLOY_OF: {
            "execution": chosen.execution,
            "started": chosen.started,
            "by": f"lattice-deploy rollback --to {chosen.execution}",
        },
    }


def described(choice: Choice) -> list[str]:
    """What the run would deploy, for ``--dry-run`` and the first progress line. Template
    variables by name only: their values may be secrets a CI log should not show."""
    lines = [
        f"lattice-deploy rollback: {choice.service} to {choice.to.execution} "
        f"(started {choice.to.started}, by {choice.to.by})"
    ]
    if choice.now is not None:
        lines.append(f"  running now: {choice.now.execution} (started {choice.now.started})")
    width = max((len(n) for n in choice.to.versions), default=0)
    lines += [f"  {n:<{width}}  version {v}" for n, v in sorted(choice.to.versions.items())]
    if variables := choice.payload.get("templateEnv"):
        lines.append(f"  template variables: {', '.join(sorted(variables))}")
    for container, image in sorted((choice.payload.get("images") or {}).items()):
        lines.append(f"  image of {container}: {image}")
    return lines


def dry_run(choice: Choice) -> dict[str, Any]:
    """``--dry-run --json``: the same as :func:`described`, as a document."""
    return {
        "service": choice.service,
        "to": {"execution": choice.to.execution, "started": choice.to.started, "by": choice.to.by},
        "now": choice.now and {"execution": choice.now.execution, "started": choice.now.started},
        "versions": choice.to.versions,
        "templateVariables": sorted(choice.payload.get("templateEnv") or {}),
        **({"images": choice.payload["images"]} if choice.payload.get("images") else {}),
        "started": False,
    }


def redeploy(target: Target, choice: Choice, out: Callable[[str], None]) -> dict[str, Any]:
    """Start the run and follow it as ``deploy`` does; its summary says which version it was."""
    started = execution.launch(
        target.session, target.state_machine_arn, choice.service, choice.payload
    )
    out(
        f"lattice-deploy: rolling back {choice.service} to {choice.to.execution} "
        f"as execution {started.deployment_id}"
    )
    summary = run.follow(target, started, out)
    summary[REDEPLOY_OF] = choice.payload[REDEPLOY_OF]
    return summary
