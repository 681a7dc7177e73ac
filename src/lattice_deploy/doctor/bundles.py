"""The bundles a deploy would take: those in the stack's bucket, and any directories given.

A bucket bundle is read as the S3 trigger reads it (``definitions/<service>/``: the config under
any of ecspresso's names, the two definitions it names, ``env.json`` for the templates'
variables); a directory as ``deploy`` reads it (:func:`..runner.execution.read_bundle`, the
caller's environment). Templates are rendered with Parameter Store left as stand-ins (a value
read there is not checked), then normalized into the plan the workflow would follow
(:func:`deployer.bundle.normalize.normalize`): its cluster, Lattice names, ports, subnets and
groups.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deployer.bundle import ecspresso_yaml, render
from deployer.bundle import normalize as bundle
from deployer.core.errors import BundleInvalid

from ..runner import execution
from .account import Account

PREFIX = "definitions/"


@dataclass
class Bundle:
    where: str
    plan: dict[str, Any] | None = None
    problem: str | None = None

    @property
    def name(self) -> str:
        return str(self.plan["serviceName"]) if self.plan else self.where


def _objects(account: Account, bucket: str, prefix: str) -> dict[str, str]:
    s3 = account.client("s3")
    keys = [
        o["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for o in page.get("Contents") or []
    ]
    names = {k[len(prefix) :] for k in keys if "/" not in k[len(prefix) :]}

    def read(name: str) -> str:
        body = s3.get_object(Bucket=bucket, Key=prefix + name)["Body"].read(
            bundle.MAX_FILE_BYTES + 1
        )
        return bundle.decode(body, name)

    files = {n: read(n) for n in ecspresso_yaml.NAMES if n in names}
    if render.ENV_FILE in names:
        files[render.ENV_FILE] = read(render.ENV_FILE)
    config = bundle.config_of(
        {
            n: render.render(t, n, _variables(files), execution.offline_ssm)
            for n, t in files.items()
            if n in ecspresso_yaml.NAMES
        }
    )
    for name in bundle.file_names(config):
        if name in names:
            files[name] = read(name)
    return files


def _variables(files: dict[str, str]) -> dict[str, str]:
    if render.ENV_FILE not in files:
        return {}
    given = json.loads(files[render.ENV_FILE])
    return {str(k): str(v) for k, v in given.items()} if isinstance(given, dict) else {}


def plan_of(account: Account, files: dict[str, str], variables: dict[str, str]) -> dict[str, Any]:
    shown = render.render_files(files, variables, execution.offline_ssm)
    context = {
        "deploymentId": "doctor",
        "environment": account.environment,
        "region": account.region,
        "infrastructureRoleArn": account.outputs.get("EcsInfrastructureRoleArn"),
    }
    return bundle.normalize(shown, context)


def read(account: Account) -> list[Bundle]:
    """Every bundle, each with its plan or why it has none."""
    found: list[Bundle] = []
    bucket = account.outputs.get("BundleBucketName")
    if bucket:
        s3 = account.client("s3")
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=PREFIX, Delimiter="/"
        )
        prefixes = [p["Prefix"] for page in pages for p in page.get("CommonPrefixes") or []]
        for prefix in prefixes:
            where = f"s3://{bucket}/{prefix}"
            try:
                files = _objects(account, bucket, prefix)
                found.append(Bundle(where, plan_of(account, files, _variables(files))))
            except (BundleInvalid, ValueError) as exc:
                found.append(Bundle(where, problem=str(exc)))
    for directory in account.bundle_dirs:
        try:
            files = execution.read_bundle(Path(directory))
            found.append(Bundle(directory, plan_of(account, files, dict(os.environ))))
        except (BundleInvalid, ValueError) as exc:
            found.append(Bundle(directory, problem=str(exc)))
    return found


def cached(account: Account) -> list[Bundle]:
    """Read once per run (three checks look at them)."""
    if account.bundles is None:
        account.bundles = read(account)
    return account.bundles


def planned(account: Account) -> list[Bundle]:
    """The bundles that have a plan (those without one are the quota check's to report)."""
    return [b for b in cached(account) if b.plan is not None]
