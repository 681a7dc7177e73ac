"""Stage 1 of loading a bundle: where it is, and its files read from there.

A run's bundle is an S3 folder (``definitions/<service>/``), each file pinned to the object
version the trigger or the CLI saw, so that an upload during the run cannot change what it
deploys. This module is the only one that reads those objects; the stages after it
(:mod:`.rendered`, :mod:`.account_check`) get text, never a bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ..core import aws
from ..core.errors import BundleInvalid
from ..core.json_text import MAX_FILE_BYTES, decode, parse_json
from . import ecspresso_yaml, lookups, tfstate
from .render import ENV_FILE

_MISSING = ("NoSuchKey", "404")


@dataclass(frozen=True)
class BundleSource:
    """The bundle's folder: ``bucket``, ``prefix`` (ends in ``/``), and the pinned ``versions``
    of its files (file name → S3 version id; empty: the newest of each)."""

    bucket: str
    prefix: str = ""
    versions: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, value: Mapping[str, Any]) -> BundleSource:
        """From the run's input ``bundle`` (what :mod:`deployer.triggers.request` and the CLI
        write)."""
        return cls(
            str(value["bucket"]), str(value.get("prefix") or ""), dict(value.get("versions") or {})
        )

    def read(self, name: str, required: bool, limit: int = MAX_FILE_BYTES) -> str | None:
        """The file's text (None when absent and not ``required``). At most one byte past the
        limit is read: a huge object is refused, not loaded."""
        request: dict[str, Any] = {"Bucket": self.bucket, "Key": f"{self.prefix}{name}"}
        if version := self.versions.get(name):
            request["VersionId"] = version
        try:
            raw = aws.client("s3").get_object(**request)["Body"].read(limit + 1)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in _MISSING:
                raise
            if not required:
                return None
            raise BundleInvalid(
                f"{name}: not found at s3://{request['Bucket']}/{request['Key']}"
            ) from exc
        if limit != MAX_FILE_BYTES:  # a state file: bounded by its own limit
            if len(raw) > limit:
                raise BundleInvalid(f"{name}: more than {limit >> 20} MiB; give a smaller file")
            return bytes(raw).decode("utf-8", errors="replace")
        return decode(raw, name)

    def configs(self) -> dict[str, str]:
        """The bundle's config by name ({} when it has none: an upload may carry none, and the
        defaults apply), under any of ecspresso's four names. A pinned bundle (the CLI's, a
        trigger's) says which of them it holds by its versions; else each name is looked for.
        Two are refused (:func:`ecspresso_yaml.name_in`)."""
        names = [n for n in ecspresso_yaml.NAMES if not self.versions or n in self.versions]
        found = {n: text for n in names if (text := self.read(n, required=False)) is not None}
        ecspresso_yaml.name_in(found)
        return found

    def variables(self, template_env: Mapping[str, Any] | None) -> dict[str, str]:
        """What ``env``/``must_env`` read: the run's ``templateEnv`` (the CLI's; None when the
        run has none), else the optional ``env.json`` uploaded beside the bundle."""
        if template_env is not None:
            return {str(k): str(v) for k, v in template_env.items()}
        text = self.read(ENV_FILE, required=False)
        if text is None:
            return {}
        return {str(k): str(v) for k, v in parse_json(text, ENV_FILE).items()}

    def lookups(self) -> lookups.AwsLookups:
        """What the templates read from the account; a state file of the bundle from its
        folder."""

        def read_file(name: str) -> bytes | None:
            text = self.read(name, required=False, limit=tfstate.MAX_STATE_BYTES)
            return None if text is None else text.encode()

        return lookups.AwsLookups(read_file)

    def check_folder(self, service: str) -> None:
        """A bundle's folder is named after its ECS service. Why: the turn (one deployment at
        a time, the newest request winning) is the folder's, so two folders naming one service
        would deploy it at once; one folder a service makes the folder's turn the service's."""
        folder = self.prefix.rstrip("/").rsplit("/", 1)[-1]
        if folder and folder != service:
            raise BundleInvalid(
                f"{self.prefix}: this folder holds a bundle of ECS service {service!r}, and a "
                f"service is deployed from the folder named after it only (one deployment of a "
                f"service at a time); upload it to definitions/{service}/, or set serviceName "
                f"(or ecspresso.yml's service) to {folder!r}"
            )
