"""The origin document's hand-run commands, replayed on the embedded AWS, step by step.

Run with ``make demo``. Every call goes through boto3 to the in-process embedded AWS; virtual time
stands in for the minutes that health checks take on AWS.
"""

from __future__ import annotations

import sys
from typing import Any

from lattice_deploy.emulator import EmbeddedAws

NETWORK = {
    "awsvpcConfiguration": {
        "subnets": ["subnet-12345678", "subnet-87654321"],
        "securityGroups": ["sg-12345678"],
        "assignPublicIp": "DISABLED",
    }
}


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def targets(lattice: Any, tg: str) -> str:
    items = lattice.list_targets(targetGroupIdentifier=tg)["items"]
    return ", ".join(f"{t['id']}:{t['port']} {t['status']}" for t in items) or "(none)"


def main() -> int:
    with EmbeddedAws() as aws:
        lattice, ecs = aws.client("vpc-lattice"), aws.client("ecs")
        step("aws vpc-lattice create-service-network --name my-service-network --auth-type NONE")
        sn = lattice.create_service_network(name="my-service-network", authType="NONE")
        step(f"create-service-network-vpc-association {sn['id']} ↔ vpc-12345678 (sg-12345678)")
        lattice.create_service_network_vpc_association(
            serviceNetworkIdentifier=sn["id"],
            vpcIdentifier="vpc-12345678",
            securityGroupIds=["sg-12345678"],
        )
        step("aws vpc-lattice create-service --name myservice")
        svc = lattice.create_service(name="myservice", authType="NONE")
        step("create-target-group --name myservice-tg --type IP (ECS awsvpc tasks register by IP)")
        tg = lattice.create_target_group(
            name="myservice-tg",
            type="IP",
            config={"port": 80, "protocol": "HTTP", "vpcIdentifier": "vpc-12345678"},
        )
        step(f"create-listener myservice-listener HTTP:80 → {tg['id']}")
        lattice.create_listener(
            serviceIdentifier=svc["id"],
            name="myservice-listener",
            protocol="HTTP",
            port=80,
            defaultAction={"forward": {"targetGroups": [{"targetGroupIdentifier": tg["id"]}]}},
        )
        lattice.create_service_network_service_association(
            serviceNetworkIdentifier=sn["id"], serviceIdentifier=svc["id"]
        )
        step("register task definition myservice (nginx:latest, port name http)")
        task_def = ecs.register_task_definition(
            family="myservice",
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="256",
            memory="512",
            executionRoleArn="arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            containerDefinitions=[
                {
                    "name": "web",
                    "image": "nginx:latest",
                    "essential": True,
                    "portMappings": [{"name": "http", "containerPort": 80, "protocol": "tcp"}],
                }
            ],
        )["taskDefinition"]["taskDefinitionArn"]
        step(
            "create ECS service myservice on my-cluster, 3 tasks,"
            " vpcLatticeConfigurations → target group"
        )
        ecs.create_service(
            cluster="my-cluster",
            serviceName="myservice",
            taskDefinition=task_def,
            desiredCount=3,
            launchType="FARGATE",
            networkConfiguration=NETWORK,
            vpcLatticeConfigurations=[
                {
                    "roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRoleForVpcLattice",
                    "targetGroupArn": tg["arn"],
                    "portName": "http",
                }
            ],
        )
        print(f"    targets: {targets(lattice, tg['id'])}")
        for _ in range(6):
            aws.advance(30)
            service = ecs.describe_services(cluster="my-cluster", services=["myservice"])[
                "services"
            ][0]
            rollout = service["deployments"][0]["rolloutState"]
            print(f"    +30s  rollout {rollout:<11}  targets: {targets(lattice, tg['id'])}")
        calls = aws.calls()
        step(f"done: {calls['mutating']} mutating and {calls['read']} read AWS calls")
        return 0 if rollout == "COMPLETED" else 1


if __name__ == "__main__":
    sys.exit(main())
