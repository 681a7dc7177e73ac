"""The workflow tests' fixtures (an embedded account with the stack deployed; bundles)."""

from workflow.conftest import bundle, local  # noqa: F401
