"""The state machines as graphs: :mod:`.layout` places them (docs/*.svg and the console draw the
same places through :mod:`lattice_deploy.picture`)."""
