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
ALLOWED_IMPORTS |= {"pydantic"}  # Parser's own dependency, in the Powertools layer ([all] extras)
LAYERED = {"jsonnet_sandbox.py": "_gojsonnet", "ecspresso_yaml.py": "yaml"}
"""A module that imports what a layer of the stack's own provides (JsonnetLayer, YamlLayer)."""


def test_each_task_state_has_its_module_function_and_substitution() -> None:
    template = cfn.load(ROOT / "template.yaml")
    machine = next(m for m in template.state_machines if m.logical_id == "DeployStateMachine")
    raw = machine.definition_path.read_text()
    definition = json.loads(
        cfn.substitute(raw, {k: "x" for k in machine.substitutions} | {"PollSeconds": 15})
    )
    handlers = {fn.handler: fn.logical_id for fn in template.functions}
    tasks = {name: s for name, s in definition["States"].items() if s["Type"] == "Task"}
    assert len(tasks) == 11
    assert (ROOT / "events" / "s3-upload.json").is_file()
    assert (ROOT / "events" / "ecr-push.json").is_file()
    for name, state in tasks.items():
        assert (ROOT / "functions" / "deployer" / "states" / f"{name}.py").is_file(), name
        logical_id = handlers[f"deployer.states.{name}.handler"]
        placeholder = json.loads(raw.replace("${PollSeconds}", "15"))["States"][name]["Resource"]
        key = placeholder.strip("${}")
        assert machine.substitutions[key] == {"Fn::GetAtt": [logical_id, "Arn"]}, name
        assert state["Comment"] == f"functions/deployer/states/{name}.py"
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
                assert (
                    top in ALLOWED_IMPORTS
                    or top in __import__("sys").stdlib_module_names
                    or LAYERED.get(path.name) == top
                ), f"{path}: {name}"
    # and none to install: with a requirements.txt, sam build's python3.13 builder would run pip,
    # and want a python3.13 for it (without one it copies functions/ as it is)
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
        # Jsonnet renders where bundles are read (its layer, beside Powertools)
        jsonnet = {"Ref": "JsonnetLayer"} in fn.properties["Layers"]
        renders = (
            "deployer.states.load_bundle.handler",
            "deployer.triggers.prepare_redeployment.handler",
        )
        assert jsonnet is (fn.handler in renders), fn.logical_id
        # PyYAML where a config is read: those, and the S3 trigger (the config names the files)
        yaml = {"Ref": "YamlLayer"} in fn.properties["Layers"]
        reads = (*renders, "deployer.triggers.start_deployment.handler")
        assert yaml is (fn.handler in reads), fn.logical_id
    layer = template.resources["JsonnetLayer"]
    assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
    pinned = (ROOT / layer["Properties"]["ContentUri"] / "requirements.txt").read_text()
    assert "gojsonnet==" in pinned
    yaml_layer = template.resources["YamlLayer"]
    assert yaml_layer["Metadata"] == layer["Metadata"]
    yaml_pins = ROOT / yaml_layer["Properties"]["ContentUri"] / "requirements.txt"
    assert "PyYAML==" in yaml_pins.read_text()
    role = template.resources["EcsInfrastructureRole"]["Properties"]
    assert (
        "AmazonECSInfrastructureRolePolicyForVpcLattice" in role["ManagedPolicyArns"][0]["Fn::Sub"]
    )
    shift = {  # ECS moves the weights where the production rule is: a rule, or a listener's
        # default action when the listener has no rules (deployer.lattice.ensure_rules)
        action
        for policy in role["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
        for action in statement["Action"]
    }
    assert {"vpc-lattice:UpdateRule", "vpc-lattice:UpdateListener"} <= shift, shift


def test_events_hold_a_sample_input_for_the_state_machine_and_each_function() -> None:
    execution = json.loads((ROOT / "events" / "deploy-execution.json").read_text())
    assert {"deploymentId", "bundle"} <= set(execution)
    template = cfn.load(ROOT / "template.yaml")
    for fn in template.functions:
        state = fn.handler.split(".")[-2]
        if state in (
            "register_targets",
            "start_deployment",
            "start_redeployments",
            "prepare_redeployment",
            "clean_up_stopped",
            "lifecycle_hook",
        ):
            continue  # ECS-managed registration in the example; the triggers' and the hook's
            # samples are ECS's and EventBridge's events (checked below), the fan-out's the push

        sample = json.loads((ROOT / "events" / f"{state}.json").read_text())
        if state in ("acquire_lock", "release_lock", "check_health", "report"):  # Parameters
            assert sample["deploymentId"] == execution["deploymentId"]
            assert sample.get("execution") or sample.get("now")
            sample = sample["state"]
            if state == "release_lock":
                assert sample["turn"]["status"] == "ACQUIRED"
        assert "bundle" in sample, state
        before_lattice = state in (
            "acquire_lock",
            "finish_leftovers",
            "load_bundle",
            "ensure_lattice",
        )
        assert ("resources" in sample) is not before_lattice, state  # ensure_lattice starts it
        if state == "rollback":
            assert sample["health"]["status"] == "FAILED"  # from a run whose health gate failed
        else:
            assert sample["deploymentId"] == execution["deploymentId"], state


def test_each_trigger_rule_matches_its_sample_event_and_nothing_else() -> None:
    from moto.events.models import EventPattern

    template = cfn.load(ROOT / "template.yaml")
    bucket = "lattice-deploy-bundles-123456789012-ap-northeast-1"
    deploy = (
        "arn:aws:states:ap-northeast-1:123456789012:stateMachine:lattice-deploy-DeployStateMachine"
    )
    attributes = {"BundleBucket": {"Ref": bucket}, "DeployStateMachine": {"Ref": deploy}}
    samples = {
        "StartDeploymentFunction": json.loads((ROOT / "events" / "s3-upload.json").read_text()),
        "StartRedeploymentsFunction": json.loads((ROOT / "events" / "ecr-push.json").read_text()),
        "CleanUpStoppedFunction": json.loads((ROOT / "events" / "sfn-stopped.json").read_text()),
    }
    rules = {
        fn.logical_id: cfn.resolve(event["Properties"]["Pattern"], template, attributes)
        for fn in template.functions
        for event in (fn.properties.get("Events") or {}).values()
        if event["Type"] == "EventBridgeRule"
    }
    assert set(rules) == set(samples)
    for logical_id, pattern in rules.items():
        matcher = EventPattern.load(json.dumps(pattern))
        for other, sample in samples.items():
            assert matcher.matches_event(sample) == (other == logical_id), (logical_id, other)
    task_def_upload = json.loads(json.dumps(samples["StartDeploymentFunction"]))
    task_def_upload["detail"]["object"]["key"] = "definitions/myservice/ecs-task-def.json"
    assert not EventPattern.load(json.dumps(rules["StartDeploymentFunction"])).matches_event(
        task_def_upload
    )


def test_the_fan_out_is_a_paced_distributed_map_that_starts_the_deploy_state_machine() -> None:
    template = cfn.load(ROOT / "template.yaml")
    machine = next(m for m in template.state_machines if m.logical_id == "RedeployStateMachine")
    assert machine.substitutions == {
        "DeployStateMachineArn": {"Ref": "DeployStateMachine"},
        "PrepareRedeploymentFunctionArn": {"Fn::GetAtt": ["PrepareRedeploymentFunction", "Arn"]},
        "RedeployConcurrency": {"Ref": "RedeployConcurrency"},
        "RedeployRate": {"Ref": "RedeployRate"},
        "RedeployBurst": {"Ref": "RedeployBurst"},
    }
    values = {"RedeployConcurrency": 4, "RedeployRate": 1, "RedeployBurst": 20}
    definition = json.loads(cfn.substitute(machine.definition_path.read_text(), values))
    fan_out = definition["States"]["redeploy_services"]
    assert fan_out["Type"] == "Map" and fan_out["MaxConcurrency"] == 4
    assert fan_out["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED"
    assert fan_out["ItemReader"]["Resource"] == "arn:aws:states:::s3:getObject"
    states = fan_out["ItemProcessor"]["States"]
    assert states[fan_out["ItemProcessor"]["StartAt"]]["SecondsPath"] == "$.delay"
    task = states["deploy_service"]
    assert task["Resource"] == "arn:aws:states:::states:startExecution.sync:2"
    assert task["Parameters"]["StateMachineArn"] == "${DeployStateMachineArn}"
    assert states["prepare_redeployment"]["Resource"] == "${PrepareRedeploymentFunctionArn}"
    push = json.loads((ROOT / "events" / "ecr-push.json").read_text())["detail"]
    asked = json.loads((ROOT / "events" / "prepare_redeployment.json").read_text())
    assert asked["push"]["digest"] == push["image-digest"]  # the sample push, one service's turn
    assert {f"{k}.$" for k in asked} == set(fan_out["ItemSelector"]) - {"delay.$"}
    (expiry,) = template.resources["BundleBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert (expiry["Prefix"], expiry["ExpirationInDays"]) == ("fan-outs/", 7)  # the lists go
    pace = {k: template.parameters[k] for k in ("RedeployRate", "RedeployBurst")}
    assert pace == {"RedeployRate": 1, "RedeployBurst": 20}  # ECS RegisterTaskDefinition's bucket


def test_every_inline_policy_states_its_version_and_kept_data_is_retained() -> None:
    template = cfn.load(ROOT / "template.yaml")
    for logical_id, resource in template.resources.items():
        for policy in (resource.get("Properties") or {}).get("Policies") or []:
            if "Statement" in policy:
                assert policy.get("Version") == "2012-10-17", logical_id
    for kept in ("BundleBucket", "DeploymentsTable"):
        resource = template.resources[kept]
        assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"


def test_the_bucket_refuses_plain_http_and_failed_triggers_are_kept() -> None:
    template = cfn.load(ROOT / "template.yaml")
    (deny,) = template.resources["BundleBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    for trigger in ("StartDeploymentFunction", "StartRedeploymentsFunction"):
        queue = template.resources[trigger]["Properties"]["DeadLetterQueue"]
        assert queue["Type"] == "SQS", trigger


def test_failures_can_be_mailed_and_only_failures() -> None:
    from moto.events.models import EventPattern

    template = cfn.load(ROOT / "template.yaml")
    assert template.parameters["NotificationEmail"] == ""  # off unless asked
    rule = template.resources["FailuresRule"]
    assert rule["Condition"] == template.resources["FailuresTopic"]["Condition"] == "Notify"
    pattern = EventPattern.load(json.dumps(rule["Properties"]["EventPattern"]))
    for outcome, mailed in (
        ("Deployment Failed", True),
        ("Deployment Rolled Back", True),
        ("Deployment Succeeded", False),
        ("Deployment Superseded", False),
    ):
        event = {"source": "lattice-deploy", "detail-type": outcome, "detail": {}}
        assert pattern.matches_event(event) is mailed, outcome


def test_the_failure_topic_key_lets_eventbridge_publish() -> None:
    """An AWS managed key (alias/aws/sns) cannot grant EventBridge anything: the topic's key is
    the stack's own, rotated, and EventBridge may use it for this account's rules."""
    template = cfn.load(ROOT / "template.yaml")
    topic = template.resources["FailuresTopic"]["Properties"]
    assert topic["KmsMasterKeyId"] == {"Ref": "FailuresKey"}
    key = template.resources["FailuresKey"]
    assert key["Type"] == "AWS::KMS::Key" and key["Condition"] == "Notify"
    assert key["Properties"]["EnableKeyRotation"] is True
    statements = key["Properties"]["KeyPolicy"]["Statement"]
    by_principal = {json.dumps(s["Principal"], sort_keys=True): s for s in statements}
    root = by_principal[
        json.dumps({"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}})
    ]
    assert root["Action"] == "kms:*"  # the account keeps administering it
    events = by_principal[json.dumps({"Service": "events.amazonaws.com"})]
    assert events["Effect"] == "Allow"
    assert set(events["Action"]) == {"kms:GenerateDataKey*", "kms:Decrypt"}
    assert events["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}


def test_who_reads_parameters_may_decrypt_secure_strings_through_parameter_store_only() -> None:
    """``{{ ssm }}`` reads with decryption: a SecureString under a customer managed key needs
    the caller's kms:Decrypt on that key, granted for requests Parameter Store makes only."""
    template = cfn.load(ROOT / "template.yaml")
    via_ssm = {"StringEquals": {"kms:ViaService": {"Fn::Sub": "ssm.${AWS::Region}.amazonaws.com"}}}
    readers = 0
    for fn in template.functions:
        statements = [s for p in fn.properties["Policies"] for s in p["Statement"]]
        reads = any("ssm:GetParameter" in s["Action"] for s in statements)
        decrypts = [s for s in statements if "kms:Decrypt" in s["Action"]]
        assert bool(decrypts) is reads, fn.logical_id
        for statement in decrypts:
            assert statement["Action"] == ["kms:Decrypt"], fn.logical_id
            assert statement["Condition"] == via_ssm, fn.logical_id
            assert ":kms:${AWS::Region}:${AWS::AccountId}:key/*" in statement["Resource"]["Fn::Sub"]
        readers += reads
    assert readers == 2  # load_bundle and the ECR trigger render {{ ssm }}
