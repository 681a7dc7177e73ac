"""The account values a bundle's templates read, from AWS: Parameter Store (``ssm``), Secrets
Manager (``secretsmanager_arn``), CloudFormation (``cfn_output``, ``cfn_export``) and the S3
object of a Terraform state (``tfstate`` with ``url: s3://…``). One class, so that the Lambda
(:mod:`deployer.states.load_bundle`) and the CLI (``plan``, ``validate --account``) read them alike;
offline the CLI gives stand-ins instead (``lattice_deploy.runner.execution.Offline``).

Each call is what ecspresso's plugin makes: ``DescribeSecret`` (secretsmanager/funcs.go),
``DescribeStacks`` / ``ListExports`` (fujiwara/cfn-lookup), ``GetObject`` (tfstate-lookup's
``readS3``); each is cached for the render, as theirs are. Parameter Store is read through
Powertools' Parameters utility (``SSMProvider``): the names a render will ask for are read
first in batches of ``GetParameters`` (:meth:`AwsLookups.read_ahead`), and every value is
served from the provider's cache; a name the batch could not read is asked alone, so its
error is AWS's own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlparse

from aws_lambda_powertools.utilities.parameters import SSMProvider
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
from botocore.exceptions import ClientError

from ..core import aws
from ..core.errors import BundleInvalid
from .tfstate import MAX_STATE_BYTES

ReadFile = Callable[[str], bytes | None]
"""A bundle file's bytes by its name in the bundle (None when absent)."""
CACHE_SECONDS = 900
"""How long a value read stays in the provider's cache: a Lambda's longest run. The provider
is the instance's, one render's, so no later run sees these values."""


def _refused(what: str, exc: ClientError, remedy: str) -> BundleInvalid:
    error = exc.response["Error"]
    return BundleInvalid(f"{what}: {error.get('Code')}: {error.get('Message')}; {remedy}")


class AwsLookups:
    """What the templates read, from the account of the run (its region's clients)."""

    def __init__(self, read_file: ReadFile, region: str | None = None) -> None:
        self.read_file, self.region = read_file, region
        self._read: dict[str, str] = {}

    def _client(self, service: str) -> Any:
        return aws.client(service, self.region) if self.region else aws.client(service)

    @functools.cached_property
    def _parameters(self) -> SSMProvider:
        return SSMProvider(boto3_client=self._client("ssm"))

    def read_ahead(self, names: Iterable[str]) -> None:
        """Read ``names`` into the cache with ``GetParameters`` (ten names a call, decrypted),
        before the render asks for them one by one. What a batch cannot read (a name missing,
        invalid, not allowed) is left for :meth:`ssm` to ask alone, which names the error."""
        wanted = sorted(set(names))
        if len(wanted) < 2:  # one name: one GetParameter either way
            return
        try:
            got = self._parameters.get_parameters_by_name(
                parameters={name: {} for name in wanted},
                decrypt=True,
                max_age=CACHE_SECONDS,
                raise_on_error=False,
            )
        except (ClientError, GetParameterError):
            return  # each is read alone, and its own error named
        # kept here too: the provider caches a batch under (name, transform) and looks a single
        # get up under (name, transform, False) (Powertools 3.x, parameters/base.py), so its
        # own get would not find what the batch read
        self._read.update({str(k): str(v) for k, v in got.items() if k != "_errors"})

    def ssm(self, name: str) -> str:
        if name in self._read:
            return self._read[name]
        try:
            return str(self._parameters.get(name, max_age=CACHE_SECONDS, decrypt=True))
        except GetParameterError as exc:
            remedy = "create the parameter in the account and region the bundle deploys to"
            if isinstance(exc.__context__, ClientError):
                raise _refused(f"ssm `{name}`", exc.__context__, remedy) from exc
            raise BundleInvalid(f"ssm `{name}`: {exc}; {remedy}") from exc

    @functools.cache  # noqa: B019
    def secret_arn(self, secret_id: str) -> str:
        try:
            found = self._client("secretsmanager").describe_secret(SecretId=secret_id)
        except ClientError as exc:
            raise _refused(
                f"secretsmanager_arn `{secret_id}`",
                exc,
                "create the secret in the account "
                "and region the bundle deploys to, or fix its name",
            ) from exc
        return str(found["ARN"])

    @functools.cache  # noqa: B019
    def stack_output(self, stack: str, key: str) -> str:
        try:
            stacks = self._client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
        except ClientError as exc:
            raise _refused(
                f"cfn_output `{stack}` `{key}`", exc, "deploy the stack first, or fix its name"
            ) from exc
        for output in (stacks[0].get("Outputs") or []) if stacks else []:
            if output.get("OutputKey") == key:
                return str(output.get("OutputValue", ""))
        raise BundleInvalid(
            f"cfn_output `{stack}` `{key}`: stack {stack} has no output {key}; name one of its "
            "outputs"
        )

    @functools.cache  # noqa: B019
    def stack_export(self, name: str) -> str:
        try:
            pages = self._client("cloudformation").get_paginator("list_exports").paginate()
            for page in pages:
                for export in page.get("Exports") or []:
                    if export.get("Name") == name:
                        return str(export.get("Value", ""))
        except ClientError as exc:
            raise _refused(f"cfn_export `{name}`", exc, "check the region") from exc
        raise BundleInvalid(
            f"cfn_export `{name}`: no CloudFormation stack of this region exports {name}; "
            "name an export (aws cloudformation list-exports)"
        )

    def state_file(self, location: str) -> bytes | None:
        """A Terraform state: ``s3://bucket/key``, or a file of the bundle."""
        url = urlparse(location)
        if url.scheme != "s3":
            return self.read_file(location)
        try:
            body = self._client("s3").get_object(Bucket=url.netloc, Key=url.path.lstrip("/"))
        except ClientError as exc:
            raise _refused(
                f"tfstate {location}",
                exc,
                "give the state's URL (the backend's bucket and key), readable by the deployer",
            ) from exc
        raw = body["Body"].read(MAX_STATE_BYTES + 1)
        if len(raw) > MAX_STATE_BYTES:
            raise BundleInvalid(f"tfstate {location}: more than {MAX_STATE_BYTES >> 20} MiB")
        return bytes(raw)
