"""Putting things back: what existed before the run (:mod:`.baseline`), the ledger a rollback's
passes share (:mod:`.undo`), its ECS and VPC Lattice halves, and the record of a rollback that
has not finished (:mod:`.leftovers`)."""
