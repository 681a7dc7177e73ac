"""Request throttling: AWS's token buckets on the virtual clock, answered as each service does."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from lattice_deploy.emulator import CLOCK, THROTTLE, EmbeddedAws
from lattice_deploy.emulator.account import SECOND_ACCOUNT
from lattice_deploy.emulator.demo_account import ACCOUNT_ID, CLUSTER, REGION
from lattice_deploy.emulator.throttle import ENV, Rate

NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"})
SERVICE_READS = 100  # "Service read actions": bucket maximum capacity 100, refill 20 per second


@pytest.fixture
def throttled() -> Iterator[EmbeddedAws]:
    with EmbeddedAws(throttle=True) as account:
        yield account


def describe(ecs: Any) -> Any:
    return ecs.describe_services(cluster=CLUSTER, services=["web"])


def throttle_error(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as exc:
        call()
    response: dict[str, Any] = exc.value.response  # type: ignore[assignment]
    return response


def test_a_burst_past_the_bucket_is_throttled_until_it_refills(throttled: EmbeddedAws) -> None:
    ecs = throttled.client("ecs", config=NO_RETRY)
    for _ in range(SERVICE_READS):
        describe(ecs)
    response = throttle_error(lambda: describe(ecs))
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "ThrottlingException",
        400,
    )
    assert response["Error"]["Message"] == "Rate exceeded"
    throttled.advance(0.04)  # 0.8 of a token at 20 per second
    throttle_error(lambda: describe(ecs))
    throttled.advance(0.01)  # one token
    describe(ecs)
    throttle_error(lambda: describe(ecs))
    throttled.advance(60)  # refilled to capacity, never beyond
    for _ in range(SERVICE_READS):
        describe(ecs)
    throttle_error(lambda: describe(ecs))
    assert throttled.throttled() == 4


def test_buckets_are_per_category_account_and_region(throttled: EmbeddedAws) -> None:
    ecs = throttled.client("ecs", config=NO_RETRY)
    for _ in range(SERVICE_READS):
        describe(ecs)
    # ListServices shares the "Service read actions" bucket ("All API actions in a category
    # share the same token bucket"); DescribeClusters takes from "Cluster read actions".
    throttle_error(lambda: ecs.list_services(cluster=CLUSTER))
    ecs.describe_clusters(clusters=[CLUSTER])
    other_account = throttled.client("ecs", account=SECOND_ACCOUNT, config=NO_RETRY)
    other_region = boto3.client("ecs", region_name="us-east-1", config=NO_RETRY)
    for elsewhere in (other_account, other_region):
        elsewhere.create_cluster(clusterName=CLUSTER)
        describe(elsewhere)


def test_lattice_answers_429_with_retry_after_at_a_settable_rate(throttled: EmbeddedAws) -> None:
    THROTTLE.set_lattice_rate(capacity=2, refill=0.25)
    lattice = throttled.client("vpc-lattice", config=NO_RETRY)
    lattice.list_services()
    lattice.list_services()
    response = throttle_error(lattice.list_services)
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "ThrottlingException",
        429,
    )
    assert response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "4"  # 1 token at 1/4
    lattice.list_target_groups()  # another action, another bucket
    throttled.advance(4)
    lattice.list_services()


def test_step_functions_start_execution_rate_by_region(throttled: EmbeddedAws) -> None:
    assert THROTTLE.bucket("us-east-1", "stepfunctions", "StartExecution") == (
        "StartExecution",
        Rate(1300, 300),
    )
    assert THROTTLE.bucket(REGION, "stepfunctions", "StartExecution") == (
        "StartExecution",
        Rate(800, 150),
    )
    assert THROTTLE.bucket(REGION, "stepfunctions", "DescribeExecution") is None
    for _ in range(800):  # empty the bucket without running 800 executions
        assert THROTTLE.take(ACCOUNT_ID, REGION, "stepfunctions", "StartExecution") is None
    sfn = throttled.client("stepfunctions", config=NO_RETRY)
    arn = f"arn:aws:states:{REGION}:{ACCOUNT_ID}:stateMachine:none"
    response = throttle_error(lambda: sfn.start_execution(stateMachineArn=arn))
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "ThrottlingException",
        400,
    )


def test_a_retry_succeeds_once_its_backoff_refilled_the_bucket(throttled: EmbeddedAws) -> None:
    """botocore's own backoff sleeps on the virtual clock (emulator/install.py), as it sleeps in
    real time against AWS: the bucket refills meanwhile (one token: 0.05 s at 20 per second;
    standard mode's backoffs, random x 1, x 2, x 4, x 8, add up to less than that with a chance
    of about one in a hundred million over five attempts)."""
    ecs = throttled.client("ecs", config=Config(retries={"mode": "standard", "max_attempts": 5}))
    for _ in range(SERVICE_READS):
        describe(ecs)
    before = CLOCK.now()
    retried = describe(ecs)
    attempts = retried["ResponseMetadata"]["RetryAttempts"]
    assert attempts >= 1 and throttled.throttled() == attempts
    assert 0.05 <= CLOCK.now() - before <= sum(2**k for k in range(attempts))


def test_off_by_default_and_off_where_a_test_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    with EmbeddedAws() as aws:
        ecs = aws.client("ecs", config=NO_RETRY)
        for _ in range(3 * SERVICE_READS):
            describe(ecs)
        assert aws.throttled() == 0
    monkeypatch.setenv(ENV, "aws")
    with EmbeddedAws(throttle=False) as aws:
        ecs = aws.client("ecs", config=NO_RETRY)
        for _ in range(3 * SERVICE_READS):
            describe(ecs)
    with EmbeddedAws() as aws:  # the environment turns it on
        ecs = aws.client("ecs", config=NO_RETRY)
        for _ in range(SERVICE_READS):
            describe(ecs)
        throttle_error(lambda: describe(ecs))


class _Yielding(dict[Any, Any]):
    """The buckets, handing the thread over at each read: a take that is not atomic (read the
    tokens, then write them less one) lets two threads spend the same token."""

    def get(self, key: Any, default: Any = None) -> Any:
        found = super().get(key, default)
        time.sleep(0)
        return found


def test_threads_never_get_more_than_the_bucket_and_its_refill(
    throttled: EmbeddedAws, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Service modify actions: 50 tokens, 5 a second. Eight threads ask 200 times each while
    the clock moves one virtual second in steps: no more than 50 + 5 get through."""
    monkeypatch.setattr(THROTTLE, "_buckets", _Yielding())
    allowed: list[int] = []
    start = threading.Barrier(9)

    def hammer() -> None:
        start.wait()
        passed = 0
        for _ in range(200):
            if THROTTLE.take(ACCOUNT_ID, REGION, "ecs", "UpdateService") is None:
                passed += 1
        allowed.append(passed)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    start.wait()
    for _ in range(10):
        throttled.advance(0.1)
    for thread in threads:
        thread.join()
    assert 50 <= sum(allowed) <= 55


