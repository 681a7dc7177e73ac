"""Check 2, the SDK: each function runs a botocore that knows every request member it sends.

What a feature needs is :data:`deployer.core.aws.SDK_FEATURES` (the first botocore whose model has
the member); the functions check it themselves, at cold start, in the middle of a deployment.
Here it is learned before: each function's layers (GetFunctionConfiguration), and of the stack's
own layers, which distributions each holds at which version (GetLayerVersion, then its archive's
file names: :mod:`.archive`). A function with no layer holding botocore runs the Lambda
runtime's, whose version AWS does not promise. Nothing is invoked.
"""

from __future__ import annotations

import re

from deployer.core.aws import SDK_FEATURES

from ..runner import app
from . import Check
from .account import Account
from .archive import names, versions

NEEDED = max(first for *_, first in SDK_FEATURES.values())


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


def _parsed(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version)[:3])


def pinned() -> str | None:
    """The botocore this lattice-deploy's layers/sdk/requirements.txt pins (None: not carried)."""
    path = app.root() / "layers" / "sdk" / "requirements.txt"
    if not path.is_file():
        return None
    found = re.search(r"^botocore==(\S+)\s*$", path.read_text(), re.M)
    return found[1] if found else None


def _layer_versions(account: Account, arn: str) -> dict[str, str]:
    """What the layer version ``arn`` holds (``arn:…:layer:NAME:VERSION``)."""
    name, version = arn.split(":")[-2:]
    found = account.client("lambda").get_layer_version(LayerName=name, VersionNumber=int(version))
    return versions(names(found["Content"]["Location"]))


def check(account: Account, result: Check) -> None:
    own = {  # the stack's layers, any version of them (a function may hold an older one)
        str(arn).rsplit(":", 1)[0]
        for logical, resource in account.template.resources.items()
        if resource["Type"] == "AWS::Serverless::LayerVersion"
        and (arn := account.physical(logical, "AWS::Lambda::LayerVersion"))
    }
    held: dict[str, dict[str, str] | None] = {}
    running: dict[str, list[str]] = {}
    deploy = f"sam build && sam deploy --stack-name {account.stack_name}"
    for logical, function in account.function_names().items():
        if function is None:
            continue  # the stack check says so
        layers = [str(x["Arn"]) for x in account.configuration(function).get("Layers") or []]
        found: tuple[str, str] | None = None
        for arn in (a for a in layers if a.rsplit(":", 1)[0] in own):
            if arn not in held:
                try:
                    held[arn] = _layer_versions(account, arn)
                except OSError as exc:
                    held[arn] = None
                    result.warn(f"layer {arn}'s archive could not be read: {exc}")
            if (got := held[arn]) and "botocore" in got:
                found = (got["botocore"], arn.split(":")[-2] + ":" + arn.split(":")[-1])
                break
        if found is None:
            if any(a in held and held[a] is None for a in layers):
                continue  # unreadable: warned above
            result.fail(
                f"{logical} has no layer with botocore, so it runs the Lambda runtime's, whose "
                f"version AWS does not promise (it needs >= {_dotted(NEEDED)})",
                f"give it the stack's SdkLayer (template.yaml Globals: Layers): {deploy}",
            )
            continue
        version, layer = found
        lacking = [f for f, (*_, first) in SDK_FEATURES.items() if _parsed(version) < first]
        if lacking:
            named = ", ".join(f"{f} (>= {_dotted(SDK_FEATURES[f][3])})" for f in lacking)
            result.fail(
                f"{logical} runs botocore {version} ({layer}), which lacks {named}",
                f"pin boto3 and botocore >= {_dotted(NEEDED)} in layers/sdk/requirements.txt, "
                f"then {deploy}",
            )
        running.setdefault(f"botocore {version} ({layer})", []).append(logical)
    pin = pinned()
    what = "; ".join(f"{len(fns)} function(s) run {v}" for v, fns in running.items())
    result.summary = f"{what or 'no function read'}; the features need >= {_dotted(NEEDED)}" + (
        f", this lattice-deploy pins {pin}" if pin else ""
    )
