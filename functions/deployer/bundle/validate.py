"""Check a bundle before anything changes: every problem, each naming the file, the field, what
is wrong and how to fix it.

Why botocore: the service and task definitions are ECS API inputs, so the ECS model that botocore
ships (in the Lambda runtime too) is the schema: unknown or misspelt keys (the nearest name is
suggested), types, enums, required fields and every bound the model states come from
``CreateService`` and ``RegisterTaskDefinition`` (:mod:`.limits` walks them, with the bounds AWS
documents that the model lacks). What the model cannot say is checked here and in the modules
this calls: value formats (:mod:`.validate_values`), Fargate's rules (:mod:`.fargate`), what
this deployer's way of deploying needs (:mod:`.deploy_rules`), the friendly Lattice block with
its names and ARNs (:mod:`.validate_lattice`), the port name. The definitions are first taken
as ecspresso takes them (:mod:`.definitions`, shared with ``bundle.normalize``): describe output
dropped with a notice, nulls and empty enums left out, serviceName from ecspresso.yml, an
unnamed port named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.errors import BundleInvalid
from ..ecs import progressive, service_connect
from ..lattice import names as lattice_names
from . import (
    custom_domain,
    definitions,
    deploy_rules,
    ecspresso_yaml,
    fargate,
    limits,
    routes,
    schema,
    validate_lattice,
    validate_values,
)
from . import normalize as bundle

NOT_HONOURED = {
    "required_version": "it constrains ecspresso's version; lattice-deploy is not ecspresso",
    "appspec": "CodeDeploy deployments are not used (rolling, by ECS)",
    "codedeploy": "CodeDeploy deployments are not used (rolling, by ECS)",
    "filter_command": "it picks among services interactively, an ecspresso CLI feature",
    "ignore": "plan compares only what the bundle sets",
}
"""ecspresso.yml keys ecspresso documents that this deployer reads but does not act on."""
CONFIG_KEYS = {
    "region",
    "cluster",
    "service",
    "service_definition",
    "task_definition",
    "timeout",
    "plugins",
    *NOT_HONOURED,
}
SCALAR_KEYS = {"region", "cluster", "service", "service_definition", "task_definition"}
"""ecspresso.yml keys that hold one name."""
PLUGINS_HONOURED = {"ssm", "secretsmanager", "tfstate", "cloudformation"}
"""ecspresso plugins whose template functions are rendered here (:mod:`.plugins`)."""
RESERVED_TAG_PREFIX = "lattice-deploy:"
"""The workflow's own tag keys: a run's rollback finds what it made by them."""


def _config(files: dict[str, str], problems: list[str]) -> dict[str, Any]:
    """ecspresso.yml, read and checked ({} when it cannot be read: the definitions are still
    checked, by their default names)."""
    try:
        config = bundle.config_of(files)
    except BundleInvalid as exc:
        problems.append(str(exc))
        return {}
    for key, value in config.items():
        where = f"{bundle.CONFIG_FILE}: {key}"
        if key not in CONFIG_KEYS:
            problems.append(f"{where}: unknown key; {limits.nearest(key, CONFIG_KEYS)}")
        elif key in SCALAR_KEYS and (isinstance(value, bool) or not isinstance(value, str | int)):
            problems.append(f"{where}: expected a name, got {limits.show(value)}; write one")
            config[key] = ""
    if "timeout" in config:
        try:
            ecspresso_yaml.duration_seconds(config["timeout"], f"{bundle.CONFIG_FILE}: timeout")
        except BundleInvalid as exc:
            problems.append(str(exc))
    validate_values.region(config.get("region"), f"{bundle.CONFIG_FILE}: region", problems)
    if "service" in config:
        validate_values.ecs_name(str(config["service"]), f"{bundle.CONFIG_FILE}: service", problems)
    return config


def _definitions(
    files: dict[str, str], config: dict[str, Any], problems: list[str]
) -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]] | None:
    """The service and task definitions, parsed and walked against the ECS model (None when
    one cannot be read)."""
    names = bundle.file_names(config)
    parsed: dict[str, dict[str, Any]] = {}
    for name in names:
        if name not in files:
            problems.append(f"{name}: missing from the bundle; put it beside {bundle.CONFIG_FILE}")
            continue
        try:
            parsed[name] = bundle.parse_json(files[name], name)
        except BundleInvalid as exc:
            problems.append(str(exc))
    if len(parsed) < 2:
        return None
    (service_file, service), (task_file, task) = ((n, parsed[n]) for n in names)
    taken = definitions.take(
        service, task, names, str(config.get("service") or ""), bundle.CONFIG_FILE
    )
    problems += taken.problems
    service, task = taken.service, taken.task
    limits.walk(
        service,
        schema.input_shape("CreateService"),
        f"{service_file}:",
        problems,
        frozenset({bundle.FRIENDLY}),
    )
    limits.walk(task, schema.input_shape("RegisterTaskDefinition"), f"{task_file}:", problems)
    validate_values.ecs_name(service.get("serviceName"), f"{service_file}: serviceName", problems)
    validate_values.ecs_name(task.get("family"), f"{task_file}: family", problems)
    containers = task.get("containerDefinitions")
    for index, container in enumerate(containers if isinstance(containers, list) else []):
        if isinstance(container, dict):
            where = f"{task_file}: containerDefinitions[{index}]"
            validate_values.container_definition(container, where, problems)
    return (service_file, service), (task_file, task)


def problems_in(files: dict[str, str], environment: str = "dev") -> list[str]:
    """Every problem of the bundle, each as ``file: field: what is wrong; how to fix it``.
    Never raises for any JSON value: a check that assumes the types the model walk proves, and
    fails on one it refused, is skipped (that problem is said); the other checks still run."""
    problems: list[str] = []
    config = _config(files, problems)
    definitions = _definitions(files, config, problems)
    if definitions is None:
        return problems
    (service_file, service), (task_file, task) = definitions
    region = str(config.get("region") or "")
    typed = bool(problems)
    for check in _semantics(service, task, service_file, task_file, region, problems):
        try:
            check()
        except Exception:  # on a type the walk refused: said already, the other checks go on
            if not typed:
                raise  # on a shape nothing refused: a bug, not the bundle's
    friendly = service.get(bundle.FRIENDLY)
    given = friendly if isinstance(friendly, dict) else {}
    name = str(service.get("serviceName") or "")
    for key, kind in (("service", "service"), ("targetGroup", "targetgroup")):
        derived = lattice_names.derive([environment, name], kind)
        if not given.get(key) and not lattice_names.valid(derived, kind):  # given: checked above
            problems.append(
                f"{service_file}: serviceName: the Lattice {kind} name {limits.show(derived)} "
                f"derived from it with environment {environment!r} is not one VPC Lattice "
                f"takes; use another environment name, or set {bundle.FRIENDLY}.{key}"
            )
    try:  # its checks too, whatever else was found (all problems are said at once)
        bundle.normalize(files, {"deploymentId": "validate", "environment": environment})
    except BundleInvalid as exc:
        if str(exc) not in problems:
            problems.append(str(exc))
    except Exception:
        if not problems:
            raise  # a shape nothing reported: a bug, not the bundle's
    return problems


def _semantics(
    service: dict[str, Any],
    task: dict[str, Any],
    service_file: str,
    task_file: str,
    region: str,
    problems: list[str],
) -> list[Callable[[], None]]:
    """What the model cannot say, one check each: the friendly block, ARNs, ports, Fargate,
    Service Connect, the strategy, the test rule, the reserved tags."""
    friendly = service.get(bundle.FRIENDLY)
    friendly = friendly if isinstance(friendly, dict) else {}
    files = (service_file, task_file)

    def native_arns() -> None:
        for index, native in enumerate(service.get(bundle.NATIVE) or []):
            if isinstance(native, dict):
                validate_lattice.arns(
                    native, f"{service_file}: {bundle.NATIVE}[{index}]", region, problems
                )

    def task_size() -> None:
        if validate_values.cpu_memory(task, task_file, problems):
            fargate.check(task, service, task_file, problems)

    def test_rule() -> None:
        if isinstance(friendly.get("testRule"), dict):  # VPC Lattice's own RuleMatch
            where = f"{service_file}: {bundle.FRIENDLY}.testRule"
            rule_match = validate_values.lattice_shape("RuleMatch")
            limits.walk(friendly["testRule"], rule_match, where, problems)

    def reserved_tags() -> None:
        for name, definition in zip(files, (service, task), strict=True):
            for index, tag in enumerate(definition.get("tags") or []):
                key = tag.get("key") if isinstance(tag, dict) else None
                if isinstance(key, str) and key.startswith(RESERVED_TAG_PREFIX):
                    problems.append(
                        f"{name}: tags[{index}].key: {key!r} is the workflow's own tag "
                        f"(its rollback finds what a run made by it); use a key without "
                        f"{RESERVED_TAG_PREFIX!r}"
                    )

    return [
        lambda: validate_lattice.friendly(
            service.get(bundle.FRIENDLY), service_file, region, problems
        ),
        native_arns,
        lambda: validate_lattice.arns(task, task_file, "", problems),
        lambda: validate_values.port_mappings(task, task_file, problems),
        lambda: problems.extend(deploy_rules.problems(service, task, files)),
        task_size,
        lambda: problems.extend(service_connect.problems(service, task, files)),
        lambda: problems.extend(progressive.problems(service, friendly, service_file)),
        test_rule,
        reserved_tags,
        lambda: problems.extend(custom_domain.problems(friendly, service_file, region)),
        lambda: problems.extend(routes.problems(service, friendly, service_file, region)),
    ]


def notices_in(files: dict[str, str], environment: str = "dev") -> list[str]:
    """What the bundle asks that this deployer reads but does not act on, and what it takes
    otherwise than written (describe output dropped, a port named, Lattice names derived):
    said, not failed."""
    try:
        config = bundle.config_of(files)
        plan = bundle.normalize(files, {"deploymentId": "validate", "environment": environment})
    except Exception:  # a bundle normalize cannot read: its problems are problems_in's to say
        return []
    notes = [
        f"{bundle.CONFIG_FILE}: {key}: not honoured by lattice-deploy: {why}"
        for key, why in NOT_HONOURED.items()
        if key in config
    ]
    for plugin in config.get("plugins") or []:
        name = plugin.get("name") if isinstance(plugin, dict) else plugin
        if str(name).lower() not in PLUGINS_HONOURED:
            notes.append(
                f"{bundle.CONFIG_FILE}: plugins: {name}: not honoured by lattice-deploy: its "
                "template functions are not rendered (a bundle using them is refused); only "
                "ssm, secretsmanager, tfstate and cloudformation are"
            )
    return notes + list(plan["notices"])


def check(files: dict[str, str], environment: str = "dev") -> None:
    """Raise :class:`BundleInvalid` listing every problem (what ``load_bundle`` does first)."""
    if found := problems_in(files, environment):
        raise BundleInvalid(
            f"{len(found)} problem(s) in the bundle:\n" + "\n".join(f"- {p}" for p in found)
        )