def test_lambda_refuses_an_invocation_past_the_accounts_concurrency(
    throttled: EmbeddedAws,
) -> None:
    """Lambda quotas, "Concurrent executions" (1,000 by default; 1 here): while one invocation
    runs, another is refused with TooManyRequestsException (429) and never runs."""
    from lattice_deploy.emulator.awslambda.models import HANDLERS

    awslambda = throttled.client("lambda", config=NO_RETRY)
    role = throttled.client("iam").create_role(RoleName="fn", AssumeRolePolicyDocument="{}")
    awslambda.create_function(
        FunctionName="busy",
        Runtime="python3.13",
        Role=role["Role"]["Arn"],
        Handler="x.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    )
    inside, release, ran = threading.Event(), threading.Event(), []

    def busy(event: dict[str, Any], context: Any) -> dict[str, Any]:
        ran.append(event)
        inside.set()
        release.wait(10)
        return {}

    HANDLERS["busy"] = busy
    THROTTLE.lambda_concurrency = 1
    first = threading.Thread(target=lambda: awslambda.invoke(FunctionName="busy", Payload=b"{}"))
    first.start()
    assert inside.wait(10)
    response = throttle_error(lambda: awslambda.invoke(FunctionName="busy", Payload=b'{"n": 2}'))
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "TooManyRequestsException",
        429,
    )
    assert response["Reason"] == "ConcurrentInvocationLimitExceeded"
    release.set()
    first.join(10)
    awslambda.invoke(FunctionName="busy", Payload=b'{"n": 3}')  # room again
    assert ran == [{}, {"n": 3}]
    del HANDLERS["busy"]
