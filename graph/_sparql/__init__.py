"""The SPARQL endpoint's parts: limits and answers (`model`), result formats (`formats`, `results`), the
query check (`checks`), the snapshot of visible data (`snapshot`), and the worker processes (`wire`,
`zygote`, `child`).

The public entry point is `maillage.graph.sparql`; the modules here are its parts.
"""
