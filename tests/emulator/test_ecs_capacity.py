"""Capacity providers: a service runs on the strategy it names, or on the cluster's default."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from lattice_deploy.emulator.ecs.capacity import NO_INSTANCES

from .helpers import NETWORK, ROLE, describe, served_target_group, task_definition, task_ips

HEALTHY_AFTER = 30 + 5 * 30
SPOT_AND_FARGATE = [
    {"capacityProvider": "FARGATE", "base": 1, "weight": 1},
    {"capacityProvider": "FARGATE_SPOT", "weight": 3},
]


def service(ecs: Any, tg_arn: str, name: str = "myservice", **kwargs: Any) -> dict[str, Any]:
    return dict(
        ecs.create_service(
            cluster=kwargs.pop("cluster", "my-cluster"),
            serviceName=name,
            taskDefinition=kwargs.pop("taskDefinition", None) or task_definition(ecs),
            desiredCount=kwargs.pop("desiredCount", 4),
            networkConfiguration=NETWORK,
            vpcLatticeConfigurations=[
                {"roleArn": ROLE, "targetGroupArn": tg_arn, "portName": "http"}
            ],
            **kwargs,
        )["service"]
    )


def providers(ecs: Any) -> list[str]:
    arns = ecs.list_tasks(cluster="my-cluster", serviceName="myservice")["taskArns"]
    tasks = ecs.describe_tasks(cluster="my-cluster", tasks=arns)["tasks"]
    return sorted(t.get("capacityProviderName", "") for t in tasks)


def test_the_demo_cluster_has_both_fargate_providers_and_fargate_as_default(ecs: Any) -> None:
    (cluster,) = ecs.describe_clusters(clusters=["my-cluster"])["clusters"]
    assert cluster["capacityProviders"] == ["FARGATE", "FARGATE_SPOT"]
    assert cluster["defaultCapacityProviderStrategy"] == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 0}
    ]


def test_a_strategy_runs_base_then_weight_and_describe_shows_it_without_launch_type(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    made = service(ecs, tg["arn"], capacityProviderStrategy=SPOT_AND_FARGATE, desiredCount=5)
    assert "launchType" not in made
    assert made["capacityProviderStrategy"] == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
    ]
    assert "launchType" not in made["deployments"][0]
    # 1 on FARGATE (its base), the other 4 split 1:3 by weight
    assert providers(ecs) == ["FARGATE"] * 2 + ["FARGATE_SPOT"] * 3
    aws.advance(HEALTHY_AFTER)
    got = describe(ecs)
    assert (got["runningCount"], got["deployments"][0]["rolloutState"]) == (5, "COMPLETED")
    (listed,) = ecs.list_service_deployments(cluster="my-cluster", service="myservice")[
        "serviceDeployments"
    ]
    (deployment,) = ecs.describe_service_deployments(
        serviceDeploymentArns=[listed["serviceDeploymentArn"]]
    )["serviceDeployments"]
    (revision,) = ecs.describe_service_revisions(
        serviceRevisionArns=[deployment["targetServiceRevision"]["arn"]]
    )["serviceRevisions"]
    assert "launchType" not in revision
    assert revision["capacityProviderStrategy"] == made["capacityProviderStrategy"]


def test_neither_launch_type_nor_strategy_takes_the_cluster_default(
    aws: Any, lattice: Any, ecs: Any
) -> None:
    tg = served_target_group(lattice)
    made = service(ecs, tg["arn"], desiredCount=2)
    assert made["capacityProviderStrategy"] == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 0}
    ]
    assert len(task_ips(ecs)) == 2 and providers(ecs) == ["FARGATE", "FARGATE"]
    aws.advance(HEALTHY_AFTER)
    assert describe(ecs)["deployments"][0]["rolloutState"] == "COMPLETED"


def test_a_launch_type_service_shows_no_strategy(lattice: Any, ecs: Any) -> None:
    made = service(ecs, served_target_group(lattice)["arn"], launchType="FARGATE")
    assert made["launchType"] == "FARGATE" and "capacityProviderStrategy" not in made
    assert providers(ecs) == [""] * 4


@pytest.mark.parametrize(
    ("strategy", "launch", "says"),
    [
        (
            [{"capacityProvider": "my-asg-provider", "weight": 1}],
            None,
            "not associated with the cluster ('my-asg-provider'",
        ),
        (SPOT_AND_FARGATE, "FARGATE", "Specifying both a launch type and capacity provider"),
    ],
)
def test_a_strategy_ecs_refuses_is_refused_and_nothing_runs(
    lattice: Any, ecs: Any, strategy: list[dict[str, Any]], launch: str | None, says: str
) -> None:
    extra = {"launchType": launch} if launch else {}
    with pytest.raises(ClientError) as caught:
        service(
            ecs, served_target_group(lattice)["arn"], capacityProviderStrategy=strategy, **extra
        )
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"
    assert says in caught.value.response["Error"]["Message"]
    assert ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"] == []


def test_a_cluster_without_providers_runs_a_bare_service_on_ec2_and_says_it_cannot_place(
    lattice: Any, ecs: Any
) -> None:
    ecs.create_cluster(clusterName="bare")
    tg = served_target_group(lattice)
    with pytest.raises(ClientError) as caught:  # the FARGATE-only task definition
        service(ecs, tg["arn"], cluster="bare")
    assert "does not support launch_type EC2" in caught.value.response["Error"]["Message"]
    with pytest.raises(ClientError):  # FARGATE_SPOT is not associated with "bare"
        service(
            ecs,
            tg["arn"],
            cluster="bare",
            capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
        )
    plain = ecs.register_task_definition(
        family="plain", containerDefinitions=[{"name": "web", "image": "nginx", "memory": 64}]
    )["taskDefinition"]["taskDefinitionArn"]
    made = ecs.create_service(cluster="bare", serviceName="plain", taskDefinition=plain)["service"]
    assert made["launchType"] == "EC2"
    (got,) = ecs.describe_services(cluster="bare", services=["plain"])["services"]
    assert got["events"][0]["message"] == NO_INSTANCES.format(name="plain")


def test_put_cluster_capacity_providers_checks_what_it_associates(ecs: Any) -> None:
    ecs.create_cluster(clusterName="c2")
    with pytest.raises(ClientError) as caught:
        ecs.put_cluster_capacity_providers(
            cluster="c2",
            capacityProviders=["FARGATE"],
            defaultCapacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
        )
    assert "not associated with the cluster" in caught.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as caught:
        ecs.put_cluster_capacity_providers(
            cluster="c2", capacityProviders=["nope"], defaultCapacityProviderStrategy=[]
        )
    assert "'nope' does not exist" in caught.value.response["Error"]["Message"]
    ecs.put_cluster_capacity_providers(
        cluster="c2",
        capacityProviders=["FARGATE_SPOT"],
        defaultCapacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
    )
    (cluster,) = ecs.describe_clusters(clusters=["c2"])["clusters"]
    assert cluster["capacityProviders"] == ["FARGATE_SPOT"]


def test_update_service_moves_a_service_to_a_strategy(aws: Any, lattice: Any, ecs: Any) -> None:
    tg = served_target_group(lattice)
    service(ecs, tg["arn"], launchType="FARGATE", desiredCount=1)
    aws.advance(HEALTHY_AFTER)
    updated = ecs.update_service(
        cluster="my-cluster",
        service="myservice",
        capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 1}],
    )["service"]
    assert "launchType" not in updated
    assert updated["deployments"][0]["capacityProviderStrategy"][0]["capacityProvider"] == (
        "FARGATE_SPOT"
    )
    with pytest.raises(ClientError):
        ecs.update_service(
            cluster="my-cluster",
            service="myservice",
            capacityProviderStrategy=[{"capacityProvider": "my-asg-provider", "weight": 1}],
        )
