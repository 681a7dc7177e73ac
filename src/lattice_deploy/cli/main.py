"""Entry point: ``lattice-deploy <verb>``. Exit codes: 0 ok, 1 deploy failed, 2 bad input/usage.

A connection lost to the endpoint after the verb reached it (``serve`` stopped while a deploy
was followed) is exit 1, not a traceback: the verb started and did not succeed, and the input was
fine, so 2 (fix your input) would send the user the wrong way. An endpoint never reached is
refused by the verb itself, before any change, with exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..runner.app import AppMissing
from . import (
    app,
    deploy,
    doctor,
    init,
    plan,
    request,
    rollback,
    serve,
    smoke,
    status,
    validate,
)

VERBS = (app, deploy, doctor, init, plan, request, rollback, serve, smoke, status, validate)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="lattice-deploy",
        description="Put an Amazon ECS service behind Amazon VPC Lattice, safely.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    except AppMissing as exc:  # a broken installation: nothing was changed
        print(f"lattice-deploy {args.verb}: {exc}", file=sys.stderr, flush=True)
        return 2
    except BrokenPipeError:  # `status --json | head`: the reader left; no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        if not lost_connection(exc):
            raise
        print(lost_message(args, exc), file=sys.stderr, flush=True)
        return 1


def lost_connection(exc: BaseException) -> bool:
    """botocore's "could not connect / connection closed / timed out", or the controls' (urllib)
    refused connection: the endpoint went away under the verb."""
    if isinstance(exc, ConnectionError):  # the builtin: refused, reset (urllib's controls)
        return True
    reason = getattr(exc, "reason", None)  # urllib.error.URLError wraps it
    if isinstance(reason, ConnectionError):
        return True
    if "botocore" not in sys.modules:  # nothing botocore raised, and none of its cost here
        return False
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError

    return isinstance(exc, (BotoConnectionError, HTTPClientError))


def lost_message(args: argparse.Namespace, exc: BaseException) -> str:
    where = getattr(args, "endpoint_url", None) or "AWS"
    again = f" --endpoint-url {where}" if getattr(args, "endpoint_url", None) else ""
    return (
        f"lattice-deploy {args.verb}: lost the connection to {where} ({exc}). "
        "If `lattice-deploy serve` stopped, whatever it was running stopped with it: start it "
        "again (with the same --state-dir it resumes and says what became of a run it was "
        f"running), then see the outcome with `lattice-deploy status{again}`."
    )


if __name__ == "__main__":
    sys.exit(main())
