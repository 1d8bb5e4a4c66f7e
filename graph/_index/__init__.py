"""The parts of `maillage.graph.index`; import from `maillage.graph.index`.

`records` (the index and its records), `vocabulary` (the terms read), `reading` (one pattern query per
predicate, literal conversions), `territories` (the `mai:within` walk), `concepts` and `actors` (the
builders), `build` (`build_index`, which puts them together).
"""
