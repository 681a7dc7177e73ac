"""VPC Lattice in the embedded AWS (moto's, extended): models / responses / urls."""
