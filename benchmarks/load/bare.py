"""The baseline server: a bare Starlette endpoint answering precomputed top scores from numpy.

The floor of an API answering « the best synergies of actor K » in this stack (uvicorn, one process): no
analysis, no validation models, the ranking already computed. Run as
``python -m benchmarks.load.bare PORT KEYS_FILE``; ``GET /top/{key}`` answers the 20 best (seeded random
scores of a dense matrix row, `argpartition`ed in advance) as JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOP = 20


def make_app(keys: list[str], *, seed: int = 0) -> Starlette:
    rng = np.random.default_rng(seed)
    position = {key: i for i, key in enumerate(keys)}
    n = len(keys)
    top = np.empty((n, TOP), dtype=np.int64)
    scores = np.empty((n, TOP), dtype=np.float64)
    for start in range(0, n, 1000):  # a dense score matrix, 1,000 rows at a time
        block = rng.random((min(1000, n - start), n))
        best = np.argpartition(-block, TOP, axis=1)[:, :TOP]
        values = np.take_along_axis(block, best, axis=1)
        order = np.argsort(-values, axis=1)
        top[start : start + len(block)] = np.take_along_axis(best, order, axis=1)
        scores[start : start + len(block)] = np.take_along_axis(values, order, axis=1)

    def answer(request: Request) -> Response:
        row = position.get(request.path_params["key"])
        if row is None:
            return JSONResponse({"error": "inconnu"}, status_code=404)
        data = [
            {"id": keys[j], "score": round(float(s), 6)} for j, s in zip(top[row], scores[row], strict=True)
        ]
        return Response(json.dumps({"data": data, "count": TOP}), media_type="application/json")

    return Starlette(routes=[Route("/top/{key}", answer)])


if __name__ == "__main__":
    port, keys_file = int(sys.argv[1]), Path(sys.argv[2])
    keys = keys_file.read_text("utf-8").split()
    uvicorn.run(make_app(keys), host="127.0.0.1", port=port, log_level="warning")
