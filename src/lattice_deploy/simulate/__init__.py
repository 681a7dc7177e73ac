"""``lattice-deploy request``: what VPC Lattice would do with one request, from read calls only.

One concern per module: :mod:`.context` (the request and the keys a policy sees),
:mod:`.conditions` (IAM condition operators), :mod:`.policy` (an auth policy's statements),
:mod:`.router` (listener, rule, weights, targets), :mod:`.reader` (the VPC Lattice read calls),
:mod:`.answer` (reachability, then auth, then routing: the verdict).

Why apart from ``runner``: it reads whatever made the service (this deployer, another tool, the
console), so it knows only what the VPC Lattice API returns, on the embedded AWS or a real account.
"""
