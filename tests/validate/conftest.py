"""The workflow tests' embedded account (``local``) and bundle editor (``bundle``), for the tests
here that deploy."""

from workflow.conftest import bundle, local  # noqa: F401
