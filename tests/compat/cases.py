"""The compatibility corpus: one entry per shape real ecspresso bundles take (see corpus.py)."""

from __future__ import annotations

import json
from typing import Any

from .corpus import (
    ACCOUNT_REFUSED,
    CONF,
    DESCRIBE_SERVICE_FIELDS,
    DESCRIBE_TASK_FIELDS,
    DROP,
    EXECUTION_ROLE,
    GROUPS,
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

VPC = "vpc-12345678"
STATE_BUCKET, STATE_KEY = "my-tfstate", "app/terraform.tfstate"
TFSTATE = {
    "version": 4,
    "terraform_version": "1.9.8",
    "serial": 12,
    "lineage": "5b1d6a2e-2c1f-4f0e-9d7a-0a1b2c3d4e5f",
    "outputs": {"cluster_name": {"value": "my-cluster", "type": "string"}},
    "resources": [
        {
            "mode": "managed",
            "type": "aws_subnet",
            "name": "private",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [
                {"index_key": "a", "attributes": {"id": SUBNETS[0], "vpc_id": VPC}},
                {"index_key": "c", "attributes": {"id": SUBNETS[1], "vpc_id": VPC}},
            ],
        },
        {
            "mode": "managed",
            "type": "aws_security_group",
            "name": "app",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"attributes": {"id": GROUPS[0], "tags": {"Name": "app"}}}],
        },
        {
            "module": "module.iam",
            "mode": "managed",
            "type": "aws_iam_role",
            "name": "execution",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"attributes": {"arn": EXECUTION_ROLE, "name": "ecsTaskExecutionRole"}}],
        },
    ],
}
JSONNET_CONFIG = """{
  region: 'ap-northeast-1',
  cluster: 'my-cluster',
  service: 'myservice',
  service_definition: 'ecs-service-def.jsonnet',
  task_definition: 'ecs-task-def.jsonnet',
  timeout: '10m0s',
}
"""
TFSTATE_PLUGIN = f"plugins:\n- name: tfstate\n  config:\n    url: s3://{STATE_BUCKET}/{STATE_KEY}\n"


def state_in_s3(session: Any) -> None:
    s3 = session.client("s3")
    s3.create_bucket(
        Bucket=STATE_BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )
    s3.put_object(Bucket=STATE_BUCKET, Key=STATE_KEY, Body=json.dumps(TFSTATE).encode())


def a_secret(session: Any) -> None:
    session.client("secretsmanager").create_secret(Name="myapp/db-password", SecretString="s3cr3t")


def a_parameter(session: Any) -> None:
    session.client("ssm").put_parameter(Name="/myapp/image", Value="nginx:1.27", Type="String")


def a_stack(session: Any) -> None:
    template = {
        "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {
            "SubnetA": {"Value": SUBNETS[0]},
            "SubnetC": {"Value": SUBNETS[1]},
            "AppSecurityGroup": {"Value": GROUPS[0], "Export": {"Name": "network-app-sg"}},
        },
    }
    session.client("cloudformation").create_stack(
        StackName="network", TemplateBody=json.dumps(template)
    )


