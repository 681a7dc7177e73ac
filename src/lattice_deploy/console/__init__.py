"""The local console: ``serve``'s page at ``/_lattice-deploy/console`` (:mod:`.routes`)."""
