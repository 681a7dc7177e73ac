"""lattice-deploy: put an Amazon ECS service behind Amazon VPC Lattice, safely."""

__version__ = "0.1.0"
