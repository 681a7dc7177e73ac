"""Read a SAM template the way CloudFormation would need to for the local stack.

Only what the runner uses is resolved: parameters (defaults or overrides), ``Ref``/``GetAtt``/
``Sub`` against the resources the runner creates, Globals merged into each function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form intrinsics (``!Ref``, ``!GetAtt``, ``!Sub``…)."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {"Ref": value} if suffix == "Ref" else {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@dataclass
class Function:
    logical_id: str
    handler: str
    environment: dict[str, Any]
    properties: dict[str, Any]


@dataclass
class StateMachine:
    logical_id: str
    definition_path: Path
    substitutions: dict[str, Any]


@dataclass
class Template:
    path: Path
    parameters: dict[str, Any]
    functions: list[Function] = field(default_factory=list)
    state_machines: list[StateMachine] = field(default_factory=list)
    resources: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def load(path: Path, overrides: dict[str, Any] | None = None) -> Template:
    # _CfnLoader is a SafeLoader subclass (it adds only CloudFormation's tags)
    doc = yaml.load(path.read_text(), Loader=_CfnLoader)  # nosec B506
    params = {k: v.get("Default") for k, v in (doc.get("Parameters") or {}).items()}
    params.update(overrides or {})
    globals_fn = (doc.get("Globals") or {}).get("Function") or {}
    template = Template(
        path,
        params,
        resources=doc.get("Resources") or {},
        outputs=doc.get("Outputs") or {},
        description=str(doc.get("Description") or ""),
    )
    for logical_id, resource in template.resources.items():
        props = resource.get("Properties") or {}
        if resource["Type"] == "AWS::Serverless::Function":
            env = {
                **((globals_fn.get("Environment") or {}).get("Variables") or {}),
                **((props.get("Environment") or {}).get("Variables") or {}),
            }
            merged = {**globals_fn, **props}
            for key, value in props.items():  # SAM: a Globals list comes first, then the function's
                if isinstance(value, list) and isinstance(globals_fn.get(key), list):
                    merged[key] = [*globals_fn[key], *value]
            template.functions.append(Function(logical_id, merged["Handler"], env, merged))
        elif resource["Type"] == "AWS::Serverless::StateMachine":
            template.state_machines.append(
                StateMachine(
                    logical_id,
                    path.parent / props["DefinitionUri"],
                    props.get("DefinitionSubstitutions") or {},
                )
            )
    return template


def resolve(value: Any, template: Template, attributes: dict[str, dict[str, str]]) -> Any:
    """Resolve intrinsics against parameters and ``attributes`` (logical id → {Ref, Arn, …})."""
    if isinstance(value, dict) and len(value) == 1:
        ((key, arg),) = value.items()
        if key == "Ref":
            return template.parameters.get(arg, attributes.get(arg, {}).get("Ref"))
        if key == "Fn::GetAtt":
            return attributes[arg[0]][arg[1]]
        if key == "Fn::Sub":
            return re.sub(r"\$\{([^}]+)\}", lambda m: str(_sub(m[1], template, attributes)), arg)
    if isinstance(value, dict):
        return {k: resolve(v, template, attributes) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, template, attributes) for v in value]
    return value


def _sub(name: str, template: Template, attributes: dict[str, dict[str, str]]) -> Any:
    if "." in name:
        logical_id, attribute = name.split(".", 1)
        return attributes[logical_id][attribute]
    return resolve({"Ref": name}, template, attributes)


def substitute(definition: str, values: dict[str, Any]) -> str:
    """DefinitionSubstitutions, as Step Functions applies them: ``${Name}`` → value, as text."""
    return re.sub(
        r"\$\{(\w+)\}", lambda m: str(values[m[1]]) if m[1] in values else m[0], definition
    )
