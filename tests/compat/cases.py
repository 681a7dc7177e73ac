"""The compatibility corpus: one entry per shape real ecspresso bundles take (see corpus.py)."""

from __future__ import annotations

import json
from typing import Any

from .corpus import (
    ACCOUNT_REFUSED,
    DESCRIBE_SERVICE_FIELDS,
    DESCRIBE_TASK_FIELDS,
    DROP,
    REFUSED,
    SUBNETS,
    SVC,
    TASK,
    Case,
    bundle,
    config,
    init_service,
    init_task,
)
from .plugins import JSONNET_CONFIG, plugin_cases, subnets_from


def with_describe_fields() -> tuple[dict[str, Any], dict[str, Any]]:
    return {**init_service(), **DESCRIBE_SERVICE_FIELDS}, {**init_task(), **DESCRIBE_TASK_FIELDS}


def _cases() -> list[Case]:
    describe_service, describe_task = with_describe_fields()
    unnamed = init_task(containerDefinitions__0__portMappings__0__name=DROP)
    camel = config(service="MyOrderService_v2")
    long_name = "payments-settlement-reconciliation-worker-service"
    cases = [
        # --- what `ecspresso init` writes, and describe output
        Case("init-as-written", "ecspresso init of a Fargate service", bundle()),
        Case(
            "init-describe-fields",
            "init by an older ecspresso / hand-run describe-*: read-only fields",
            bundle(describe_service, describe_task),
            words=["pendingCount", "revision", "registeredAt"],
        ),
        Case(
            "describe-task-wrapper",
            "aws ecs describe-task-definition > ecs-task-def.json",
            bundle(task={"taskDefinition": describe_task, "tags": []}),
        ),
        Case(
            "init-full",
            "the issue's whole init bundle: no serviceName, describe fields, empty enums, "
            "unnamed port, capacity providers, ecspresso.yaml",
            bundle(
                {
                    **init_service(
                        launchType="",
                        capacityProviderStrategy=[
                            {"capacityProvider": "FARGATE", "weight": 1, "base": 0}
                        ],
                    ),
                    **DESCRIBE_SERVICE_FIELDS,
                },
                {
                    **init_task(
                        containerDefinitions__0__portMappings__0__name=DROP,
                        ipcMode="",
                        pidMode="",
                    ),
                    **DESCRIBE_TASK_FIELDS,
                },
                conf="",
                extra={"ecspresso.yaml": config()},
            ),
        ),
        Case(
            "service-name-given-too",
            "serviceName kept from describe output",
            bundle(init_service(serviceName="myservice")),
        ),
        Case(
            "service-name-differs",
            "config's service wins, as ecspresso sets it",
            bundle(init_service(serviceName="old-name")),
        ),
        # --- empty enums and nulls the Go SDK leaves out of requests
        Case(
            "empty-launch-type",
            'launchType "" beside a strategy (init of a CP service)',
            bundle(
                init_service(
                    launchType="",
                    capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1}],
                )
            ),
        ),
        Case(
            "empty-ipc-pid",
            'ipcMode/pidMode "" (describe output)',
            bundle(task=init_task(ipcMode="", pidMode="")),
        ),
        Case("null-ipc", "ipcMode null (a hand-edited file)", bundle(task=init_task(ipcMode=None))),
        Case(
            "empty-app-protocol",
            'portMappings appProtocol ""',
            bundle(task=init_task(containerDefinitions__0__portMappings__0__appProtocol="")),
        ),
        Case(
            "empty-version-consistency",
            'versionConsistency "" (describe output, 2024+)',
            bundle(task=init_task(containerDefinitions__0__versionConsistency="")),
        ),
        # --- ports
        Case(
            "unnamed-port",
            "a port mapping with no name (older task definitions)",
            bundle(task=unnamed),
        ),
        Case(
            "unnamed-port-no-protocol",
            "containerPort only",
            bundle(task=init_task(containerDefinitions__0__portMappings=[{"containerPort": 80}])),
        ),
        Case(
            "two-unnamed-ports",
            "two ports, neither named: which one Lattice serves is unknown",
            bundle(
                task=init_task(
                    containerDefinitions__0__portMappings=[
                        {"containerPort": 80},
                        {"containerPort": 9090},
                    ]
                )
            ),
            expect=REFUSED,
            words=[TASK, "portMappings", "name"],
        ),
        Case(
            "two-ports-one-chosen",
            "two unnamed ports; the Lattice block names the port",
            bundle(
                init_service(vpcLatticeConfiguration={"enabled": True, "portName": "web"}),
                init_task(
                    containerDefinitions__0__portMappings=[
                        {"containerPort": 80, "name": "web"},
                        {"containerPort": 9090},
                    ]
                ),
            ),
        ),
        # --- capacity providers
        Case(
            "capacity-fargate",
            "capacityProviderStrategy FARGATE, no launchType",
            bundle(
                init_service(
                    launchType=DROP,
                    capacityProviderStrategy=[
                        {"capacityProvider": "FARGATE", "weight": 1, "base": 1}
                    ],
                )
            ),
        ),
        Case(
            "capacity-spot-mix",
            "FARGATE base 1 + FARGATE_SPOT weight 3",
            bundle(
                init_service(
                    launchType=DROP,
                    capacityProviderStrategy=[
                        {"capacityProvider": "FARGATE", "weight": 1, "base": 1},
                        {"capacityProvider": "FARGATE_SPOT", "weight": 3},
                    ],
                )
            ),
        ),
        Case(
            "no-launch-type",
            "neither launchType nor strategy: the cluster's default",
            bundle(init_service(launchType=DROP)),
        ),
        Case(
            "launch-type-and-strategy",
            "both given: ECS refuses CreateService",
            bundle(
                init_service(
                    capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1}]
                )
            ),
            expect=REFUSED,
            words=[SVC, "launchType", "capacityProviderStrategy"],
        ),
        Case(
            "unknown-capacity-provider",
            "an EC2 provider the cluster does not have",
            bundle(
                init_service(
                    launchType=DROP,
                    capacityProviderStrategy=[{"capacityProvider": "my-ec2-provider", "weight": 1}],
                )
            ),
            expect=ACCOUNT_REFUSED,
            words=[SVC, "capacityProvider", "my-ec2-provider", "put-cluster-capacity-providers"],
        ),
        # --- config forms
        Case("config-yaml", "ecspresso.yaml", bundle(conf="", extra={"ecspresso.yaml": config()})),
        Case(
            "config-json",
            "ecspresso.json (--config)",
            bundle(
                conf="",
                extra={
                    "ecspresso.json": json.dumps(
                        {
                            "region": "ap-northeast-1",
                            "cluster": "my-cluster",
                            "service": "myservice",
                            "service_definition": SVC,
                            "task_definition": TASK,
                            "timeout": "10m",
                        }
                    )
                },
            ),
            args=["--config", "ecspresso.json"],
        ),
        Case(
            "config-jsonnet",
            "ecspresso.jsonnet and Jsonnet definitions (init --jsonnet)",
            bundle(
                conf="",
                extra={
                    "ecspresso.jsonnet": JSONNET_CONFIG,
                    "ecs-service-def.jsonnet": json.dumps(init_service(), indent=2),
                    "ecs-task-def.jsonnet": "local env = std.native('env');\n"
                    + json.dumps(init_task(), indent=2).replace(
                        '"nginx:1.27"', "'nginx:' + env('TAG', '1.27')"
                    ),
                },
            ),
            args=["--config", "ecspresso.jsonnet"],
        ),
        Case(
            "config-other-name",
            "config/prod.yml named with --config",
            bundle(conf="", extra={"prod.yml": config()}),
            args=["--config", "prod.yml"],
        ),
        Case(
            "no-config",
            "a directory with definitions and no config",
            bundle(conf=""),
            expect=REFUSED,
            words=["ecspresso.yml", "--config"],
        ),
        Case("config-init-timeout", "timeout 10m0s as Go prints it", bundle(conf=config())),
        Case(
            "config-zero-indented-plugins",
            "plugins list at column 0 (goccy/go-yaml)",
            bundle(
                init_service(**subnets_from("{{ ssm `/myapp/subnet` }}", SUBNETS[1])),
                conf=config() + "plugins:\n- name: ssm\n",
            ),
            setup=lambda s: s.client("ssm").put_parameter(
                Name="/myapp/subnet", Value=SUBNETS[0], Type="String"
            ),
        ),
        Case(
            "config-not-honoured-keys",
            "required_version and filter_command: warned",
            bundle(conf=config(required_version='">= 2.0.0"', filter_command="peco")),
            words=["required_version"],
        ),
        Case(
            "config-unquoted-template",
            "cluster: {{ must_env `CLUSTER` }} unquoted in YAML",
            bundle(conf=config(cluster="{{ must_env `CLUSTER` }}")),
            env={"CLUSTER": "my-cluster"},
        ),
        *plugin_cases(),
        # --- definitions quirks
        Case(
            "memory-gb",
            'memory "2GB" and cpu "1 vCPU"',
            bundle(task=init_task(cpu="1 vCPU", memory="2GB")),
        ),
        Case(
            "task-role-short-name",
            "taskRoleArn by role name",
            bundle(task=init_task(taskRoleArn="ecsTaskExecutionRole")),
        ),
        Case(
            "code-deploy",
            "deploymentController CODE_DEPLOY (a blue/green service)",
            bundle(init_service(deploymentController={"type": "CODE_DEPLOY"})),
            expect=REFUSED,
            words=[SVC, "deploymentController", "CODE_DEPLOY"],
        ),
        Case(
            "external-controller",
            "deploymentController EXTERNAL",
            bundle(init_service(deploymentController={"type": "EXTERNAL"})),
            expect=REFUSED,
            words=[SVC, "deploymentController", "EXTERNAL"],
        ),
        Case(
            "role-with-awsvpc",
            "a service role beside awsvpc (old ELB services)",
            bundle(init_service(role="ecsServiceRole")),
            expect=REFUSED,
            words=[SVC, "role", "awsvpc"],
        ),
        Case(
            "bridge-network",
            "an EC2 service in bridge mode",
            bundle(task=init_task(networkMode="bridge", requiresCompatibilities=["EC2"])),
            expect=REFUSED,
            words=[TASK, "networkMode", "awsvpc"],
        ),
        # --- names
        Case(
            "camel-and-underscore",
            "ECS service MyOrderService_v2",
            bundle(conf=camel),
            words=["myorderservice-v2"],
        ),
        Case(
            "long-service-name",
            "a 49-character service name",
            bundle(conf=config(service=long_name)),
        ),
        Case(
            "explicit-lattice-name",
            "CamelCase ECS service, the Lattice service named",
            bundle(
                init_service(
                    vpcLatticeConfiguration={
                        "enabled": True,
                        "service": "orders",
                        "targetGroup": "orders-tg",
                    }
                ),
                conf=camel,
            ),
        ),
    ]
    return cases


CASES = _cases()
