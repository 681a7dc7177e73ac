"""The wiring AWS gets: every Task state is served by the module of its name, through a function
of template.yaml whose ARN the state machine's DefinitionSubstitutions carry; functions/ imports
only what the Lambda runtime and the Powertools layer provide."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from lattice_deploy.runner import template as cfn

ROOT = Path(__file__).resolve().parents[1]
ALLOWED_IMPORTS = {"boto3", "botocore", "aws_lambda_powertools", "deployer", "__future__"}


def test_each_task_state_has_its_module_function_and_substitution() -> None:
    template = cfn.load(ROOT / "template.yaml")
    machine = template.state_machines[0]
    raw = machine.definition_path.read_text()
    definition = json.loads(
        cfn.substitute(raw, {k: "x" for k in machine.substitutions} | {"PollSeconds": 15})
    )
    handlers = {fn.handler: fn.logical_id for fn in template.functions}
    tasks = {name: s for name, s in definition["States"].items() if s["Type"] == "Task"}
    assert len(tasks) == 17
    assert (ROOT / "events" / "s3-upload.json").is_file()
    for name, state in tasks.items():
        assert (ROOT / "functions" / "deployer" / f"{name}.py").is_file(), name
        logical_id = handlers[f"deployer.{name}.handler"]
        placeholder = json.loads(raw.replace("${PollSeconds}", "15"))["States"][name]["Resource"]
        key = placeholder.strip("${}")
        assert machine.substitutions[key] == {"Fn::GetAtt": [logical_id, "Arn"]}, name
        assert state["Comment"] == f"functions/deployer/{name}.py"
    assert machine.substitutions["PollSeconds"] == {"Ref": "PollSeconds"}


def test_every_policy_names_actions_and_never_all_of_them() -> None:
    template = cfn.load(ROOT / "template.yaml")
    for fn in template.functions:
        for policy in fn.properties["Policies"]:
            for statement in policy["Statement"]:
                assert statement["Action"] and all(
                    a != "*" and not a.endswith(":*") for a in statement["Action"]
                )


def test_functions_import_only_the_runtime_and_the_layer() -> None:
    for path in (ROOT / "functions").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                assert top in ALLOWED_IMPORTS or top in __import__("sys").stdlib_module_names, (
                    f"{path}: {name}"
                )
    assert not list((ROOT / "functions").rglob("requirements.txt"))


def test_template_runtime_and_layer() -> None:
    template = cfn.load(ROOT / "template.yaml")
    for fn in template.functions:
        assert fn.properties["Runtime"] == "python3.13" and fn.properties["Architectures"] == [
            "arm64"
        ]
        assert (
            "AWSLambdaPowertoolsPythonV3-python313-arm64" in fn.properties["Layers"][0]["Fn::Sub"]
        )
    role = template.resources["EcsInfrastructureRole"]["Properties"]
    assert (
        "AmazonECSInfrastructureRolePolicyForVpcLattice" in role["ManagedPolicyArns"][0]["Fn::Sub"]
    )


def test_events_hold_a_sample_input_for_the_state_machine_and_each_function() -> None:
    execution = json.loads((ROOT / "events" / "deploy-execution.json").read_text())
    assert {"deploymentId", "bundle"} <= set(execution)
    template = cfn.load(ROOT / "template.yaml")
    for fn in template.functions:
        state = fn.handler.split(".")[1]
        if state in ("register_targets", "start_deployment"):
            continue  # ECS-managed registration in the example; the trigger has s3-upload.json
        sample = json.loads((ROOT / "events" / f"{state}.json").read_text())
        if state == "release_lock":  # its Parameters pass the turn, not the state document
            assert sample["turn"]["status"] == "ACQUIRED" and sample["execution"]
            continue
        if state == "acquire_lock":  # its Parameters wrap the state document
            assert sample["execution"] and sample["deploymentId"] == execution["deploymentId"]
            sample = sample["state"]
        assert "bundle" in sample and "resources" in sample, state
        if state == "rollback":
            assert sample["health"]["status"] == "FAILED"  # from a run whose health gate failed
        else:
            assert sample["deploymentId"] == execution["deploymentId"], state
