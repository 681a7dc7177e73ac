"""What every room uses: boto3 clients and call counts (:mod:`.aws`, :mod:`.calls`), typed errors,
the step frame, strict JSON, desired ⊆ actual, the per-service order, the run's announcement.
Imports nothing else of ``deployer``."""
