"""IAM in the embedded AWS: moto's, plus the policy simulator it lacks (:mod:`.models`)."""
