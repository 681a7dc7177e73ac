"""One module per Task state of ``statemachine/*.asl.json``, named as the state: its handler and
thin glue.

Each is served by its own Lambda (``Handler: deployer.states.<state>.handler``); what a state
does is in the domain rooms it calls (``bundle``, ``lattice``, ``ecs``, ``health``,
``rollback``)."""
