"""Service Quotas in the embedded AWS: moto's (VPC), plus VPC Lattice's and ECS's quotas."""
