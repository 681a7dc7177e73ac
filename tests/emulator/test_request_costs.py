"""moto's and botocore's per-request work, done once (emulator/request_costs.py): each answer is
what the original gives, and the original is asked once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import botocore.parsers
import botocore.useragent
import moto.core.responses
import pytest
from moto.core.base_backend import BackendDict, BaseBackend, backend_lock
from moto.ecs.responses import EC2ContainerServiceResponse

from lattice_deploy.emulator import EmbeddedAws, request_costs
from lattice_deploy.emulator.ecs.models import ecs_backends

from .helpers import counted

pytestmark = pytest.mark.timeout(60)

INSTANCES: list[Any] = BackendDict._instances  # type: ignore[misc]  # what moto's reset walks


def test_the_embedded_aws_installs_them(aws: EmbeddedAws) -> None:
    assert BackendDict.__getitem__ is request_costs._backend
    assert vars(moto.core.responses)["method_names_from_class"] is request_costs._method_names
    assert botocore.useragent.sanitize_user_agent_string_component is request_costs._sanitize
    assert botocore.parsers.DEFAULT_TIMESTAMP_PARSER is request_costs.parse_timestamp


def test_an_existing_backend_is_read_without_moto_s_lock(aws: EmbeddedAws) -> None:
    account = aws.account_id
    backend = ecs_backends[account][aws.region]  # made
    got: list[Any] = []
    with backend_lock:  # another thread holds it: a read of a made backend does not wait
        reader = threading.Thread(target=lambda: got.append(ecs_backends[account][aws.region]))
        reader.start()
        reader.join(timeout=5)
        assert not reader.is_alive()
    assert got == [backend]


def test_a_new_account_s_backend_is_made_and_listed_for_reset() -> None:
    backends: BackendDict[BaseBackend] = BackendDict(BaseBackend, "sqs")
    made = backends["210987654321"]
    assert backends["210987654321"] is made
    assert backends in INSTANCES
    INSTANCES.remove(backends)  # what moto's reset does to each
    backends.clear()
    again = backends["210987654321"]
    assert again is not made and backends in INSTANCES
    INSTANCES.remove(backends)


def test_a_response_class_s_methods_are_listed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    request_costs._method_names.cache_clear()
    calls: list[type] = []

    def counted(clazz: type) -> list[str]:
        calls.append(clazz)
        return [n for n in dir(clazz) if callable(getattr(clazz, n, None))]

    monkeypatch.setattr(request_costs, "_ORIGINAL_METHOD_NAMES", counted)
    first = request_costs._method_names(EC2ContainerServiceResponse)
    assert "create_service" in first and "no_such_action" not in first
    assert request_costs._method_names(EC2ContainerServiceResponse) is first
    assert calls == [EC2ContainerServiceResponse]
    request_costs._method_names.cache_clear()


def test_a_request_is_still_served_by_its_action(aws: EmbeddedAws) -> None:
    ecs = aws.client("ecs")
    ecs.create_cluster(clusterName="costs")
    assert ecs.describe_clusters(clusters=["costs"])["clusters"][0]["clusterName"] == "costs"


@pytest.mark.parametrize(
    ("raw", "allow_hash"),
    [("Boto3", True), ("md/arch#arm64", True), ("md/arch#arm64", False), ("a b/ü{c}", True)],
)
def test_a_user_agent_component_is_sanitized_as_botocore_does(raw: str, allow_hash: bool) -> None:
    expected = request_costs._ORIGINAL_SANITIZE(raw, allow_hash)
    assert request_costs._sanitize(raw, allow_hash) == expected
    assert request_costs._sanitize(raw, allow_hash) == expected  # from the cache


def test_a_text_timestamp_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    request_costs._text_timestamp.cache_clear()
    original = request_costs._ORIGINAL_TIMESTAMP
    seen = counted(monkeypatch, request_costs, "_ORIGINAL_TIMESTAMP")
    text = "2026-12-04T19:00:00.123Z"
    first = request_costs.parse_timestamp(text)
    assert first == original(text) == datetime(2026, 12, 4, 19, 0, 0, 123000, tzinfo=UTC)
    assert request_costs.parse_timestamp(text) is first
    assert request_costs.parse_timestamp(1.5) == original(1.5)  # a number: not kept
    request_costs.parse_timestamp(1.5)
    assert seen == [text, 1.5, 1.5]
    request_costs._text_timestamp.cache_clear()


def test_a_client_s_text_timestamps_go_through_the_cache(aws: EmbeddedAws) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="costs", CreateBucketConfiguration={"LocationConstraint": aws.region})
    s3.put_object(Bucket="costs", Key="k", Body=b"x")
    request_costs._text_timestamp.cache_clear()
    listed = s3.list_objects_v2(Bucket="costs")["Contents"][0]["LastModified"]  # ISO 8601 text
    assert s3.list_objects_v2(Bucket="costs")["Contents"][0]["LastModified"] == listed
    assert request_costs._text_timestamp.cache_info().hits >= 1
    header = s3.head_object(Bucket="costs", Key="k")["LastModified"]  # RFC 822 text
    assert isinstance(listed, datetime) and listed.tzinfo is not None
    assert header == listed.replace(microsecond=0)
