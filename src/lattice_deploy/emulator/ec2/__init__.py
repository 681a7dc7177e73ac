"""EC2, corrected where the deployer reads it (see :mod:`.models`)."""
