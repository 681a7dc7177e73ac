"""The ``lattice-deploy`` command: one module per verb, as ecspresso has one file per command."""
