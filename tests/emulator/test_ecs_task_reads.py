"""ListTasks by service and DescribeTasks read one cluster, as the ECS API Reference says ("If
you do not specify a cluster, the default cluster is assumed"), from the tasks' indexes
(emulator/ecs/task_reads.py): a cluster whose name contains another's is not the other, a task
is found by its ARN or its id, and an unknown one is left out."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from .helpers import lattice_service, served_target_group, task_definition

pytestmark = pytest.mark.timeout(60)


def _service(ecs: Any, lattice: Any, cluster: str, name: str = "myservice") -> None:
    tg = served_target_group(lattice, f"{name}-{cluster}")
    lattice_service(ecs, tg["arn"], task_definition(ecs), desired=2, cluster=cluster, name=name)


def _listed(ecs: Any, cluster: str | None, service: str = "myservice") -> list[str]:
    kwargs = {"cluster": cluster} if cluster else {}
    return list(ecs.list_tasks(serviceName=service, **kwargs)["taskArns"])


def test_each_cluster_lists_its_own_service_s_tasks(ecs: Any, lattice: Any) -> None:
    for cluster in ("web", "web-2", "default"):
        ecs.create_cluster(clusterName=cluster)
        _service(ecs, lattice, cluster)
    web, other, default = _listed(ecs, "web"), _listed(ecs, "web-2"), _listed(ecs, None)
    assert len(web) == len(other) == len(default) == 2
    assert not set(web) & set(other) and not set(web) & set(default)
    assert all("/web/" in arn for arn in web) and all("/default/" in arn for arn in default)
    assert _listed(ecs, "web", "nothing-by-that-name") == []


def test_a_task_is_described_in_its_cluster_by_arn_or_id(ecs: Any, lattice: Any) -> None:
    for cluster in ("web", "web-2"):
        ecs.create_cluster(clusterName=cluster)
        _service(ecs, lattice, cluster)
    arns = _listed(ecs, "web")
    task_id = arns[1].rsplit("/", 1)[-1]
    got = ecs.describe_tasks(cluster="web", tasks=[arns[0], task_id, arns[0], "0" * 32])["tasks"]
    assert [t["taskArn"] for t in got] == [arns[0], arns[1]]  # each once, in the order asked
    assert ecs.describe_tasks(cluster="web-2", tasks=arns)["tasks"] == []  # not that cluster's
    stopped = ecs.stop_task(cluster="web", task=arns[0], reason="test")["task"]
    assert stopped["desiredStatus"] == "STOPPED"
    assert ecs.describe_tasks(cluster="web", tasks=[arns[0]])["tasks"][0]["desiredStatus"] == (
        "STOPPED"
    )
    with pytest.raises(ClientError, match="ClusterNotFound"):
        ecs.describe_tasks(cluster="nowhere", tasks=arns)
