"""An embedded AWS account in this process: moto with our extensions, seeded, on virtual time.

Why a context manager: a test, the ``--local`` CLI and the benchmarks all need the same thing, a
fresh account that boto3 reaches without a network, whose clock and faults they control, and that
is gone afterwards. Nothing here fakes boto3: every call goes boto3 → botocore → moto → our models.
"""

from __future__ import annotations

import os
from types import TracebackType
from typing import Any

import boto3
from moto import mock_aws

from . import demo_account
from .calls import CALLS
from .clock import CLOCK
from .events.models import DELIVERIES
from .faults import FAULTS, Fault
from .install import install
from .throttle import THROTTLE
from .usage import USAGE

MOTO_CONFIG: Any = {"stepfunctions": {"execute_state_machine": True}}
SECOND_ACCOUNT = "210987654321"
"""Another account, for what crosses accounts (a service network shared through AWS RAM)."""


class EmbeddedAws:
    def __init__(
        self,
        region: str = demo_account.REGION,
        account_id: str = demo_account.ACCOUNT_ID,
        seed: bool = True,
        throttle: bool | None = None,
    ) -> None:
        """``throttle``: answer past AWS's request rates with ThrottlingException
        (:mod:`.throttle`); None: as ``LATTICE_DEPLOY_THROTTLE`` says (default off)."""
        self.region, self.account_id, self._seed = region, account_id, seed
        self._throttle = throttle
        self._mock = mock_aws(config=MOTO_CONFIG)
        self.demo: dict[str, Any] = {}
        self._accounts: dict[str, dict[str, str]] = {}

    def __enter__(self) -> EmbeddedAws:
        os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # ~1 s per region, unused
        install()
        self._mock.start()
        CLOCK.reset()
        FAULTS.clear()
        CALLS.reset()
        DELIVERIES.clear()
        USAGE.reset()
        THROTTLE.reset(enabled=False)  # seeding is the account's past, not a burst of requests
        if self._seed:
            self.demo = demo_account.seed(self.account_id, self.region)
        THROTTLE.reset(self._throttle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._mock.stop()
        self._accounts.clear()
        FAULTS.clear()
        THROTTLE.reset()
        self.pin_first_check(None)

    def client(self, service: str, account: str | None = None, **kwargs: Any) -> Any:
        """A client of this account, or of ``account``: moto serves a request in the account its
        credentials name, so another account's are an AssumeRole into it (moto's STS)."""
        if account and account != self.account_id:
            kwargs = {**self._credentials(account), **kwargs}
        return boto3.client(service, region_name=self.region, **kwargs)  # type: ignore[call-overload]

    def _credentials(self, account: str) -> dict[str, str]:
        if account not in self._accounts:
            made = boto3.client("sts", region_name=self.region).assume_role(
                RoleArn=f"arn:aws:iam::{account}:role/embedded-aws", RoleSessionName="embedded-aws"
            )["Credentials"]
            self._accounts[account] = {
                "aws_access_key_id": made["AccessKeyId"],
                "aws_secret_access_key": made["SecretAccessKey"],
                "aws_session_token": made["SessionToken"],
            }
        return self._accounts[account]

    # ---- the controls a test or the CLI drives
    def advance(self, seconds: float) -> float:
        """Move virtual time forward (health checks, draining, rollouts)."""
        return CLOCK.advance(seconds)

    def pin_first_check(self, fraction: float | None) -> None:
        """When each new target's first health check runs, as a fraction of the interval in
        (0, 1] (None: each target's own offset). AWS does not say: a rule proven for one offset
        is proven for that offset only."""
        from .vpclattice import targets

        if fraction is not None and not 0 < fraction <= 1:
            raise ValueError(f"a first check runs within one interval, not at {fraction}")
        targets.FIRST_CHECK = fraction

    def throttled(self) -> int:
        """How many of this account's requests were throttled (:mod:`.throttle`)."""
        return THROTTLE.throttled(self.account_id)

    def inject(self, spec: str | Fault) -> Fault:
        return FAULTS.add(self.account_id, spec)

    def clear_faults(self, owner: str | None = None) -> None:
        if owner:
            FAULTS.release(owner)
        else:
            FAULTS.clear(self.account_id)

    def calls(self, execution: str | None = None) -> dict[str, Any]:
        """Counts of the AWS calls served so far: ``mutating``, ``read`` and per operation (only
        those the Lambda invocations of one execution made, given its ``deploymentId``)."""
        return CALLS.summary(self.account_id, execution)

    def reset_calls(self) -> None:
        CALLS.reset(self.account_id)

    def target_timeline(self, group_arn: str) -> list[dict[str, Any]]:
        """Every target the group ever had, with when each turned HEALTHY or UNHEALTHY (in
        ``CLOCK.now()`` seconds), even after it drained or the group was deleted."""
        from .vpclattice.models import lattice_backends

        return lattice_backends[self.account_id][self.region].timeline(group_arn)
