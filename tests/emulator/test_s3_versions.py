"""ListObjectVersions with a Prefix: the same pages as moto's own answer, with only the keys
under the prefix copied (:mod:`lattice_deploy.emulator.s3.versions`)."""

from __future__ import annotations

import copy
from typing import Any

import moto.s3.models
import pytest

from lattice_deploy.emulator import EmbeddedAws
from lattice_deploy.emulator.s3 import versions


def _pages(s3: Any, **asked: Any) -> list[list[tuple[str, bool]]]:
    pages = s3.get_paginator("list_object_versions").paginate(Bucket="bkt", **asked)
    return [
        [(v["Key"], v["IsLatest"]) for v in page.get("Versions") or []]
        + [(p["Prefix"], False) for p in page.get("CommonPrefixes") or []]
        for page in pages
    ]


@pytest.fixture
def s3() -> Any:
    with EmbeddedAws(seed=False) as aws:
        client = aws.client("s3")
        client.create_bucket(
            Bucket="bkt", CreateBucketConfiguration={"LocationConstraint": aws.region}
        )
        client.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
        for key in ("a/x/1", "a/x/2", "a/y", "ab", "b/z", "c"):
            for body in (b"1", b"2"):
                client.put_object(Bucket="bkt", Key=key, Body=body)
        yield client


@pytest.mark.parametrize(
    "asked",
    [
        {"Prefix": "a/"},
        {"Prefix": "a"},
        {"Prefix": "a/", "Delimiter": "/"},
        {"Prefix": "a/", "PaginationConfig": {"PageSize": 1}},
        {"Prefix": "a/x/", "PaginationConfig": {"PageSize": 3}},
        {"Prefix": "nothing/"},
        {},
    ],
)
def test_the_pages_are_mosts_own(
    s3: Any, asked: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = _pages(s3, **asked)
    monkeypatch.setattr(moto.s3.models.S3Backend, "list_object_versions", versions._original)
    assert ours == _pages(s3, **asked)


def test_only_the_keys_under_the_prefix_are_copied(
    s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied: list[Any] = []
    real = copy.deepcopy

    def counting(value: Any, *args: Any) -> Any:
        copied.append(value)
        return real(value, *args)

    monkeypatch.setattr(moto.s3.models.copy, "deepcopy", counting)
    s3.list_object_versions(Bucket="bkt", Prefix="a/x/")
    assert len(copied) == 2  # a/x/1 and a/x/2 (each key's versions), not all six keys
