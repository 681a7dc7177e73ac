"""Stage 2 of loading a bundle: its files rendered as ecspresso renders them.

ecspresso loads the config first, without the plugins, then sets the plugins up and renders the
definitions with them; so does this, reading from the account only what the templates ask for.
The Parameter Store names a render will read are found first (a render with stand-ins) and read
ten a call (:meth:`lookups.AwsLookups.read_ahead`), so a bundle of many ``{{ ssm }}`` values
costs a call per ten, not one each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import normalize, plugins, render
from .source import BundleSource


@dataclass(frozen=True)
class Rendered:
    """The bundle's files as text after rendering (the config, when it has one, and its two
    definitions), and the config they were rendered with, parsed."""

    files: dict[str, str]
    config: dict[str, Any]

    def with_images(self, images: Mapping[str, str]) -> dict[str, str]:
        """The files with the task definition's containers running ``images`` (an ECR push's
        digests): what the plan is made of (:func:`normalize.with_images`)."""
        return normalize.with_images(self.files, dict(images))


def of_source(source: BundleSource, variables: Mapping[str, str]) -> Rendered:
    """The bundle at ``source`` rendered with ``variables`` (``env``/``must_env``) and the
    account's values (``ssm``, the plugins' state files and stack outputs)."""
    account = source.lookups()
    configs = source.configs()
    account.read_ahead(render.ssm_names(configs, variables))
    files = {name: render.render(t, name, variables, account.ssm) for name, t in configs.items()}
    config = normalize.config_of(files)
    functions = plugins.functions(config, account)
    texts = {name: source.read(name, required=True) or "" for name in normalize.file_names(config)}
    account.read_ahead(render.ssm_names(texts, variables, functions))
    for name, text in texts.items():
        files[name] = render.render(text, name, variables, account.ssm, functions)
    return Rendered(files, config)
