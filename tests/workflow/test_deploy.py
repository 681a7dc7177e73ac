"""The deploy workflow end to end: a first deploy, a no-op redeploy, an update, a second service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .conftest import EXAMPLE, Local

STEPS = [
    "acquire_lock",
    "turn_verdict",
    "load_bundle",
    "ensure_lattice",
    "register_task_definition",
    "update_service",
    "check_health",
    "health_verdict",
]


def actions(summary: dict[str, Any]) -> dict[str, str]:
    return {r["type"]: r["action"] for r in summary["resources"]}


def entered(local: Local, summary: dict[str, Any]) -> list[str]:
    return [
        e["stateEnteredEventDetails"]["name"]
        for e in local.history(summary)
        if "stateEnteredEventDetails" in e
    ]


def test_first_deploy_puts_the_service_behind_lattice_with_healthy_targets(local: Local) -> None:
    summary = local.deploy(EXAMPLE)
    assert summary["status"] == "SUCCEEDED"
    assert [t["status"] for t in summary["targets"]] == ["HEALTHY"] * 3
    assert set(actions(summary).values()) == {"created", "skipped"}
    assert actions(summary)["accessLogs"] == "skipped"
    names = [r.get("name") for r in summary["resources"]]
    assert {
        "dev-servicenetwork",
        "dev-myservice-service",
        "dev-myservice-targetgroup",
        "dev-myservice-listener",
    } <= set(names)
    states = entered(local, summary)
    assert states[: len(STEPS)] == STEPS
    assert states[-4:] == ["release_lock", "report", "outcome", "deployed"]
    ecs = local.aws.client("ecs")
    service = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0]
    wiring = service["deployments"][0]["vpcLatticeConfigurations"][0]
    assert wiring["portName"] == "http" and wiring["roleArn"].endswith(
        "lattice-deploy-EcsInfrastructureRole"
    )
    assert wiring["targetGroupArn"] == next(
        r["arn"] for r in summary["resources"] if r["type"] == "targetGroup"
    )
    lattice = local.aws.client("vpc-lattice")
    tags = lattice.list_tags_for_resource(resourceArn=wiring["targetGroupArn"])["tags"]
    assert tags["lattice-deploy:service"] == "myservice"
    assert tags["lattice-deploy:deployment-id"] == summary["deploymentId"]
    assert local.lines[-2].startswith("  ✓ release_lock                 released")
    assert local.lines[-1].startswith("  ✓ report")


def test_the_workflow_counts_the_calls_the_emulator_served(local: Local) -> None:
    local.aws.reset_calls()
    summary = local.deploy(EXAMPLE)
    served = local.aws.calls()["mutatingCalls"]
    deploy_side = {k: v for k, v in served.items() if k.split(":")[0] in ("ecs", "vpc-lattice")}
    assert summary["calls"]["phases"]["deploy"]["mutating"] == sum(deploy_side.values()) == 8


def deploy_changing_nothing(local: Local, directory: Path) -> dict[str, Any]:
    """Deploy what is deployed: it succeeds with no change to ECS, Lattice or EC2."""
    local.aws.reset_calls()
    again = local.deploy(directory)
    assert again["status"] == "SUCCEEDED"
    assert again["calls"]["phases"]["deploy"]["mutating"] == 0
    assert set(actions(again).values()) == {"unchanged", "skipped"}
    served = local.aws.calls()["mutatingCalls"]
    assert not [k for k in served if k.split(":")[0] in ("ecs", "vpc-lattice", "ec2")]
    return again


def test_redeploying_the_same_bundle_changes_nothing(local: Local) -> None:
    first = local.deploy(EXAMPLE)
    again = deploy_changing_nothing(local, EXAMPLE)
    assert [r.get("arn") for r in again["resources"]] == [r.get("arn") for r in first["resources"]]


def test_a_new_image_rolls_out_and_records_the_previous_revision(local: Local, bundle: Any) -> None:
    local.deploy(EXAMPLE)
    first_ips = {t["id"] for t in local.deploy(EXAMPLE)["targets"]}

    def new_image(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    summary = local.deploy(bundle(task=new_image))
    assert summary["status"] == "SUCCEEDED"
    service = next(r for r in summary["resources"] if r["type"] == "ecsService")
    assert service["action"] == "updated"
    assert service["previous"]["taskDefinition"].endswith("myservice:1")
    assert next(r for r in summary["resources"] if r["type"] == "taskDefinition")["revision"] == 2
    healthy = {t["id"] for t in summary["targets"] if t["status"] == "HEALTHY"}
    assert len(healthy) == 3 and not healthy & first_ips


def test_redeploying_after_an_update_compares_with_the_running_revision(
    local: Local, bundle: Any
) -> None:
    """Deploy, deploy a new image, deploy that bundle again: the third run is a no-op (it once
    compared with the family's first revision, registered a third and rolled the service)."""

    def new_image(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    updated = bundle(task=new_image)
    assert local.deploy(updated)["status"] == "SUCCEEDED"
    deploy_changing_nothing(local, updated)
    ecs = local.aws.client("ecs")
    listed = ecs.list_task_definitions(familyPrefix="myservice")["taskDefinitionArns"]
    assert [arn.rsplit(":", 1)[-1] for arn in listed] == ["1", "2"]
    service = ecs.describe_services(cluster="my-cluster", services=["myservice"])["services"][0]
    assert service["taskDefinition"].endswith("myservice:2")


def test_a_revision_registered_by_hand_does_not_make_a_redeploy_change_anything(
    local: Local,
) -> None:
    """The family's newest revision is not what runs (someone registered one without deploying):
    the redeploy compares with the service's own revision and changes nothing."""
    assert local.deploy(EXAMPLE)["status"] == "SUCCEEDED"
    ecs = local.aws.client("ecs")
    running = ecs.describe_task_definition(taskDefinition="myservice:1")["taskDefinition"]
    fields = ("family", "networkMode", "requiresCompatibilities", "cpu", "memory")
    ecs.register_task_definition(
        **{k: running[k] for k in fields},
        executionRoleArn=running["executionRoleArn"],
        containerDefinitions=[{**running["containerDefinitions"][0], "image": "nginx:canary"}],
    )
    deploy_changing_nothing(local, EXAMPLE)


def test_going_back_to_an_earlier_image_registers_a_new_revision(local: Local, bundle: Any) -> None:
    """The service runs revision 2; a bundle equal to revision 1 is a change (ecspresso too
    registers a new revision rather than pointing the service back at an old one)."""

    def new_image(task: dict[str, Any]) -> None:
        task["containerDefinitions"][0]["image"] = "nginx:1.27"

    local.deploy(EXAMPLE)
    local.deploy(bundle(task=new_image))
    back = local.deploy(EXAMPLE)
    assert back["status"] == "SUCCEEDED"
    assert actions(back)["taskDefinition"] == "created"
    assert next(r for r in back["resources"] if r["type"] == "taskDefinition")["revision"] == 3


def test_a_second_service_reuses_the_service_network_and_vpc_association(
    local: Local, bundle: Any
) -> None:
    first = local.deploy(EXAMPLE)

    def rename(service: dict[str, Any]) -> None:
        service["serviceName"] = "orders"
        service["serviceConnectConfiguration"]["services"][0]["clientAliases"][0]["dnsName"] = (
            "orders"
        )

    def family(task: dict[str, Any]) -> None:
        task["family"] = "orders"

    config = (
        (EXAMPLE / "ecspresso.yml").read_text().replace("service: myservice", "service: orders")
    )
    second = local.deploy(bundle("orders", service=rename, task=family, config=config))
    assert second["status"] == "SUCCEEDED"
    assert actions(second)["serviceNetwork"] == actions(second)["vpcAssociation"] == "unchanged"
    for shared in ("serviceNetwork", "vpcAssociation"):
        ids = [
            next(r["id"] for r in s["resources"] if r["type"] == shared) for s in (first, second)
        ]
        assert ids[0] == ids[1]
    assert actions(second)["latticeService"] == actions(second)["targetGroup"] == "created"
    lattice = local.aws.client("vpc-lattice")
    assert len(lattice.list_service_networks()["items"]) == 1
    assert (
        len(lattice.list_service_network_vpc_associations(vpcIdentifier="vpc-12345678")["items"])
        == 1
    )
    assert len(lattice.list_services()["items"]) == 2


def test_the_bundles_own_tags_join_the_workflows_and_a_redeploy_changes_nothing(
    local: Local, bundle: Any
) -> None:
    def service_tags(service: dict[str, Any]) -> None:
        service["tags"] = [{"key": "team", "value": "payments"}]

    def task_tags(task: dict[str, Any]) -> None:
        task["tags"] = [{"key": "cost-center", "value": "42"}]

    tagged = bundle(service=service_tags, task=task_tags)
    summary = local.deploy(tagged)
    assert summary["status"] == "SUCCEEDED"
    ecs = local.aws.client("ecs")
    arns = {r["type"]: r["arn"] for r in summary["resources"] if r.get("arn")}
    for kind, (key, value) in (
        ("ecsService", ("team", "payments")),
        ("taskDefinition", ("cost-center", "42")),
    ):
        tags = {
            t["key"]: t["value"] for t in ecs.list_tags_for_resource(resourceArn=arns[kind])["tags"]
        }
        assert tags[key] == value and tags["lattice-deploy:service"] == "myservice", kind
    deploy_changing_nothing(local, tagged)
