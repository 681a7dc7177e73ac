"""Benchmark: what a canary deployment of examples/checkout costs, on the embedded AWS.

The first deploy (ECS rolls it: nothing to shift from) and a canary image update (10 %, 2 min
bake, 100 %, 1 min bake time): state transitions, Lambda invocations, health polls, the virtual
seconds ECS's settles and bakes take, and the calls, as ``deploy_bench`` measures them. The
update's progress lines are printed first, as ``lattice-deploy deploy`` prints them (the README
shows them). Run: ``make bench``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from deploy_bench import measure, print_table, target_of, with_image

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.runner import run

CHECKOUT = Path(__file__).resolve().parents[1] / "examples" / "checkout"


def main() -> int:
    with EmbeddedAws() as aws, tempfile.TemporaryDirectory() as tmp:
        target = target_of(aws)
        rows = {"first deploy": measure(aws, target, CHECKOUT)}
        lines: list[str] = []
        update = with_image(Path(tmp), "nginx:1.28", CHECKOUT)
        shown = run.deploy_bundle(target, update, None, lines.append)
        print("\n".join([*lines, run.headline(shown)]), end="\n\n")
        rows["canary update"] = measure(aws, target, with_image(Path(tmp), "nginx:1.29", CHECKOUT))
    for row in rows.values():  # ECS's settles and bakes, not the gate, set a canary's verdict
        row.pop("to HEALTHY verdict"), row.pop("to UNHEALTHY verdict")
    print_table(rows)
    ok = shown["status"] == "SUCCEEDED" and {r["status"] for r in rows.values()} == {"SUCCEEDED"}
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
