"""ListTaskDefinitions as the ECS API reference documents it: sort, maxResults, nextToken and
status."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import task_definition


def revisions(arns: list[str]) -> list[str]:
    return [arn.rsplit("/", 1)[-1] for arn in arns]


def test_sort_and_max_results_give_the_newest_revision_first(ecs: Any) -> None:
    for n in range(11):  # 11 revisions: "10" and "11" sort after "9" as numbers
        task_definition(ecs, image=f"nginx:1.{n}")
    newest = ecs.list_task_definitions(familyPrefix="myservice", sort="DESC", maxResults=1)
    assert revisions(newest["taskDefinitionArns"]) == ["myservice:11"]
    assert "nextToken" in newest
    ascending = ecs.list_task_definitions(familyPrefix="myservice")["taskDefinitionArns"]
    assert revisions(ascending) == [f"myservice:{n}" for n in range(1, 12)]
    assert "nextToken" not in ecs.list_task_definitions(familyPrefix="myservice")


def test_pages_follow_next_token_without_gaps_or_repeats(ecs: Any) -> None:
    for n in range(7):
        task_definition(ecs, image=f"nginx:1.{n}")
    pages = ecs.get_paginator("list_task_definitions").paginate(
        familyPrefix="myservice", sort="DESC", PaginationConfig={"PageSize": 3}
    )
    sizes, arns = [], []
    for page in pages:
        sizes.append(len(page["taskDefinitionArns"]))
        arns += page["taskDefinitionArns"]
    assert sizes == [3, 3, 1]
    assert revisions(arns) == [f"myservice:{n}" for n in range(7, 0, -1)]


def test_status_filters_and_family_is_matched_whole(ecs: Any) -> None:
    first = task_definition(ecs)
    task_definition(ecs, image="nginx:1.27")
    ecs.deregister_task_definition(taskDefinition=first)
    assert revisions(ecs.list_task_definitions(familyPrefix="myservice")["taskDefinitionArns"]) == [
        "myservice:2"
    ]
    inactive = ecs.list_task_definitions(familyPrefix="myservice", status="INACTIVE")
    assert revisions(inactive["taskDefinitionArns"]) == ["myservice:1"]
    assert ecs.list_task_definitions(familyPrefix="myserv")["taskDefinitionArns"] == []


@pytest.mark.parametrize("args", [{"maxResults": 0}, {"maxResults": 101}, {"nextToken": "x"}])
def test_bad_paging_parameters_are_refused(ecs: Any, args: dict[str, Any]) -> None:
    task_definition(ecs)
    with pytest.raises(ClientError) as raised:
        ecs.list_task_definitions(**args)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterException"


def test_a_deleted_revisions_number_is_never_given_again(ecs: Any) -> None:
    task_definition(ecs, image="nginx:1.0")
    second = task_definition(ecs, image="nginx:1.1")
    ecs.deregister_task_definition(taskDefinition=second)
    ecs.delete_task_definitions(taskDefinitions=[second])
    third = task_definition(ecs, image="nginx:1.2")
    assert revisions([second, third]) == ["myservice:2", "myservice:3"]
    described = ecs.describe_task_definition(taskDefinition="myservice")["taskDefinition"]
    assert (described["revision"], described["taskDefinitionArn"]) == (3, third)


def test_families_are_listed_by_status(ecs: Any) -> None:
    """ListTaskDefinitionFamilies: ACTIVE lists families with an ACTIVE revision, INACTIVE those
    with none; a family whose revisions are all deleted (and gone) is not listed."""
    first = task_definition(ecs)
    other = ecs.register_task_definition(
        family="other",
        containerDefinitions=[{"name": "web", "image": "nginx:latest", "memory": 512}],
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.deregister_task_definition(taskDefinition=other)

    def families(**status: str) -> list[str]:
        return list(ecs.list_task_definition_families(**status)["families"])

    assert families(status="ACTIVE") == ["myservice"]
    assert families(status="INACTIVE") == ["other"]
    assert families() == families(status="ALL") == ["myservice", "other"]
    ecs.deregister_task_definition(taskDefinition=first)
    ecs.delete_task_definitions(taskDefinitions=[first, other])
    assert families() == []


class _Unread(dict[str, Any]):
    def values(self) -> Any:
        raise AssertionError("the tasks were read")


def test_with_nothing_being_deleted_a_describe_reads_no_task(aws: Any, ecs: Any) -> None:
    """Each task start describes its revision; what a deleted one is still used by is asked only
    while one is being deleted (a fleet's account holds thousands of tasks)."""
    from lattice_deploy.emulator.ecs.models import ecs_backends

    first = task_definition(ecs, image="nginx:1.0")
    backend = ecs_backends[aws.account_id][aws.region]
    tasks, backend.tasks = backend.tasks, _Unread(backend.tasks)
    try:
        assert ecs.describe_task_definition(taskDefinition=first)["taskDefinition"]["revision"] == 1
    finally:
        backend.tasks = tasks
    ecs.deregister_task_definition(taskDefinition=first)
    ecs.delete_task_definitions(taskDefinitions=[first])  # nothing uses it: gone at once
    assert backend._deleting() == set()
    second = task_definition(ecs, image="nginx:1.1")
    backend.task_definitions["myservice"][2].status = "DELETE_IN_PROGRESS"  # as saved before
    del backend.__dict__["_being_deleted"]  # an account saved without the set finds it
    assert backend._deleting() == {("myservice", 2)}
    with pytest.raises(ClientError):
        ecs.describe_task_definition(taskDefinition=second)  # nothing uses it: gone
