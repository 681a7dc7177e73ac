"""Bad bundles, one defect each: (name, file, edit, words the message must contain).

Each edit takes the file's text and returns the new text. The defects cover syntax, unknown and
misspelt keys, types, required fields, the two Lattice shapes, port names, Fargate rules, ARNs
and regions, timeouts and the names VPC Lattice accepts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

SVC, TASK, CONF = "ecs-service-def.json", "ecs-task-def.json", "ecspresso.yml"
CONNECT = "serviceConnectConfiguration"
TG = "arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/tg-0123456789abcdef0"


def j(change: Callable[[dict[str, Any]], None]) -> Callable[[Any], str]:
    def edit(raw: str) -> str:
        data = json.loads(raw)
        change(data)
        return json.dumps(data, indent=2)

    return edit


def setting(path: str, value: Any) -> Callable[[Any], str]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return j(change)


def removing(path: str) -> Callable[[Any], str]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        del node[last]

    return j(change)


def text(change: Callable[[str], str]) -> Callable[[Any], str]:
    return change


LATTICE = "vpcLatticeConfiguration"
CORPUS: list[tuple[str, str, Callable[[Any], str], list[str]]] = [
    ("service-truncated", SVC, text(lambda t: t[: len(t) // 2]), [SVC, "invalid JSON"]),
    ("task-truncated", TASK, text(lambda t: t[:40]), [TASK, "invalid JSON"]),
    (
        "service-trailing-comma",
        SVC,
        text(lambda t: t.replace('"desiredCount": 3,', '"desiredCount": 3,,')),
        [SVC, "invalid JSON"],
    ),
    ("service-not-object", SVC, text(lambda t: "[]"), [SVC, "JSON object"]),
    ("config-bad-yaml", CONF, text(lambda t: t + "oops\n"), [CONF, ":7:", "key: value"]),
    ("config-tab", CONF, text(lambda t: t + "x:\n\tnested: 1\n"), [CONF, "tabs"]),
    (
        "config-duplicate",
        CONF,
        text(lambda t: t + "cluster: other\n"),
        [CONF, "duplicate key 'cluster'"],
    ),
    (
        "config-misspelt",
        CONF,
        text(lambda t: t.replace("timeout:", "timeuot:")),
        [CONF, "timeuot", "did you mean 'timeout'"],
    ),
    (
        "config-timeout-syntax",
        CONF,
        text(lambda t: t.replace("10m", "ten minutes")),
        ["timeout", "10m, 1h30m or 90s"],
    ),
    (
        "config-timeout-unit",
        CONF,
        text(lambda t: t.replace("10m", "10d")),
        ["timeout", "not a duration"],
    ),
    (
        "config-missing-file",
        CONF,
        text(lambda t: t.replace("ecs-task-def.json", "task.json")),
        ["task.json", "missing"],
    ),
    (
        "service-misspelt-key",
        SVC,
        setting("desiredCont", 3),
        ["desiredCont", "did you mean 'desiredCount'"],
    ),
    ("service-desired-string", SVC, setting("desiredCount", "3"), ["desiredCount", "whole number"]),
    (
        "service-launch-type",
        SVC,
        setting("launchType", "FARGATES"),
        ["launchType", "did you mean 'FARGATE'"],
    ),
    (
        "service-subnets-string",
        SVC,
        setting("networkConfiguration.awsvpcConfiguration.subnets", "subnet-12345678"),
        ["subnets", "expected a list"],
    ),
    (
        "service-assign-ip",
        SVC,
        setting("networkConfiguration.awsvpcConfiguration.assignPublicIp", "NO"),
        ["assignPublicIp", "DISABLED"],
    ),
    (
        "service-network-misspelt",
        SVC,
        setting("networkConfiguration.awsvpcConfiguraton", {}),
        ["awsvpcConfiguraton", "did you mean"],
    ),
    (
        "service-connect-type",
        SVC,
        setting("serviceConnectConfiguration.enabled", "yes"),
        ["serviceConnectConfiguration.enabled", "true or false"],
    ),
    # serviceName left out: taken from ecspresso.yml's service (ecspresso_shapes.py)
    (
        "lattice-both-shapes",
        SVC,
        setting(
            "vpcLatticeConfigurations",
            [
                {
                    "roleArn": "arn:aws:iam::123456789012:role/r",
                    "targetGroupArn": TG,
                    "portName": "http",
                }
            ],
        ),
        ["both", "keep one"],
    ),
    ("lattice-missing", SVC, removing(LATTICE), [LATTICE, "enabled"]),
    ("lattice-disabled", SVC, setting(f"{LATTICE}.enabled", False), [f"{LATTICE}.enabled", "true"]),
    (
        "lattice-enabled-string",
        SVC,
        setting(f"{LATTICE}.enabled", "true"),
        [f"{LATTICE}.enabled", "expected true or false"],
    ),
    (
        "lattice-misspelt",
        SVC,
        setting(f"{LATTICE}.servceArn", "x"),
        ["servceArn", "did you mean 'serviceArn'"],
    ),
    (
        "lattice-service-arn-syntax",
        SVC,
        setting(f"{LATTICE}.serviceArn", "svc-123"),
        ["serviceArn", "not a valid ARN"],
    ),
    (
        "lattice-tg-arn-syntax",
        SVC,
        setting(
            f"{LATTICE}.targetGroupArn", "arn:aws:vpc-lattice:ap-northeast-1:123456789012:tg/x"
        ),
        ["targetGroupArn", "not a valid ARN"],
    ),
    (
        "lattice-tg-other-region",
        SVC,
        setting(f"{LATTICE}.targetGroupArn", TG.replace("ap-northeast-1", "us-east-1")),
        ["targetGroupArn", "us-east-1", "ap-northeast-1"],
    ),
    (
        "lattice-registration",
        SVC,
        setting(f"{LATTICE}.registration", "manual"),
        ["registration", "ecs or direct"],
    ),
    (
        "lattice-network-name",
        SVC,
        setting(f"{LATTICE}.serviceNetwork", "My_Network"),
        ["serviceNetwork", "not a name VPC Lattice accepts"],
    ),
    (
        "connect-port-name",
        SVC,
        setting(f"{CONNECT}.services.0.portName", "web"),
        [f"{CONNECT}.services[0]: portName 'web' names no port mapping", "http"],
    ),
    (
        "connect-alias-port",
        SVC,
        setting(f"{CONNECT}.services.0.clientAliases.0.port", 70000),
        [f"{CONNECT}.services[0].clientAliases[0].port: 70000", "1-65535"],
    ),
    (
        "connect-alias-dns-name",
        SVC,
        setting(f"{CONNECT}.services.0.clientAliases.0.dnsName", "-My_Service"),
        [f"{CONNECT}.services[0].clientAliases[0].dnsName: '-My_Service'", "DNS name"],
    ),
    (
        "connect-discovery-name",
        SVC,
        setting(f"{CONNECT}.services.0.discoveryName", "my.service"),
        [f"{CONNECT}.services[0].discoveryName", "Cloud Map service name"],
    ),
    (
        "connect-disabled-with-services",
        SVC,
        setting(f"{CONNECT}.enabled", False),
        [f"{CONNECT}: enabled is false but services are listed", "remove services"],
    ),
    (
        "lattice-service-name",
        SVC,
        setting(f"{LATTICE}.service", "x" * 41),
        ["service", "3-40 of a-z"],
    ),
    (
        "lattice-target-group-name-or-arn",
        SVC,
        setting(f"{LATTICE}.targetGroup", "arn:aws:vpc-lattice:ap-northeast-1:1:targetgroup/x"),
        ["vpcLatticeConfiguration.targetGroup: 'arn:", "not a valid ARN"],
    ),
    (
        "lattice-port-name",
        SVC,
        setting(f"{LATTICE}.portName", "https"),
        ["portName 'https'", "http"],
    ),
    (
        "native-two-configs",
        SVC,
        j(
            lambda d: (
                d.pop(LATTICE),
                d.update(
                    vpcLatticeConfigurations=[
                        {
                            "roleArn": "arn:aws:iam::123456789012:role/r",
                            "targetGroupArn": TG,
                            "portName": "http",
                        }
                    ]
                    * 2
                ),
            )
        ),
        ["exactly one"],
    ),
    (
        "native-bad-role",
        SVC,
        j(
            lambda d: (
                d.pop(LATTICE),
                d.update(
                    vpcLatticeConfigurations=[
                        {"roleArn": "ecsRole", "targetGroupArn": TG, "portName": "http"}
                    ]
                ),
            )
        ),
        ["roleArn", "not a valid ARN"],
    ),
    (
        "native-no-port-name",
        SVC,
        j(
            lambda d: (
                d.pop(LATTICE),
                d.update(
                    vpcLatticeConfigurations=[
                        {"roleArn": "arn:aws:iam::123456789012:role/r", "targetGroupArn": TG}
                    ]
                ),
            )
        ),
        ["portName", "required"],
    ),
    (
        "task-port-renamed",
        TASK,
        setting("containerDefinitions.0.portMappings.0.name", "web"),
        ["portName 'http'", "web"],
    ),
    (
        "task-port-string",
        TASK,
        setting("containerDefinitions.0.portMappings.0.containerPort", "80"),
        ["containerPort", "whole number"],
    ),
    (
        "task-misspelt-image",
        TASK,
        j(
            lambda d: d["containerDefinitions"][0].update(
                imag=d["containerDefinitions"][0].pop("image")
            )
        ),
        ["imag", "did you mean 'image'"],
    ),
    ("task-no-family", TASK, removing("family"), ["family", "required"]),
    (
        "task-no-containers",
        TASK,
        removing("containerDefinitions"),
        ["containerDefinitions", "required"],
    ),
    ("task-network-mode", TASK, setting("networkMode", "bridge"), ["networkMode", "awsvpc"]),
    (
        "task-fargate-memory",
        TASK,
        setting("memory", "700"),
        ["memory", "cpu 256", "512, 1024, 2048"],
    ),
    ("task-fargate-cpu", TASK, setting("cpu", "300"), ["memory", "cpu 300"]),
    (
        "task-protocol",
        TASK,
        setting("containerDefinitions.0.portMappings.0.protocol", "http"),
        ["protocol", "tcp"],
    ),
    (
        "task-execution-role",
        TASK,
        setting("executionRoleArn", "ecsTaskExecutionRole"),
        ["executionRoleArn", "not a valid ARN"],
    ),
    (
        "task-essential-string",
        TASK,
        setting("containerDefinitions.0.essential", "yes"),
        ["essential", "true or false"],
    ),
    # a long or CamelCase service name: its Lattice names are derived (ecspresso_shapes.py)
    (
        "service-max-failed-tasks-zero",
        SVC,
        setting(f"{LATTICE}.maxFailedTasks", 0),
        [SVC, "maxFailedTasks: 0", "1 or more"],
    ),
    (
        "service-reserved-tag",
        SVC,
        setting("tags", [{"key": "lattice-deploy:deployment-id", "value": "mine"}]),
        [SVC, "tags[0].key", "workflow's own tag", "without 'lattice-deploy:'"],
    ),
]

PORT = "containerDefinitions.0.portMappings.0"
CORPUS += [  # health checks that could never pass (VPC Lattice's health check rules)
    (
        "health-http2-off-by-default",
        TASK,
        setting(f"{PORT}.appProtocol", "http2"),
        ["healthCheck", "off by default for protocol version HTTP2", '"protocolVersion": "HTTP2"'],
    ),
    (
        "health-turned-off",
        SVC,
        setting(f"{LATTICE}.healthCheck", {"enabled": False}),
        ["healthCheck", "is turned off", '"enabled": true'],
    ),
    (
        "health-grpc-in-http1",
        TASK,
        setting(f"{PORT}.appProtocol", "grpc"),
        ["healthCheck", "off by default for protocol version GRPC"],
    ),
    (
        "health-wrong-version",
        SVC,
        setting(f"{LATTICE}.healthCheck", {"enabled": True, "protocolVersion": "HTTP2"}),
        ["protocolVersion HTTP2", "answers HTTP1"],
    ),
    (
        "health-unmapped-port",
        SVC,
        setting(f"{LATTICE}.healthCheck", {"port": 9999}),
        ["healthCheck.port: 9999", "not a containerPort", "80"],
    ),
]

ECR = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/myapp:latest"


def without_role(**container: Any) -> Callable[[Any], str]:
    """No execution role, and a container that needs one."""

    def change(task: dict[str, Any]) -> None:
        del task["executionRoleArn"]
        task["containerDefinitions"][0].update(container)

    return j(change)


CORPUS += [  # what needs the task execution role (a public image with no logs needs none)
    (
        "task-ecr-image-no-execution-role",
        TASK,
        without_role(image=ECR),
        ["executionRoleArn", "containerDefinitions[0].image (an ECR image)", "needs the task"],
    ),
    (
        "task-awslogs-no-execution-role",
        TASK,
        without_role(logConfiguration={"logDriver": "awslogs", "options": {}}),
        ["executionRoleArn", "the awslogs driver"],
    ),
    (
        "task-secrets-no-execution-role",
        TASK,
        without_role(secrets=[{"name": "DB", "valueFrom": "arn:aws:ssm:::parameter/db"}]),
        ["executionRoleArn", "containerDefinitions[0].secrets"],
    ),
]

# Defects only the account can show: refused by the state machine's first state.
ACCOUNT_CORPUS: list[tuple[str, str, Callable[[Any], str], list[str]]] = [
    (
        "role-the-stack-cannot-pass",
        TASK,
        setting("executionRoleArn", "arn:aws:iam::123456789012:role/MyTaskRole"),
        ["executionRoleArn", "MyTaskRole", "named ecs*", "BundleRolePrefix"],
    ),
    (
        "missing-subnet",
        SVC,
        setting("networkConfiguration.awsvpcConfiguration.subnets", ["subnet-00000000"]),
        ["subnets", "subnet-00000000"],
    ),
    (
        "missing-security-group",
        SVC,
        setting("networkConfiguration.awsvpcConfiguration.securityGroups", ["sg-00000000"]),
        ["securityGroups", "sg-00000000"],
    ),
    (
        "missing-cluster",
        CONF,
        text(lambda t: t.replace("cluster: my-cluster", "cluster: nope")),
        ["cluster", "'nope' does not exist"],
    ),
]


def deployment(**config: Any) -> Callable[[Any], str]:
    return setting("deploymentConfiguration", config)


CORPUS += [  # ECS's progressive strategies (DeploymentConfiguration and its parts)
    (
        "strategy-unknown",
        SVC,
        deployment(strategy="SLOW"),
        ["deploymentConfiguration.strategy", "ROLLING"],
    ),
    (
        "blue-green-without-bake-time",
        SVC,
        deployment(strategy="BLUE_GREEN"),
        ["bakeTimeInMinutes: required by BLUE_GREEN"],
    ),
    (
        "linear-step-too-small",
        SVC,
        deployment(strategy="LINEAR", linearConfiguration={"stepPercent": 2.0}),
        ["linearConfiguration.stepPercent: 2.0 is not a multiple of 0.1 from 3 to 100"],
    ),
    (
        "canary-percent-precision",
        SVC,
        deployment(strategy="CANARY", canaryConfiguration={"canaryPercent": 0.05}),
        ["canaryConfiguration.canaryPercent: 0.05"],
    ),
    (
        "canary-block-on-linear",
        SVC,
        deployment(strategy="LINEAR", canaryConfiguration={"canaryPercent": 10.0}),
        ["canaryConfiguration: applies to CANARY only, not LINEAR"],
    ),
    (
        "strategy-with-code-deploy",
        SVC,
        j(
            lambda s: s.update(
                deploymentConfiguration={"strategy": "CANARY"},
                deploymentController={"type": "CODE_DEPLOY"},
            )
        ),
        ["deploymentController.type: CODE_DEPLOY cannot run the CANARY strategy"],
    ),
    (
        "strategy-with-direct-registration",
        SVC,
        j(
            lambda s: (
                s.update(deploymentConfiguration={"strategy": "CANARY"})
                or s["vpcLatticeConfiguration"].update(registration="direct")
            )
        ),
        ["registration: direct registration cannot run the CANARY strategy"],
    ),
    (
        "test-rule-without-strategy",
        SVC,
        setting(f"{LATTICE}.testRule", {"httpMatch": {"method": "GET"}}),
        ["testRule: a test rule serves a progressive strategy only"],
    ),
    (
        "test-rule-shape",
        SVC,
        j(
            lambda s: (
                s.update(deploymentConfiguration={"strategy": "CANARY"})
                or s["vpcLatticeConfiguration"].update(testRule={"httpMatch": {"header": "x"}})
            )
        ),
        ["testRule.httpMatch.header", "unknown"],
    ),
]
