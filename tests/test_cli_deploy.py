"""``lattice-deploy deploy`` as a user runs it: progress, --json summary, exit codes 0/1/2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lattice_deploy.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "myservice"


def test_local_json_summary_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deploy", str(EXAMPLE), "--local", "--json"]) == 0
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert summary["status"] == "SUCCEEDED"
    assert [t["status"] for t in summary["targets"]] == ["HEALTHY"] * 3
    assert summary["calls"]["phases"]["deploy"]["mutating"] == 8 and summary["calls"]["read"] > 0
    # the execution's virtual time: the tasks run at 30 s, pass their first check within the
    # next 30 s interval, and the gate looks when that interval ends
    assert 30 < summary["seconds"] < 90
    assert {r["action"] for r in summary["resources"]} == {"created", "skipped"}
    assert all(
        r["arn"].startswith("arn:aws:") for r in summary["resources"] if r["action"] == "created"
    )
    assert "✓ ensure_lattice               6 created, 1 skipped" in err
    assert "+ created dev-myservice-targetgroup  (targetGroup)" in err
    assert "SUCCEEDED: myservice is behind VPC Lattice" in err


def test_progress_goes_to_stdout_without_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deploy", str(EXAMPLE), "--local"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("lattice-deploy: deploying myservice")
    waits = [line.split() for line in lines if line.strip().startswith("… wait_for_health")]
    assert waits and all(int(w[-1].rstrip("s")) > 0 for w in waits)  # check_health's waitSeconds
    assert lines[-1].startswith("SUCCEEDED")


def test_a_directory_without_a_bundle_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deploy", str(tmp_path), "--local"]) == 2
    assert "no ecspresso config: looked for ecspresso.yml" in capsys.readouterr().out


def test_truncated_json_exits_2_naming_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "b"
    shutil.copytree(EXAMPLE, bundle)
    text = (bundle / "ecs-service-def.json").read_text()
    (bundle / "ecs-service-def.json").write_text(text[: len(text) // 2])
    assert main(["deploy", str(bundle), "--local"]) == 2  # refused before any upload
    out = capsys.readouterr().out
    assert "invalid bundle" in out and "ecs-service-def.json:" in out and "invalid JSON" in out


def test_a_failed_deploy_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "b"
    shutil.copytree(EXAMPLE, bundle)
    service = json.loads((bundle / "ecs-service-def.json").read_text())
    service["vpcLatticeConfiguration"]["targetGroupArn"] = (
        "arn:aws:vpc-lattice:ap-northeast-1:123456789012:targetgroup/tg-12345678901234567"
    )
    (bundle / "ecs-service-def.json").write_text(json.dumps(service))
    assert main(["deploy", str(bundle), "--local"]) == 1
    assert "The specified VPC Lattice target group was not found" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["deploy", str(EXAMPLE), "--local", "--endpoint-url", "http://x"])
    assert exc.value.code == 2


def test_an_unreachable_endpoint_exits_2_saying_what_to_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["deploy", str(EXAMPLE), "--endpoint-url", f"http://127.0.0.1:{port}"]) == 2
    assert "Start `lattice-deploy serve`" in capsys.readouterr().out
