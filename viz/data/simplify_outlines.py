"""Write `communes-64-40.json`, the commune outlines the map draws, from the real files in ../shared/data.

Run from the repository root: ``python viz/data/simplify_outlines.py``. Each polygon ring is simplified
(Ramer–Douglas–Peucker, tolerance 0.002°, about 160 m) and its coordinates rounded to 4 decimals (about
10 m): the map shows a département on one screen, where a pixel is several hundred metres.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE.parents[1].parent / "shared" / "data" / "geo-64-40" / "raw"
FILES = ("communes-64-pyrenees-atlantiques.geojson", "communes-40-landes.geojson")
TOLERANCE = 0.002


def _distance(point: list[float], start: list[float], end: list[float]) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    if (x1, y1) == (x2, y2):
        return math.hypot(x - x1, y - y1)
    return abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / math.hypot(x2 - x1, y2 - y1)


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Ramer–Douglas–Peucker, iterative; the first and last points are kept."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, first
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def main() -> None:
    communes: dict[str, dict[str, object]] = {}
    for name in FILES:
        for feature in json.loads((RAW / name).read_text(encoding="utf-8"))["features"]:
            geometry = feature["geometry"]
            polygons = geometry["coordinates"]
            if geometry["type"] == "Polygon":
                polygons = [polygons]
            rings = []
            for polygon in polygons:
                for ring in polygon:
                    small = [[round(x, 4), round(y, 4)] for x, y in simplify(ring, TOLERANCE)]
                    if len(small) >= 4:
                        rings.append(small)
            communes[feature["properties"]["code"]] = {"nom": feature["properties"]["nom"], "rings": rings}
    out = HERE / "communes-64-40.json"
    out.write_text(json.dumps(communes, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    points = sum(len(ring) for commune in communes.values() for ring in commune["rings"])
    print(f"{len(communes)} communes, {points} points → {out}")


if __name__ == "__main__":
    main()
