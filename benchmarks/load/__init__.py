"""Load tests of the API on 127.0.0.1 with wrk (issue 7, item 1): ``python -m benchmarks.load``."""
