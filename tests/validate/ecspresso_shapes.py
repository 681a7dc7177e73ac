"""Definitions as ecspresso users write them (``ecspresso init``, describe output, by hand), each
with what ``validate`` must do: ``valid`` with the notes it must print, or ``refuse`` with the
words of the problem. A case may edit several files of the example and check the plan
``bundle.normalize`` makes (``plan``: a function of the plan that must be true).

Why here: ecspresso (kayac/ecspresso, ecspresso.go ``LoadServiceDefinition`` /
``LoadTaskDefinition`` / ``unmarshalJSON``, json.go ``walkMap``) deploys each of these; the
deployer must deploy them too, or refuse them for a reason ECS or VPC Lattice would have.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, NamedTuple

from .corpus import CONF, CONNECT, LATTICE, PORT, SVC, TASK, j, removing, setting, text

Edit = Callable[[str], str]


class Shape(NamedTuple):
    name: str
    edits: dict[str, Edit]
    outcome: str  # "valid" or "refuse"
    words: list[str]  # in the notes (valid) or the problems (refuse)
    plan: Callable[[dict[str, Any]], bool] | None = None


def chain(*edits: Edit) -> Edit:
    def edit(raw: str) -> str:
        for one in edits:
            raw = one(raw)
        return raw

    return edit


NO_CONFIG_SERVICE = text(lambda t: t.replace("service: myservice\n", ""))
LONG = "My_Very_Long_CamelCase_Service_Name_For_Lattice"
TASK_DESCRIBE = {
    "taskDefinitionArn": "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/myservice:7",
    "revision": 7,
    "status": "ACTIVE",
    "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
    "compatibilities": ["EC2", "FARGATE"],
    "registeredAt": "2024-11-19T02:24:47.736000+00:00",
    "registeredBy": "arn:aws:iam::123456789012:user/me",
}
SERVICE_DESCRIBE = {
    "serviceArn": "arn:aws:ecs:ap-northeast-1:123456789012:service/my-cluster/myservice",
    "clusterArn": "arn:aws:ecs:ap-northeast-1:123456789012:cluster/my-cluster",
    "status": "ACTIVE",
    "runningCount": 3,
    "pendingCount": 0,
    "platformFamily": "Linux",
    "resourceManagementType": "CUSTOMER",
    "deployments": [],
    "events": [],
    "createdAt": "2024-11-19T02:24:47.736000+00:00",
    "createdBy": "arn:aws:iam::123456789012:role/admin",
    "roleArn": "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/x",
}


def unnamed_port(data: dict[str, Any]) -> None:
    del data["containerDefinitions"][0]["portMappings"][0]["name"]


def mappings(*ports: int) -> Edit:
    return setting(
        "containerDefinitions.0.portMappings",
        [{"containerPort": port, "protocol": "tcp"} for port in ports],
    )


def lattice(plan: dict[str, Any]) -> dict[str, Any]:
    return dict(plan["lattice"])


def port_of(plan: dict[str, Any]) -> Any:
    return plan["taskDefinition"]["containerDefinitions"][0]["portMappings"][0].get("name")


SHAPES: list[Shape] = [
    # 1. serviceName: ecspresso's LoadServiceDefinition sets it from service: of its config
    Shape(
        "service-name-from-config",
        {SVC: removing("serviceName")},
        "valid",
        [],
        lambda p: p["serviceName"] == "myservice" == p["serviceDefinition"]["serviceName"],
    ),
    Shape(
        "service-name-nowhere",
        {SVC: removing("serviceName"), CONF: NO_CONFIG_SERVICE},
        "refuse",
        [f"{SVC}: serviceName is missing, and {CONF} names no service", f"service: in {CONF}"],
    ),
    Shape(
        "service-name-empty-nowhere",
        {SVC: setting("serviceName", ""), CONF: NO_CONFIG_SERVICE},
        "refuse",
        [f"{SVC}: serviceName: is empty"],
    ),
    Shape(
        "service-name-config-wins",
        {SVC: setting("serviceName", "other")},
        "valid",
        [f"{SVC}: serviceName: 'other' is not {CONF}'s service 'myservice'"],
        lambda p: p["serviceName"] == "myservice",
    ),
    # 2. describe output: warned and dropped; a misspelt real key stays refused
    Shape(
        "task-describe-fields",
        {TASK: j(lambda d: d.update(TASK_DESCRIBE))},
        "valid",
        [f"{TASK}: {', '.join(TASK_DESCRIBE)}: output of describe", "ignored, as ecspresso does"],
        lambda p: not set(TASK_DESCRIBE) & set(p["taskDefinition"]),
    ),
    Shape(
        "service-describe-fields",
        {SVC: j(lambda d: d.update(SERVICE_DESCRIBE))},
        "valid",
        [f"{SVC}: {', '.join(SERVICE_DESCRIBE)}: output of describe", "not CreateService input"],
        lambda p: not set(SERVICE_DESCRIBE) & set(p["serviceDefinition"]),
    ),
    Shape(
        "keys-in-other-letter-case",
        {
            TASK: j(
                lambda d: (
                    d.update(Family=d.pop("family")),
                    d["containerDefinitions"][0].update(
                        Image=d["containerDefinitions"][0].pop("image")
                    ),
                )
            ),
            SVC: j(lambda d: d.update(DesiredCount=d.pop("desiredCount"))),
        },
        "valid",
        [
            f"{TASK}: containerDefinitions.Image → image, Family → family: read as the field",
            f"{SVC}: DesiredCount → desiredCount",
        ],
        lambda p: (
            p["taskDefinition"]["family"] == "myservice"
            and p["serviceDefinition"]["desiredCount"] == 3
        ),
    ),
    Shape(
        "task-misspelt-key-still-refused",
        {TASK: j(lambda d: d.update(containerDefinitons=d.pop("containerDefinitions")))},
        "refuse",
        ["containerDefinitons: unknown field; did you mean 'containerDefinitions'?"],
    ),
    # 3. empty enums and nulls, at any depth: left out, as the Go SDK leaves them
    Shape(
        "empty-enums-and-nulls",
        {
            SVC: j(
                lambda d: d.update(propagateTags="", schedulingStrategy="", platformVersion=None)
            ),
            TASK: chain(
                j(lambda d: d.update(ipcMode="", pidMode="", placementConstraints=None)),
                setting(f"{PORT}.appProtocol", ""),
                setting("containerDefinitions.0.versionConsistency", ""),
                setting("containerDefinitions.0.linuxParameters", {"initProcessEnabled": None}),
            ),
        },
        "valid",
        [],
        lambda p: (
            "ipcMode" not in p["taskDefinition"]
            and "propagateTags" not in p["serviceDefinition"]
            and "appProtocol"
            not in p["taskDefinition"]["containerDefinitions"][0]["portMappings"][0]
            and p["taskDefinition"]["containerDefinitions"][0]["linuxParameters"] == {}
        ),
    ),
    Shape(
        "ipc-mode-null",
        {TASK: setting("ipcMode", None)},
        "valid",
        [],
        lambda p: "ipcMode" not in p["taskDefinition"],
    ),
    Shape(
        "empty-string-not-an-enum-still-checked",
        {TASK: setting("family", "")},
        "refuse",
        [f"{TASK}: family: is empty"],
    ),
    # 4. the describe-task-definition wrapper; describe-services' is refused (ecspresso does not
    #    unwrap it)
    Shape(
        "task-definition-wrapper",
        {TASK: text(lambda t: json.dumps({"taskDefinition": json.loads(t)}))},
        "valid",
        [],
        lambda p: p["taskDefinition"]["family"] == "myservice",
    ),
    Shape(
        "task-definition-wrapper-with-tags",
        {
            TASK: text(
                lambda t: json.dumps(
                    {"taskDefinition": json.loads(t), "tags": [{"key": "a", "value": "b"}]}
                )
            )
        },
        "valid",
        [f"{TASK}: tags: beside 'taskDefinition'", "only the definition inside is read"],
    ),
    Shape(
        "services-wrapper",
        {SVC: text(lambda t: json.dumps({"services": [json.loads(t)], "failures": []}))},
        "refuse",
        [f"{SVC}: services: this is describe output", "jq '.services[0]'"],
    ),
    # 5. unnamed port mappings: named when one can be meant, refused when several can
    Shape(
        "unnamed-port-named-as-service-connect-asks",
        {TASK: j(unnamed_port)},
        "valid",
        ["named port 'http' (containerPort 80)"],
        lambda p: lattice(p)["portName"] == "http" == port_of(p),
    ),
    Shape(
        "unnamed-port-named-like-the-console",
        {TASK: j(unnamed_port), SVC: removing(CONNECT)},
        "valid",
        ["named port 'web-80-tcp'"],
        lambda p: lattice(p)["portName"] == "web-80-tcp" == port_of(p),
    ),
    Shape(
        "unnamed-port-lattice-port-name",
        {
            TASK: j(unnamed_port),
            SVC: chain(removing(CONNECT), setting(f"{LATTICE}.portName", "app")),
        },
        "valid",
        ["named port 'app'"],
        lambda p: lattice(p)["portName"] == "app" == port_of(p),
    ),
    Shape(
        "unnamed-ports-several",
        {TASK: mappings(80, 8080), SVC: removing(CONNECT)},
        "refuse",
        ["2 unnamed port mappings (web:80, web:8080)", f"{LATTICE}.portName"],
    ),
    Shape(
        "no-port-mapping",
        {TASK: removing("containerDefinitions.0.portMappings"), SVC: removing(CONNECT)},
        "refuse",
        [f"{TASK}: containerDefinitions[].portMappings: no port mapping", '"containerPort": 80'],
    ),
    Shape(
        "port-name-upper-case",
        {TASK: setting(f"{PORT}.name", "HTTP"), SVC: removing(CONNECT)},
        "refuse",
        [f'{TASK}: containerDefinitions[0].portMappings[0].name: "HTTP" is not a port name'],
    ),
    Shape(
        "no-app-protocol",
        {TASK: removing(f"{PORT}.appProtocol")},
        "valid",
        [],
        lambda p: lattice(p)["targetGroup"]["protocolVersion"] == "HTTP1",
    ),
    # 6. cpu/memory in vCPU and GB, a task role by short name
    Shape(
        "memory-gb",
        {TASK: chain(setting("memory", "1GB"), setting("cpu", "512"))},
        "valid",
        [],
        lambda p: p["taskDefinition"]["memory"] == "1024",
    ),
    Shape(
        "cpu-vcpu-memory-spaced-gb",
        {TASK: chain(setting("cpu", "1 vCPU"), setting("memory", "2 GB"))},
        "valid",
        [],
        lambda p: (p["taskDefinition"]["cpu"], p["taskDefinition"]["memory"]) == ("1024", "2048"),
    ),
    Shape(
        "fargate-size-in-gb-checked",
        {TASK: setting("memory", "4 GB")},
        "refuse",
        [f"{TASK}: memory: 4096 MiB is not a FARGATE size for cpu 256"],
    ),
    Shape(
        "task-role-short-name",
        {TASK: setting("taskRoleArn", "ecsTaskRole")},
        "valid",
        [],
        lambda p: (
            p["taskDefinition"]["taskRoleArn"] == "arn:aws:iam::123456789012:role/ecsTaskRole"
        ),
    ),
    # 7. what this deployer cannot deploy, said by validate
    Shape(
        "code-deploy-controller",
        {SVC: setting("deploymentController", {"type": "CODE_DEPLOY"})},
        "refuse",
        ["deploymentController.type: CODE_DEPLOY", "UpdateService", "a CodeDeploy deployment"],
    ),
    Shape(
        "external-controller",
        {SVC: setting("deploymentController", {"type": "EXTERNAL"})},
        "refuse",
        ["deploymentController.type: EXTERNAL", "a new task set"],
    ),
    Shape(
        "role-with-awsvpc",
        {SVC: setting("role", "ecsServiceRole")},
        "refuse",
        [f"{SVC}: role: a service whose task definition uses the awsvpc network mode", "remove"],
    ),
    Shape(
        "bridge-on-ec2",
        {
            TASK: chain(
                setting("networkMode", "bridge"), setting("requiresCompatibilities", ["EC2"])
            ),
            SVC: setting("launchType", "EC2"),
        },
        "refuse",
        [f"{TASK}: networkMode: 'bridge'", '"awsvpc"'],
    ),
    Shape(
        "host-on-ec2",
        {
            TASK: chain(
                setting("networkMode", "host"), setting("requiresCompatibilities", ["EC2"])
            ),
            SVC: setting("launchType", "EC2"),
        },
        "refuse",
        [f"{TASK}: networkMode: 'host'"],
    ),
    Shape(
        "network-mode-default-on-ec2",
        {
            TASK: chain(removing("networkMode"), setting("requiresCompatibilities", ["EC2"])),
            SVC: setting("launchType", "EC2"),
        },
        "refuse",
        [f"{TASK}: networkMode: 'bridge' (the default)"],
    ),
    Shape(
        "launch-type-with-strategy",
        {SVC: setting("capacityProviderStrategy", [{"capacityProvider": "FARGATE", "weight": 1}])},
        "refuse",
        [f"{SVC}: launchType: given with capacityProviderStrategy"],
    ),
    Shape(
        "no-network-configuration",
        {SVC: removing("networkConfiguration")},
        "refuse",
        [f"{SVC}: networkConfiguration.awsvpcConfiguration.subnets: none given"],
    ),
    # 8. Lattice names derived from any ECS service name; a name the bundle gives wins
    Shape(
        "long-camel-case-service-name",
        {CONF: text(lambda t: t.replace("service: myservice", f"service: {LONG}"))},
        "valid",
        [f"serviceName {LONG!r} is not a name VPC Lattice takes", "service 'dev-my-very-long-"],
        lambda p: (
            len(lattice(p)["service"]["name"]) == 40
            and lattice(p)["targetGroup"]["name"]
            == "dev-my-very-long-camelcase-service-name-for-lattice-targetgroup"
        ),
    ),
    Shape(
        "explicit-names-win",
        {
            CONF: text(lambda t: t.replace("service: myservice", f"service: {LONG}")),
            SVC: chain(
                setting(f"{LATTICE}.service", "my-long-service"),
                setting(f"{LATTICE}.targetGroup", "my-long-service-tg"),
            ),
        },
        "valid",
        ["its Lattice names are derived: listener 'dev-my-very-long-"],
        lambda p: lattice(p)["service"]["name"] == "my-long-service",
    ),
    Shape(
        "explicit-name-still-checked",
        {SVC: setting(f"{LATTICE}.service", "My_Service")},
        "refuse",
        [f"{LATTICE}.service: 'My_Service' is not a name VPC Lattice accepts"],
    ),
    # 9. offline validate: a value only the account knows is not checked for shape
    Shape(
        "offline-ssm-in-arns",
        {
            TASK: chain(
                setting("executionRoleArn", "{{ ssm `/app/execution-role-arn` }}"),
                setting("taskRoleArn", "arn:aws:iam::{{ ssm `/app/account` }}:role/app"),
                setting("containerDefinitions.0.image", "{{ ssm `/app/image` }}"),
            ),
            SVC: chain(
                setting(
                    f"{LATTICE}.targetGroupArn",
                    "arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/{{ ssm `/tg` }}",
                ),
                setting(
                    "networkConfiguration.awsvpcConfiguration.assignPublicIp",
                    "{{ ssm `/net/public-ip` }}",
                ),
            ),
        },
        "valid",
        [],
    ),
]
