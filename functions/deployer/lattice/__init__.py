"""VPC Lattice: find-or-create (:mod:`.find_or_create`), the eight parts of state
``ensure_lattice`` (``ensure_<part>``), and what is checked before any change (adopted
resources, quotas, ingress, derived names, the health check)."""
