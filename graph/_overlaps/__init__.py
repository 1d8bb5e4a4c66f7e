"""The parts of `maillage.graph.overlaps`, one module per step; import from `maillage.graph.overlaps`.

`parameters` (names and numbers of the formulas), `model` (the sparse model cached on the index),
`checks` (the arguments), `scan` (scores of many pairs at once, the network-wide grid), `activity`
(`activity_overlaps`, `overlap_page`, one pair explained), `identifiers` (`read_identifiers`), `names`
(`normalise_name`, nearly identical names nearby), `duplicates` (`duplicate_records`), `results` (what the
questions return) and `texts` (their sentences), `example` (the docstrings' network).
"""
