"""The parts of `maillage.graph.synergies`, one module per step; import from `maillage.graph.synergies`.

`parameters` (names and numbers of the formulas), `model` (the sparse model cached on the index),
`rows` and `checks` (what every question shares), `complementarity`, `affinity`, `ranking` (combined
and network-wide), `results` (`Synergy`, `Reason` and their sentences), `example` (the docstrings' network).
"""
