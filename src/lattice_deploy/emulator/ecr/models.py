"""ECR registered in moto's place: a pushed image emits ``ECR Image Action`` on EventBridge.

Why: the ECR trigger is an EventBridge rule on ``PUSH``/``SUCCESS``; moto 5.2 stores the image
(with a digest of its layers, where AWS digests the manifest) but emits nothing, so ``aws ecr
put-image`` could not start a deployment. The event carries the
fields AWS documents (repository-name, image-digest, image-tag, action-type, result) on the
account's default bus, where the template's rule picks it up.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from moto.core.base_backend import BackendDict
from moto.ecr.models import ECRBackend, Image
from moto.events.models import events_backends


class PushEventsBackend(ECRBackend):
    def put_image(
        self,
        repository_name: str,
        image_manifest: str,
        image_tag: str,
        image_manifest_mediatype: str | None = None,
        digest: str | None = None,
    ) -> Image:
        # AWS's digest is the manifest's own sha256 (moto hashes only the layers' digests).
        digest = digest or "sha256:" + hashlib.sha256(image_manifest.encode()).hexdigest()
        image = super().put_image(
            repository_name, image_manifest, image_tag, image_manifest_mediatype, digest
        )
        self.emit_push(repository_name, image.get_image_digest(), image_tag)
        return image

    def emit_push(self, repository: str, digest: str, tag: str | None) -> None:
        detail: dict[str, Any] = {
            "result": "SUCCESS",
            "repository-name": repository,
            "image-digest": digest,
            "action-type": "PUSH",
        }
        if tag:
            detail["image-tag"] = tag
        events_backends[self.account_id][self.region_name].put_events(
            [
                {
                    "Source": "aws.ecr",
                    "DetailType": "ECR Image Action",
                    "Detail": json.dumps(detail),
                    "Resources": [],
                }
            ]
        )


ecr_backends: BackendDict[PushEventsBackend] = BackendDict(PushEventsBackend, "ecr")
