"""Benchmark: what a canary deployment of examples/checkout costs, on the embedded AWS.

The first deploy (ECS rolls it: nothing to shift from) and a canary image update (10 %, 2 min
bake, 100 %, 1 min bake time): state transitions, Lambda invocations, health polls, the virtual
seconds ECS's settles and bakes take, and the calls, as ``deploy_bench`` measures them. The
update's progress lines are printed first, as ``lattice-deploy deploy`` prints them (the README
shows them). Run: ``make bench``.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import boto3
from deploy_bench import measure

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.runner import run, stack, targets

CHECKOUT = Path(__file__).resolve().parents[1] / "examples" / "checkout"


def with_image(tmp: Path, image: str) -> Path:
    directory = tmp / image.replace(":", "-")
    shutil.copytree(CHECKOUT, directory)
    task = json.loads((directory / "ecs-task-def.json").read_text())
    task["containerDefinitions"][0]["image"] = image
    (directory / "ecs-task-def.json").write_text(json.dumps(task))
    return directory


def main() -> int:
    with EmbeddedAws() as aws, tempfile.TemporaryDirectory() as tmp:
        made = stack.deploy(aws.region)
        target = targets.Target(
            boto3.session.Session(region_name=aws.region),
            made.bucket,
            made.state_machine_arn,
            made.definition,
        )
        rows = {"first deploy": measure(aws, target, CHECKOUT)}
        lines: list[str] = []
        shown = run.deploy_bundle(target, with_image(Path(tmp), "nginx:1.28"), None, lines.append)
        print("\n".join([*lines, run.headline(shown)]), end="\n\n")
        rows["canary update"] = measure(aws, target, with_image(Path(tmp), "nginx:1.29"))
    for row in rows.values():  # ECS's settles and bakes, not the gate, set a canary's verdict
        row.pop("to HEALTHY verdict"), row.pop("to UNHEALTHY verdict")
    keys = list(next(iter(rows.values())))
    width = max(len(k) for k in keys)
    print(f"{'':<{width}}  " + "  ".join(f"{name:>21}" for name in rows))
    for key in keys:
        print(f"{key:<{width}}  " + "  ".join(f"{row[key]!s:>21}" for row in rows.values()))
    ok = shown["status"] == "SUCCEEDED" and {r["status"] for r in rows.values()} == {"SUCCEEDED"}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
