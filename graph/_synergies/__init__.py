"""The parts of `maillage.graph.synergies`, one module per step; import from `maillage.graph.synergies`.

`parameters` (names and numbers of the formulas), `model` (the sparse model cached on the index),
`filters` (field, resource, territory, radius, border, links), `rows` and `checks` (what every question
shares), one module per kind — `complementarity`, `pooling`, `affinity`, `triangles` — and `bridges`
(cross-border), `ranking` (the combined ranking, the network maxima and listing), `scan` (network-wide
block products), `results` (`Synergy`, `Pooling`, `Bridge`, `Reason`, `Ranked` and their sentences),
`example` (the docstrings' networks).
"""
