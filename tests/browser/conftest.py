"""The running ``serve`` the console tests use: the aws CLI tests' own fixture."""

from test_serve_awscli import endpoint  # noqa: F401
