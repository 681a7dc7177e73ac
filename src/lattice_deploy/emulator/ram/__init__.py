"""AWS RAM: moto's, with VPC Lattice service networks shareable and invitations between accounts."""
