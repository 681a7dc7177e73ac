"""Entry point: ``lattice-deploy <verb>``. Exit codes: 0 ok, 1 deploy failed, 2 bad input/usage."""

from __future__ import annotations

import argparse
import os
import sys

from . import deploy, init, plan, serve, status, validate

VERBS = (deploy, init, plan, serve, status, validate)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="lattice-deploy",
        description="Put an Amazon ECS service behind Amazon VPC Lattice, safely.",
    )
    commands = top.add_subparsers(dest="verb", metavar="VERB", required=True)
    for verb in VERBS:
        verb.add_parser(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # here, not at exit: a reader that left is handled below
        return code
    except BrokenPipeError:  # `status --json | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
