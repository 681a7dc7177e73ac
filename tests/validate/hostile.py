"""Hostile values, one a case: each was seen reaching ECS or VPC Lattice (or deploying as
SUCCEEDED, or ending in a traceback) and must be refused by ``validate`` before any change, with
the file, the field and the fix. A case is (name, file, edit, words the message must contain,
what it must do and why).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from .corpus import CONF, LATTICE, PORT, SVC, TASK, j, removing, setting, text


class Case(NamedTuple):
    name: str
    file: str
    edit: Callable[[Any], str]
    words: list[str]
    must: str


def container(**changes: Any) -> Callable[[Any], str]:
    return j(lambda task: task["containerDefinitions"][0].update(changes))


def config(old: str, new: str) -> Callable[[Any], str]:
    return text(lambda t: t.replace(old, new))


FULL_WIDTH_128 = "\uff11\uff12\uff18"
CYRILLIC_HA = "\u0445"  # looks like x
HOSTILE: list[Case] = [
    Case(
        "desired-count-negative",
        SVC,
        setting("desiredCount", -1),
        [SVC, "desiredCount: -1 is out of range; give 0 to 5000"],
        "refuse: -1 took a healthy service to 0 targets",
    ),
    Case(
        "desired-count-million",
        SVC,
        setting("desiredCount", 1_000_000),
        ["desiredCount: 1000000 is out of range", "tasks-per-service quota"],
        "refuse: 1,000,000 ended ROLLBACK INCOMPLETE",
    ),
    Case(
        "desired-count-2-64",
        SVC,
        setting("desiredCount", 2**64),
        ["desiredCount: 18446744073709551616 is out of range"],
        "refuse: no ECS integer holds 2^64",
    ),
    Case(
        "desired-count-minus-infinity",
        SVC,
        text(lambda t: t.replace('"desiredCount": 3', '"desiredCount": -Infinity')),
        ["-Infinity is not a JSON number"],
        "refuse, not OverflowError",
    ),
    Case(
        "desired-count-1e309",
        SVC,
        text(lambda t: t.replace('"desiredCount": 3', '"desiredCount": 1e309')),
        ["1e309 is too large a number"],
        "refuse: JSON's 1e309 is a float infinity",
    ),
    Case(
        "desired-count-true",
        SVC,
        setting("desiredCount", True),
        ["desiredCount: expected a whole number, got true"],
        "refuse: a bool is not a count",
    ),
    Case(
        "container-port-0",
        TASK,
        setting(f"{PORT}.containerPort", 0),
        [TASK, "portMappings[0].containerPort: 0 is out of range; give 1 to 65535"],
        "refuse: no target group receives on port 0",
    ),
    Case(
        "container-port-70000",
        TASK,
        setting(f"{PORT}.containerPort", 70000),
        ["containerPort: 70000 is out of range"],
        "refuse: not a TCP port",
    ),
    Case(
        "host-port-differs",
        TASK,
        setting(f"{PORT}.hostPort", 8080),
        ["portMappings[0].hostPort: 8080 differs from containerPort 80", "remove hostPort"],
        "refuse: RegisterTaskDefinition would, after the Lattice side was made",
    ),
    Case(
        "container-port-twice",
        TASK,
        j(
            lambda task: task["containerDefinitions"][0]["portMappings"].append(
                {"containerPort": 80, "protocol": "udp"}
            )
        ),
        ["portMappings[1].containerPort: 80 is mapped twice"],
        "refuse: one container port, one protocol",
    ),
    Case(
        "listener-port-99999",
        SVC,
        setting(f"{LATTICE}.listener", {"port": 99999}),
        [f"{LATTICE}.listener.port: 99999 is out of range; give 1 to 65535"],
        "refuse: CreateListener takes 1-65535",
    ),
    Case(
        "listener-port-fraction",
        SVC,
        setting(f"{LATTICE}.listener", {"port": 80.7}),
        ["listener.port: expected a whole number, got 80.7"],
        "refuse, not truncate to 80",
    ),
    Case(
        "listener-port-abc",
        SVC,
        setting(f"{LATTICE}.listener", {"port": "abc"}),
        ['listener.port: expected a whole number, got "abc"'],
        "refuse, not ValueError",
    ),
    Case(
        "listener-protocol-ftp",
        SVC,
        setting(f"{LATTICE}.listener", {"protocol": "FTP"}),
        ['listener.protocol: "FTP" is not one of HTTP, HTTPS, TLS_PASSTHROUGH'],
        "refuse: VPC Lattice has no FTP listener",
    ),
    Case(
        "listener-protocol-tls-passthrough",
        SVC,
        setting(f"{LATTICE}.listener", {"protocol": "TLS_PASSTHROUGH"}),
        ["listener.protocol: TLS_PASSTHROUGH listeners forward to TCP target groups only"],
        "refuse: the deploy's target group is HTTP",
    ),
    Case(
        "listener-unknown-key",
        SVC,
        setting(f"{LATTICE}.listener", {"prot": 80}),
        ["listener.prot: unknown field; did you mean 'port'?"],
        "refuse, not ignore",
    ),
    Case(
        "health-threshold-1000",
        SVC,
        setting(f"{LATTICE}.healthCheck", {"healthyThresholdCount": 1000}),
        ["healthCheck.healthyThresholdCount: 1000 is out of range; give 2 to 10"],
        "refuse: VPC Lattice's range is 2-10",
    ),
    Case(
        "health-interval-below-documented",
        SVC,
        setting(f"{LATTICE}.healthCheck", {"healthCheckIntervalSeconds": 1}),
        ["healthCheckIntervalSeconds: 1 is out of range; give 5 to 300"],
        "refuse: the documented range, stricter than the model's 0-300",
    ),
    Case(
        "health-unknown-key",
        SVC,
        setting(f"{LATTICE}.healthCheck", {"intervalSeconds": 10}),
        ["healthCheck.intervalSeconds: unknown field", "'healthCheckIntervalSeconds'"],
        "refuse, not ignore",
    ),
    Case(
        "health-path-without-slash",
        SVC,
        setting(f"{LATTICE}.healthCheck", {"path": "health"}),
        ['healthCheck.path: "health" has characters AWS does not accept'],
        "refuse: the model's pattern wants /…",
    ),
    Case(
        "health-matcher-words",
        SVC,
        setting(f"{LATTICE}.healthCheck", {"matcher": {"httpCode": "ok"}}),
        ["healthCheck.matcher.httpCode"],
        "refuse: codes are digits, - and ,",
    ),
    Case(
        "access-logs-not-an-arn",
        SVC,
        setting(f"{LATTICE}.accessLogs", "my-log-bucket"),
        ['accessLogs: "my-log-bucket" is not the ARN of an S3 bucket', "arn:aws:s3:::"],
        "refuse: CreateAccessLogSubscription takes an ARN",
    ),
    Case(
        "image-missing",
        TASK,
        j(lambda task: task["containerDefinitions"][0].pop("image")),
        ["containerDefinitions[0].image: required field is missing"],
        "refuse: a container needs an image",
    ),
    Case(
        "image-empty",
        TASK,
        container(image=""),
        ["containerDefinitions[0].image: is empty"],
        "refuse",
    ),
    Case(
        "image-2000-characters",
        TASK,
        container(image="a" * 2000),
        ["image: is 2000 characters long; ECS takes at most 255"],
        "refuse, without echoing 2,000 characters",
    ),
    Case(
        "image-space",
        TASK,
        container(image="nginx latest"),
        ["image: \"nginx latest\" has ' ' (SPACE) at position 6"],
        "refuse",
    ),
    Case(
        "image-newline",
        TASK,
        container(image="nginx:latest\n"),
        ["image:", "U+000A"],
        "refuse: a newline from a template",
    ),
    Case("image-nul", TASK, container(image="nginx\x00"), ["image:", "U+0000"], "refuse"),
    Case(
        "image-look-alike-letter",
        TASK,
        container(image=f"ngin{CYRILLIC_HA}:latest"),
        ["image:", "(CYRILLIC SMALL LETTER HA) at position 5", "retype it"],
        "refuse: a Cyrillic letter that looks Latin",
    ),
    Case(
        "image-bad-digest",
        TASK,
        container(image="nginx@sha256:abc"),
        ['image: the digest "sha256:abc" is not sha256: and 64 hex digits'],
        "refuse",
    ),
    Case(
        "timeout-zero",
        CONF,
        config("timeout: 10m", "timeout: 0s"),
        [CONF, "timeout '0s' is 0 s; give 1 s to 10h"],
        "refuse: every run would time out",
    ),
    Case(
        "timeout-huge",
        CONF,
        config("timeout: 10m", "timeout: 99999999h"),
        ["timeout '99999999h'", "give 1 s to 10h"],
        "refuse: past Step Functions' event-history budget",
    ),
    Case(
        "timeout-many-digits",
        CONF,
        config("timeout: 10m", "timeout: " + "9" * 5000 + "s"),
        ["timeout", "is not a duration"],
        "refuse, not ValueError (Python's int digit limit)",
    ),
    Case(
        "tags-60-of-1000-characters",
        SVC,
        setting("tags", [{"key": f"k{i:02}" + "x" * 997, "value": "v" * 1000} for i in range(60)]),
        ["ecs-service-def.json", "larger than the 64 KiB a bundle file may be"],
        "refuse: 120 KB of tags is past a bundle file's size",
    ),
    Case(
        "tags-60-too-long",
        SVC,
        setting("tags", [{"key": f"k{i:02}" + "x" * 197, "value": "v" * 300} for i in range(60)]),
        [
            "tags: has 60 item(s); AWS takes 0 to 50",
            "tags[0].key: is 200 characters long; AWS takes at most 128",
            "tags[0].value: is 300 characters long; AWS takes at most 256",
        ],
        "refuse: ECS's tag limits (50 tags, key 128, value 256)",
    ),
    Case(
        "tag-key-characters",
        TASK,
        setting("tags", [{"key": "team<a>", "value": "x"}]),
        ['tags[0].key: "team<a>" has characters AWS does not accept'],
        "refuse: tags take letters, numbers, spaces and + - = . _ : / @",
    ),
    Case(
        "cpu-full-width-digits",
        TASK,
        setting("cpu", FULL_WIDTH_128),
        [TASK, "cpu:", "is not a cpu ECS reads; write ASCII digits"],
        "refuse: Python's isdigit() takes them, ECS does not",
    ),
    Case(
        "cpu-below-range",
        TASK,
        setting("cpu", "64"),
        ['cpu: "64" is out of range; ECS takes 128 to 196608 CPU units'],
        "refuse",
    ),
    Case(
        "region-unknown",
        CONF,
        config("region: ap-northeast-1", "region: nowhere-1"),
        [CONF, 'region: "nowhere-1" is not an AWS region; use one of', "ap-northeast-1"],
        "refuse, not KeyError",
    ),
    Case(
        "config-service-empty",
        CONF,
        config("service: myservice", 'service: ""'),
        [CONF, "service: is empty"],
        "refuse, not BundleInvalid outside the CLI",
    ),
    Case(
        "config-cluster-list",
        CONF,
        config("cluster: my-cluster", "cluster:\n  - a\n  - b"),
        [CONF, "cluster: expected a name"],
        "refuse",
    ),
    # serviceName "": ecspresso.yml's service is deployed, as ecspresso does; with none there,
    # refused (ecspresso_shapes.py: service-name-empty-nowhere)
    Case(
        "family-with-space",
        TASK,
        setting("family", "my service"),
        [TASK, "family: \"my service\" has ' ' (SPACE)"],
        "refuse: ECS names take letters, numbers, _ and -",
    ),
    Case(
        "container-name-missing",
        TASK,
        j(lambda task: task["containerDefinitions"][0].pop("name")),
        [TASK, "containerDefinitions[0].name: required field is missing"],
        "refuse",
    ),
    Case(
        "subnets-missing",
        SVC,
        removing("networkConfiguration.awsvpcConfiguration.subnets"),
        ["subnets: required field is missing"],
        "refuse: awsvpc needs subnets (the model says so)",
    ),
]
