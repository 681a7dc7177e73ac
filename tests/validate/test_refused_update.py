"""A hostile value in an update of a healthy service is refused by the state machine's first
state: 0 ECS, VPC Lattice or EC2 mutating calls, the service and its targets as they were. A
listener port change is refused the same way (VPC Lattice cannot move a listener), by ``plan``
too, with both ways out."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from deployer.bundle.account_check import plan_of
from deployer.core.errors import BundleInvalid
from deployer.lattice import names as lattice_names
from emulator.helpers import VPC
from workflow.conftest import EXAMPLE, Local
from workflow.test_hostile_uploads import failure_of, uploaded

from .hostile import HOSTILE

ON_AN_UPDATE = (
    "desired-count-negative",
    "desired-count-million",
    "container-port-0",
    "listener-port-99999",
    "health-threshold-1000",
    "image-newline",
    "access-logs-not-an-arn",
    "tags-60-of-1000-characters",
)


def deployed_changes(local: Local) -> list[str]:
    return [
        call
        for call in local.aws.calls()["mutatingCalls"]
        if call.split(":")[0] in ("ecs", "vpc-lattice", "ec2")
    ]


def healthy(local: Local, summary: dict[str, Any]) -> list[str]:
    group = next(r for r in summary["resources"] if r["type"] == "targetGroup")
    api = local.aws.client("vpc-lattice")
    items = api.list_targets(targetGroupIdentifier=group["arn"])["items"]
    return sorted(t["status"] for t in items)


def test_hostile_values_on_an_update_change_nothing(local: Local, tmp_path: Path) -> None:
    first = local.deploy(EXAMPLE)
    assert first["status"] == "SUCCEEDED"
    before = healthy(local, first)
    assert before == ["HEALTHY"] * 3
    for case in (c for c in HOSTILE if c.name in ON_AN_UPDATE):
        bundle = tmp_path / case.name
        shutil.copytree(EXAMPLE, bundle)
        (bundle / case.file).write_text(case.edit((bundle / case.file).read_text()))
        local.aws.reset_calls()  # by upload: the CLI would refuse it before uploading
        files = {p.name: p.read_bytes() for p in bundle.iterdir() if p.suffix != ".md"}
        message = failure_of(local, uploaded(local, "myservice", dict(files)))
        assert case.words[-1] in message, (case.name, message)
        assert deployed_changes(local) == [], (case.name, case.must)
        service = local.aws.client("ecs").describe_services(
            cluster="my-cluster", services=["myservice"]
        )["services"][0]
        assert service["desiredCount"] == 3, case.name
        assert healthy(local, first) == before, case.name


@pytest.mark.parametrize("port", [8080, None])
def test_a_listener_port_change_is_refused_with_both_ways_out(
    local: Local, bundle: Any, port: int | None
) -> None:
    """Deployed on 9090, then asked for 8080 (or, with no listener block, the default 80)."""

    def on(listener_port: int | None) -> Any:
        def edit(service: dict[str, Any]) -> None:
            if listener_port:
                service["vpcLatticeConfiguration"]["listener"] = {"port": listener_port}

        return edit

    first = local.deploy(bundle("first", service=on(9090)))
    assert first["status"] == "SUCCEEDED"
    moved = bundle("moved", service=on(port))
    local.aws.reset_calls()
    summary = local.deploy(moved)
    assert summary["status"] == "FAILED"
    message = summary["failure"]["message"]
    asked = port or 80
    assert f"the bundle asks port {asked} (HTTP), but listener dev-myservice-listener" in message
    assert "on port 9090 (HTTP)" in message
    assert '"listener": {"port": 9090, "protocol": "HTTP"}' in message
    assert "aws vpc-lattice delete-listener --service-identifier svc-" in message
    assert deployed_changes(local) == []
    service = next(r for r in first["resources"] if r["type"] == "latticeService")
    listeners = local.aws.client("vpc-lattice").list_listeners(serviceIdentifier=service["arn"])
    assert [item["port"] for item in listeners["items"]] == [9090]  # as it was
    files = {p.name: p.read_text() for p in moved.iterdir()}
    with pytest.raises(BundleInvalid, match="cannot change a listener's port"):  # plan's check
        plan_of(files, "plan", "dev")


def test_the_own_listener_on_the_port_with_another_protocol_is_refused_before_any_change(
    local: Local, bundle: Any
) -> None:
    """The workflow's own listener name on the bundle's port, but TLS_PASSTHROUGH (forwarding to
    a TCP group): repointing it at the HTTP group fails on AWS mid-run, so it is refused first,
    with the way out (keeping it is none)."""
    api = local.aws.client("vpc-lattice")
    names = lattice_names.names("dev", "myservice")
    service = api.create_service(name=names["service"], customDomainName="myservice.example.com")
    tcp = api.create_target_group(
        name="myservice-tcp",
        type="IP",
        config={"port": 443, "protocol": "TCP", "vpcIdentifier": VPC},
    )
    forward = {"forward": {"targetGroups": [{"targetGroupIdentifier": tcp["id"]}]}}
    api.create_listener(
        serviceIdentifier=service["id"],
        name=names["listener"],
        protocol="TLS_PASSTHROUGH",
        port=443,
        defaultAction=forward,
    )

    def https(definition: dict[str, Any]) -> None:
        definition["vpcLatticeConfiguration"]["listener"] = {"port": 443, "protocol": "HTTPS"}

    files = {p.name: p.read_text() for p in bundle("https", service=https).iterdir()}
    with pytest.raises(BundleInvalid) as refused:
        plan_of(files, "plan", "dev")
    message = str(refused.value)
    assert message.startswith("ecs-service-def.json: vpcLatticeConfiguration.listener: ")
    assert f"listener {names['listener']} is on port 443 (TLS_PASSTHROUGH)" in message
    assert "cannot change a listener's port or protocol" in message
    assert "keep it" not in message and "aws vpc-lattice delete-listener" in message
