"""A Terraform state (version 4) in the shapes tfstate-lookup reads, for the plugin tests."""

from __future__ import annotations

import json

STATE = {
    "version": 4,
    "outputs": {
        "security_group": {"value": "sg-12345678", "type": "string"},
        "subnets": {"value": ["subnet-12345678", "subnet-87654321"], "type": ["list", "string"]},
    },
    "resources": [
        {
            "mode": "managed",
            "type": "aws_subnet",
            "name": "private",
            "each": "map",
            "instances": [
                {"index_key": "a", "attributes": {"id": "subnet-12345678", "tags": {"Name": "a"}}},
                {"index_key": "c", "attributes": {"id": "subnet-87654321", "tags": {"Name": "c"}}},
            ],
        },
        {
            "mode": "managed",
            "type": "aws_ecr_repository",
            "name": "app",
            "each": "list",
            "instances": [{"index_key": 0, "attributes": {"repository_url": "nginx"}}],
        },
        {
            "module": "module.app",
            "mode": "managed",
            "type": "aws_iam_role",
            "name": "task",
            "instances": [
                {"attributes": {"arn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"}}
            ],
        },
        {
            "mode": "data",
            "type": "aws_caller_identity",
            "name": "current",
            "instances": [{"attributes": {"account_id": "123456789012"}}],
        },
    ],
}
RAW = json.dumps(STATE).encode()
