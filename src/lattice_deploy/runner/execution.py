"""One deployment as one execution: upload the bundle, start the state machine, follow it.

The same steps serve every target: the embedded AWS in process, a running ``serve``, or a real
stack: the bundle goes to ``s3://<bucket>/definitions/<service>/`` (an identical object is not
uploaded again), the execution input pins each file's object version, and the history is read
back event by event for progress.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deployer.bundle import ecspresso_yaml, limits, lookups, plugins, render, tfstate, validate
from deployer.bundle import normalize as bundle
from deployer.core.errors import BundleInvalid


@dataclass
class Started:
    execution_arn: str
    deployment_id: str
    service: str


def _read_inside(directory: Path, name: str, limit: int = bundle.MAX_FILE_BYTES) -> str | None:
    """The text of bundle file ``name`` (None when absent), read only if it is a regular file
    inside ``directory`` once every link is resolved: a name or a symlink leading out of the
    bundle (``/proc/self/environ``, ``../../etc/passwd``) is refused, never opened."""
    root = os.path.realpath(directory)
    path = os.path.realpath(os.path.join(root, name))
    if os.path.commonpath([root, path]) != root:
        raise BundleInvalid(
            f"{name}: resolves to {path}, outside the bundle directory {root} (a symlink?); only "
            "the bundle's own files are read: copy the file into the bundle"
        )
    try:  # O_NONBLOCK: a FIFO must not hang the CLI; fstat then refuses it
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BundleInvalid(f"{name}: cannot be read ({exc.strerror}); fix its mode") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise BundleInvalid(f"{name}: not a regular file; a bundle file is a JSON or YAML file")
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read(limit + 1)
    if limit != bundle.MAX_FILE_BYTES:  # a plugin's data file (a state): its own bound
        if len(raw) > limit:
            raise BundleInvalid(f"{name}: more than {limit >> 20} MiB; give a smaller file")
        return raw.decode("utf-8", errors="replace")
    return bundle.decode(raw, name)


def _config(source: Path) -> tuple[Path, str, str]:
    """``(bundle directory, name the config travels under, its text)``. ``source`` is the
    bundle's directory (its config found as ecspresso finds it) or a config file (``--config``:
    the bundle directory is the file's, since ecspresso resolves the paths a config gives
    against its directory: ``filepath.Join(c.dir, ...)``, config.go). A directory without a
    config is refused: ecspresso would fail to load it too, and guessing cluster ``default``
    deployed a bundle somewhere its author never named."""
    if source.is_file():
        directory, found = source.parent, source.name
        name = ecspresso_yaml.name_for(found)
    elif source.is_dir():
        directory = source
        present = [n for n in ecspresso_yaml.NAMES if os.path.lexists(directory / n)]
        if not present:
            raise BundleInvalid(
                f"{source}: no ecspresso config: looked for {', '.join(ecspresso_yaml.NAMES)}; "
                "add one (region:, cluster:, service:) or name yours with --config FILE"
            )
        found = name = present[0]  # ecspresso's order: the first that exists is read
    else:
        raise BundleInvalid(
            f"{source}: not a directory; give the bundle's directory (ecspresso.yml, "
            f"{bundle.SERVICE_FILE}, {bundle.TASK_FILE}) or its config with --config FILE"
        )
    text = _read_inside(directory, found)
    if text is None:  # a dangling link
        raise BundleInvalid(f"{found}: cannot be read in {directory}; fix the link or the file")
    return directory, name, text


def read_bundle(source: Path, strict: bool = True) -> dict[str, str]:
    """The bundle's files by name: its config and the two definitions it names (``strict=False``:
    those that exist, for ``validate`` to report the rest). ``source``: see :func:`_config`.
    Nothing outside the bundle directory is read (:func:`_read_inside`)."""
    directory, name, text = _config(source)
    files = {name: text}
    states: list[str] = []
    try:  # the config rendered first, as ecspresso loads it: a file name may be templated
        config = bundle.config_of({name: render.render(text, name, os.environ, offline_ssm)})
        names = bundle.file_names(config)
        states = plugins.local_states(config)
    except BundleInvalid:
        if strict:
            raise
        names = (bundle.SERVICE_FILE, bundle.TASK_FILE)  # validate reports the config's error
    for state in states:  # read as the plugin reads it; uploaded with the bundle
        if (data := _read_inside(directory, state, tfstate.MAX_STATE_BYTES)) is not None:
            files[state] = data
    for name in names:
        if (found := _read_inside(directory, name)) is None:
            if not strict:
                continue
            raise BundleInvalid(
                f"{name}: not found in {directory}; "
                f"a bundle holds {bundle.SERVICE_FILE} and {bundle.TASK_FILE}"
            )
        files[name] = found
    return files


def offline_ssm(name: str) -> str:
    """``{{ ssm }}`` where no account is read (validate offline): a stand-in value, whose shape
    validate does not check."""
    return limits.stand_in(name)


def rendered(files: dict[str, str], account: bool = False) -> dict[str, str]:
    """The bundle as this caller's environment renders it (ecspresso's template functions and
    plugins): with the values of the account boto3 finds (``account``), else stand-ins
    (:class:`plugins.StandIns`; a state file of the bundle is read for real)."""
    if not account:
        return render.render_files(files, os.environ, offline_ssm)

    def read_file(name: str) -> bytes | None:
        return files[name].encode() if name in files else None

    found = lookups.AwsLookups(read_file)
    return render.render_files(files, os.environ, found.ssm, found)


def template_env(files: dict[str, str]) -> dict[str, str]:
    """The caller's variables the bundle's templates read: what a run renders them with."""
    wanted = render.names(files, os.environ)
    return {name: os.environ[name] for name in sorted(wanted) if name in os.environ}


def service_of(files: dict[str, str]) -> str:
    config = bundle.config_of(files)
    service_file, _ = bundle.file_names(config)
    name = config.get("service") or bundle.parse_json(files[service_file], service_file).get(
        "serviceName"
    )
    if not name:
        raise BundleInvalid(f"{service_file}: serviceName is missing; name the ECS service")
    return str(name)


def upload(s3: Any, bucket: str, service: str, files: dict[str, str]) -> dict[str, str]:
    """Put each file under ``definitions/<service>/`` unless it is there already; its versions.

    The objects say the CLI starts their deployment itself, so the S3 trigger starts none."""
    versions: dict[str, str] = {}
    for name, text in files.items():
        key, body = f"definitions/{service}/{name}", text.encode()
        try:
            head = s3.head_object(Bucket=bucket, Key=key)
            if head["ETag"].strip('"') == hashlib.md5(body, usedforsecurity=False).hexdigest():
                versions[name] = head.get("VersionId") or "null"
                continue
        except s3.exceptions.ClientError:
            pass
        put = s3.put_object(Bucket=bucket, Key=key, Body=body, Metadata={bundle.STARTED_BY: "cli"})
        versions[name] = put.get("VersionId") or "null"
    return versions


Prepare = Callable[[str, str], None]
"""Called with ``(deployment_id, service)`` just before the execution starts."""


def start(
    session: Any,
    bucket: str,
    state_machine_arn: str,
    directory: Path,
    environment: str | None,
    prepare: Prepare | None = None,
) -> Started:
    files = read_bundle(directory)
    shown = rendered(files)  # a missing must_env variable stops here, at once
    validate.check(shown, environment or "dev")  # nothing is uploaded or started before this
    service = service_of(shown)
    versions = upload(session.client("s3"), bucket, service, files)
    payload = {
        "deploymentId": deployment_id(service, json.dumps(files, sort_keys=True)),
        "bundle": {"bucket": bucket, "prefix": f"definitions/{service}/", "versions": versions},
        "templateEnv": template_env(files),
        **({"environment": environment} if environment else {}),
    }
    return launch(session, state_machine_arn, service, payload, prepare)


def deployment_id(service: str, content: str) -> str:
    """A new run's id and execution name: the service (cut to 40, so ``status`` finds its runs by
    name), when it was asked, and a digest of what it deploys."""
    digest = hashlib.sha256(content.encode()).hexdigest()[:8]
    return f"{service[:40]}-{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{digest}"


def launch(
    session: Any,
    state_machine_arn: str,
    service: str,
    payload: dict[str, Any],
    prepare: Prepare | None = None,
) -> Started:
    """Start the deploy state machine on ``payload`` (named by its ``deploymentId``): how
    ``deploy`` starts a bundle it uploaded and ``rollback`` one already in the bucket."""
    name = str(payload["deploymentId"])
    if prepare:
        prepare(name, service)
    started = session.client("stepfunctions").start_execution(
        stateMachineArn=state_machine_arn, name=name, input=json.dumps(payload)
    )
    return Started(started["executionArn"], name, service)


def history(
    sfn: Any, execution_arn: str, poll: float = 0.05, sleep: Callable[[float], None] = time.sleep
) -> Iterator[dict[str, Any]]:
    """Yield the execution's history events as they appear, until it has ended.

    Each poll reads newest-first and stops at the last event already yielded, so a long
    execution costs one page per poll, not its whole history again.
    """
    last = 0
    while True:
        status = sfn.describe_execution(executionArn=execution_arn)["status"]
        fresh: list[dict[str, Any]] = []
        pages = sfn.get_paginator("get_execution_history").paginate(
            executionArn=execution_arn, reverseOrder=True, PaginationConfig={"PageSize": 50}
        )
        for page in pages:
            batch = [e for e in page["events"] if e["id"] > last]
            fresh += batch
            if len(batch) < len(page["events"]):
                break
        fresh.sort(key=lambda e: e["id"])
        yield from fresh
        last = fresh[-1]["id"] if fresh else last
        if status != "RUNNING":
            return
        sleep(poll)
