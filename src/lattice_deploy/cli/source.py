"""The bundle a verb reads: a directory (its config found as ecspresso finds it), or a config
under another name with ``--config FILE``, as ecspresso's own ``--config`` takes it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from deployer.core.errors import BundleInvalid


def add_arguments(parser: Any) -> None:
    parser.add_argument(
        "directory",
        type=Path,
        nargs="?",
        help="the bundle: ecspresso.yml beside ecs-service-def.json and ecs-task-def.json (or the "
        "definitions it names; its config may be ecspresso.yaml, .json or .jsonnet instead)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the bundle's config under another name (e.g. prod.yml), as ecspresso's --config "
        "(default: $ECSPRESSO_CONFIG): inside DIR when DIR is given, else from the current "
        "directory; the definitions it names are read from its directory",
    )


def resolve(args: argparse.Namespace) -> Path:
    """The path :func:`lattice_deploy.runner.execution.read_bundle` takes (the directory, or the
    config file), also set as ``args.directory`` for what the verb prints."""
    config: Path | None = args.config
    if config is None and os.environ.get("ECSPRESSO_CONFIG"):  # ecspresso's --config default
        config = Path(os.environ["ECSPRESSO_CONFIG"])  # (cli.go: env:"ECSPRESSO_CONFIG")
    if config is not None:
        args.directory = (
            config if args.directory is None or config.is_absolute() else (args.directory / config)
        )
        if not args.directory.is_file():
            raise BundleInvalid(f"--config {config}: no such file ({args.directory})")
    elif args.directory is None:
        raise BundleInvalid(
            "no bundle given: name its directory (lattice-deploy VERB DIR) or its config "
            "(--config FILE)"
        )
    return Path(args.directory)