def subnets_from(*actions: str) -> dict[str, Any]:
    return {"networkConfiguration__awsvpcConfiguration__subnets": list(actions)}


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
        # --- template functions and plugins
        Case(
            "tfstate-s3",
            "tfstate plugin, state in S3, backtick addresses",
            bundle(
                init_service(
                    **subnets_from(
                        "{{ tfstate `aws_subnet.private['a'].id` }}",
                        "{{ tfstate `aws_subnet.private['c'].id` }}",
                    ),
                    networkConfiguration__awsvpcConfiguration__securityGroups=[
                        "{{ tfstate `aws_security_group.app.id` }}"
                    ],
                ),
                init_task(executionRoleArn="{{ tfstate `module.iam.aws_iam_role.execution.arn` }}"),
                conf=config() + TFSTATE_PLUGIN,
            ),
            setup=state_in_s3,
        ),
        Case(
            "tfstatef",
            "tfstatef with a format argument",
            bundle(
                init_service(
                    **subnets_from("{{ tfstatef `aws_subnet.private['%s'].id` `a` }}", SUBNETS[1])
                ),
                conf=config() + TFSTATE_PLUGIN,
            ),
            setup=state_in_s3,
        ),
        Case(
            "tfstate-local",
            "tfstate with a state file inside the bundle",
            bundle(
                init_service(**subnets_from("{{ tfstate `aws_subnet.private['a'].id` }}")),
                conf=config() + "plugins:\n- name: tfstate\n  config:\n"
                "    path: terraform.tfstate\n",
                extra={"terraform.tfstate": json.dumps(TFSTATE)},
            ),
        ),
        Case(
            "tfstate-func-prefix",
            "two states, func_prefix",
            bundle(
                init_service(**subnets_from("{{ net_tfstate `aws_subnet.private['a'].id` }}")),
                conf=config() + TFSTATE_PLUGIN + "  func_prefix: net_\n",
            ),
            setup=state_in_s3,
        ),
        Case(
            "tfstate-output",
            "tfstate output.NAME in a container's environment",
            bundle(
                task=init_task(
                    containerDefinitions__0__environment=[
                        {"name": "CLUSTER", "value": "{{ tfstate `output.cluster_name` }}"}
                    ]
                ),
                conf=config() + TFSTATE_PLUGIN,
            ),
            setup=state_in_s3,
        ),
        Case(
            "tfstate-in-config",
            "tfstate in ecspresso.yml itself: ecspresso renders its config with env only",
            bundle(conf=config(cluster="'{{ tfstate `output.cluster_name` }}'") + TFSTATE_PLUGIN),
            expect=REFUSED,
            words=[CONF, "tfstate"],
        ),
        Case(
            "tfstate-no-plugin",
            "tfstate used with no tfstate plugin configured",
            bundle(init_service(**subnets_from("{{ tfstate `aws_subnet.private['a'].id` }}"))),
            expect=REFUSED,
            words=[SVC, "tfstate", "plugins"],
        ),
        Case(
            "tfstate-outside-bundle",
            "a local state path leaving the bundle",
            bundle(
                conf=config() + "plugins:\n- name: tfstate\n  config:\n"
                "    path: ../terraform.tfstate\n"
            ),
            expect=REFUSED,
            words=[CONF, "tfstate", "terraform.tfstate"],
        ),
        Case(
            "secretsmanager-arn",
            "secretsmanager_arn in a task's secrets",
            bundle(
                task=init_task(
                    containerDefinitions__0__secrets=[
                        {
                            "name": "DB_PASSWORD",
                            "valueFrom": "{{ secretsmanager_arn `myapp/db-password` }}",
                        }
                    ]
                ),
                conf=config() + "plugins:\n- name: secretsmanager\n",
            ),
            setup=a_secret,
        ),
        Case(
            "cfn-output-export",
            "cfn_output and cfn_export (cloudformation plugin)",
            bundle(
                init_service(
                    **subnets_from(
                        "{{ cfn_output `network` `SubnetA` }}",
                        "{{ cfn_output `network` `SubnetC` }}",
                    ),
                    networkConfiguration__awsvpcConfiguration__securityGroups=[
                        "{{ cfn_export `network-app-sg` }}"
                    ],
                ),
                conf=config() + "plugins:\n- name: cloudformation\n",
            ),
            setup=a_stack,
        ),
        Case(
            "ssm-image",
            "ssm plugin for the image",
            bundle(
                task=init_task(containerDefinitions__0__image="{{ ssm `/myapp/image` }}"),
                conf=config() + "plugins:\n  - name: ssm\n",
            ),
            setup=a_parameter,
        ),
        Case(
            "env-default",
            "env with a default and must_env",
            bundle(
                task=init_task(
                    containerDefinitions__0__image="nginx:{{ env `TAG` `1.27` }}",
                    family="{{ must_env `FAMILY` }}",
                )
            ),
            env={"FAMILY": "myservice"},
        ),
        Case(
            "if-block",
            "{{ if }} … {{ end }} around a value",
            bundle(
                task=init_task(
                    containerDefinitions__0__image="nginx:{{ if env `TAG` }}{{ env `TAG` }}"
                    "{{ else }}1.27{{ end }}"
                )
            ),
        ),
        Case(
            "unknown-plugin",
            "a plugin lattice-deploy does not have",
            bundle(conf=config() + "plugins:\n- name: vault\n"),
            expect=REFUSED,
            words=[CONF, "vault"],
        ),
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
