"""Benchmarks of Maillage at 500 / 25,000 / 250,000 actors, each figure beside its hand-written baseline.

`generate` writes seeded, realistic networks straight into a store; `baselines` holds the best
hand-written computation of each measured query; `naive` the plain-Python formulation of the scores
used to check that Maillage's answers are right; `run` measures and prints the table
(``python -m benchmarks.run --size 25000``). See benchmarks/README.md.
"""
