"""VPC Lattice auth policies on the embedded AWS, against the API reference and the User Guide:
state follows the auth type, virtual time, no newlines, 10 KB, the resource must exist, a policy
is removed only once the type is NONE, and goes with its resource; UpdateServiceNetwork."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lattice_deploy.emulator.vpclattice.models import lattice_backends

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
    },
    separators=(",", ":"),
)


def code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def test_state_is_active_only_while_the_auth_type_is_aws_iam(lattice: Any) -> None:
    svc = lattice.create_service(name="guarded", authType="NONE")
    put = lattice.put_auth_policy(resourceIdentifier=svc["arn"], policy=POLICY)
    assert (put["policy"], put["state"]) == (POLICY, "Inactive")
    lattice.update_service(serviceIdentifier=svc["id"], authType="AWS_IAM")
    assert lattice.get_auth_policy(resourceIdentifier=svc["id"])["state"] == "Active"
    lattice.update_service(serviceIdentifier=svc["id"], authType="NONE")
    assert lattice.get_auth_policy(resourceIdentifier=svc["arn"])["state"] == "Inactive"


def test_times_are_virtual(aws: Any, lattice: Any) -> None:
    svc = lattice.create_service(name="guarded", authType="AWS_IAM")
    lattice.put_auth_policy(resourceIdentifier=svc["id"], policy=POLICY)
    first = lattice.get_auth_policy(resourceIdentifier=svc["id"])
    aws.advance(3600)
    lattice.put_auth_policy(resourceIdentifier=svc["id"], policy=POLICY)
    later = lattice.get_auth_policy(resourceIdentifier=svc["id"])
    assert later["createdAt"] == first["createdAt"]
    assert (later["lastUpdatedAt"] - first["lastUpdatedAt"]).total_seconds() >= 3600


def test_refused_policies(lattice: Any) -> None:
    svc = lattice.create_service(name="guarded", authType="AWS_IAM")
    for policy in (json.dumps(json.loads(POLICY), indent=2), "{", "x" * 10_001):
        with pytest.raises(ClientError) as refused:
            lattice.put_auth_policy(resourceIdentifier=svc["id"], policy=policy)
        assert code(refused) == "ValidationException"
    with pytest.raises(ClientError) as missing:
        lattice.put_auth_policy(resourceIdentifier="svc-0123456789abcdef0", policy=POLICY)
    assert code(missing) == "ResourceNotFoundException"


def test_a_policy_is_removed_only_once_the_type_is_none(lattice: Any) -> None:
    svc = lattice.create_service(name="guarded", authType="AWS_IAM")
    lattice.put_auth_policy(resourceIdentifier=svc["id"], policy=POLICY)
    with pytest.raises(ClientError) as refused:
        lattice.delete_auth_policy(resourceIdentifier=svc["id"])
    assert code(refused) == "ValidationException"
    lattice.update_service(serviceIdentifier=svc["id"], authType="NONE")
    lattice.delete_auth_policy(resourceIdentifier=svc["id"])
    with pytest.raises(ClientError) as gone:
        lattice.get_auth_policy(resourceIdentifier=svc["id"])
    assert code(gone) == "ResourceNotFoundException"


def test_the_network_auth_type_updates_and_its_policy_goes_with_it(aws: Any, lattice: Any) -> None:
    network = lattice.create_service_network(name="shared")
    updated = lattice.update_service_network(
        serviceNetworkIdentifier=network["arn"], authType="AWS_IAM"
    )
    assert updated["authType"] == "AWS_IAM"
    got = lattice.get_service_network(serviceNetworkIdentifier=network["id"])
    assert got["authType"] == "AWS_IAM"
    lattice.put_auth_policy(resourceIdentifier=network["id"], policy=POLICY)
    assert lattice.get_auth_policy(resourceIdentifier=network["arn"])["state"] == "Active"
    lattice.delete_service_network(serviceNetworkIdentifier=network["id"])
    again = lattice.create_service_network(name="shared")
    with pytest.raises(ClientError) as none:
        lattice.get_auth_policy(resourceIdentifier=again["id"])
    assert code(none) == "ResourceNotFoundException"
    with pytest.raises(ClientError) as gone:
        lattice.get_auth_policy(resourceIdentifier=network["id"])
    assert code(gone) == "ResourceNotFoundException"
    kept = lattice_backends[aws.account_id][aws.region].auth_policies
    assert network["id"] not in kept  # not kept for a resource no call can name again
