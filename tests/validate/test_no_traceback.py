"""No traceback, ever: ``problems_in`` returns a list for any JSON value in any field of the
example bundle (every field of both definitions and of ecspresso.yml, set in turn to each hostile
value), and a problem whenever the value's type is not the field's, or a count or port is -1."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from deployer.bundle import validate
from workflow.conftest import EXAMPLE

from .corpus import CONF, SVC, TASK

HOSTILE_VALUES: list[Any] = [
    None,
    "",
    "abc",
    -1,
    1e309,
    float("-inf"),
    [],
    {},
    True,
    "\uff11\uff12\uff18",  # 128 in full-width digits
]
HOSTILE_TEXT = ["", "abc", "-1", "1e309", "-Infinity", "[]", "{}", "true", "\uff11\uff12\uff18"]
CHECKED = ("region", "timeout", "service_definition", "task_definition")
RICHER = {  # the friendly block's optional fields, set to good values, so they are mutated too
    "listener": {"port": 80, "protocol": "HTTP"},
    "healthCheck": {
        "enabled": True,
        "port": 80,
        "path": "/",
        "healthyThresholdCount": 5,
        "healthCheckIntervalSeconds": 30,
        "matcher": {"httpCode": "200-299"},
    },
    "accessLogs": "arn:aws:s3:::my-log-bucket",
    "maxFailedTasks": 3,
    "portName": "http",
    "registration": "ecs",
    "serviceNetwork": "my-network",
}


def _example() -> dict[str, dict[str, Any]]:
    service = json.loads((EXAMPLE / SVC).read_text())
    service["vpcLatticeConfiguration"].update(copy.deepcopy(RICHER))
    service["tags"] = [{"key": "team", "value": "web"}]
    task = json.loads((EXAMPLE / TASK).read_text())
    return {SVC: service, TASK: task}


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield from _paths(child, (*path, key))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    node = data
    for key in path[:-1]:
        node = node[key]
    original = node[path[-1]]
    node[path[-1]] = value
    return original


def _wrong(original: Any, value: Any) -> bool:
    """The mutation is certainly bad: another JSON type, or -1 where a count or port was (not
    null: ecspresso, and the Go SDK under it, leave a null field out, and so does this)."""
    kind = type(original) if not isinstance(original, float) else int

    def json_type(v: Any) -> type:
        return int if isinstance(v, float) else type(v)

    if value is None:
        return False
    return json_type(value) is not kind or (kind is int and value == -1)


def _files(definitions: dict[str, Any], config: str) -> dict[str, str]:
    return {name: json.dumps(data) for name, data in definitions.items()} | {CONF: config}


def test_the_richer_example_is_valid() -> None:
    config = (EXAMPLE / CONF).read_text()
    assert validate.problems_in(_files(_example(), config)) == []


@pytest.mark.parametrize("file", [SVC, TASK])
def test_any_value_in_any_field_is_a_list_of_problems_never_a_traceback(file: str) -> None:
    config, checked, silent = (EXAMPLE / CONF).read_text(), 0, []
    for path in list(_paths(_example()[file])):
        for value in HOSTILE_VALUES:
            definitions = _example()
            original = _set(definitions[file], path, value)
            problems = validate.problems_in(_files(definitions, config))
            assert isinstance(problems, list) and all(isinstance(p, str) for p in problems)
            checked += 1
            if _wrong(original, value) and not problems:
                silent.append(f"{'.'.join(map(str, path))} = {value!r}")
    print(f"{file}: {checked} mutations, each a list of problems")
    assert not silent, "bad values not refused:\n" + "\n".join(silent)


def test_any_value_in_ecspresso_yml_is_a_list_of_problems() -> None:
    config = (EXAMPLE / CONF).read_text()
    definitions = _example()
    for line in config.splitlines():
        key, _, _ = line.partition(": ")
        for value in [*HOSTILE_TEXT, '""', "null", "\n  - a"]:
            problems = validate.problems_in(
                _files(definitions, config.replace(line, f"{key}: {value}"))
            )
            assert isinstance(problems, list), (key, value)
            unset = value in ("null", '""')  # ecspresso's default (the default file, AWS_REGION)
            if key == "timeout" or (key in CHECKED and not unset):
                assert problems, (key, value)
