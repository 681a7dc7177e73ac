"""Functions EventBridge starts (not states): an S3 upload, an ECR push, a stopped execution.

``start_deployment`` and ``start_redeployments`` start the deploy state machine through
:mod:`.request`; ``clean_up_stopped`` starts the cleanup one."""
