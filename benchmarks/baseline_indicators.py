"""Baseline (d) of the network indicators: igraph (networkx when igraph is missing) on the public
collaboration graph of an index."""

from __future__ import annotations

import importlib.util
import warnings
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

from maillage.graph.index import NetworkIndex

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
HAS_IGRAPH = importlib.util.find_spec("igraph") is not None


@dataclass
class GraphIndicators:
    """What baseline (d) computed, to compare with Maillage's indicators."""

    library: str
    degree: IntArray
    betweenness: FloatArray  # normalised as networkx; sampled when `sources` < n
    eigenvector: FloatArray
    communities: int
    coreness: IntArray
    components: int


def public_graph(index: NetworkIndex) -> tuple[int, IntArray, FloatArray]:
    """The public collaboration graph as (n, edges u < v in key order, weights = projects + partnership)."""
    rows = [i for i, a in enumerate(index.actors) if a.is_public]
    vertex = {index.actors[i].key: v for v, i in enumerate(rows)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for a, b, data in index.collaboration.edges(data=True):
        if a in vertex and b in vertex and a != b:
            u, v = sorted((vertex[a], vertex[b]))
            edges.append((u, v))
            weights.append(len(data.get("projects", ())) + (1.0 if data.get("partnership") else 0.0))
    return len(rows), np.asarray(edges, dtype=np.int64).reshape(-1, 2), np.asarray(weights)


def graph_indicators(
    n: int, edges: IntArray, weights: FloatArray, *, sources: int = 256, seed: int = 0
) -> GraphIndicators:
    """Baseline (d): igraph (or networkx) degree, betweenness (exact when `sources` ≥ n, else that many
    sources drawn with ``default_rng(seed)``, scaled by n / k), eigenvector, Leiden (modularity, 2
    iterations; networkx: Louvain), coreness and connected components.

    igraph's betweenness from a set of sources is the half-sum ``½ Σ_s δ_s(v)`` on an undirected graph (all
    sources give the exact value), so the estimate is ``(n / k) · raw``, normalised as networkx's.
    """
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(n, size=min(sources, n), replace=False)) if n else np.zeros(0, dtype=np.int64)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    factor = n / len(chosen) if len(chosen) else 0.0
    if HAS_IGRAPH:
        import igraph  # type: ignore[import-untyped]

        graph = igraph.Graph(n=n, edges=edges.tolist(), directed=False)
        degree = np.asarray(graph.degree(), dtype=np.int64)
        if len(chosen) >= n:
            raw = np.asarray(graph.betweenness(directed=False))
        else:
            raw = np.asarray(graph.betweenness(directed=False, sources=chosen.tolist())) * factor
        with warnings.catch_warnings():  # « not meaningful for disconnected graphs »: known, as in Maillage
            warnings.simplefilter("ignore", RuntimeWarning)
            eigenvector = np.asarray(graph.eigenvector_centrality(scale=False))
        eigenvector = eigenvector / (np.linalg.norm(eigenvector) or 1.0)  # unit Euclidean norm, as networkx
        communities = graph.community_leiden(
            objective_function="modularity", weights=weights.tolist(), n_iterations=2
        )
        coreness = np.asarray(graph.coreness(), dtype=np.int64)
        components = len(graph.connected_components())
        return GraphIndicators(
            "igraph " + igraph.__version__,
            degree,
            raw * scale,
            eigenvector,
            len(communities),
            coreness,
            components,
        )
    nx_graph: nx.Graph[int] = nx.Graph()
    nx_graph.add_nodes_from(range(n))
    nx_graph.add_weighted_edges_from(
        (int(u), int(v), float(w)) for (u, v), w in zip(edges, weights, strict=True)
    )
    degree = np.array([d for _v, d in sorted(nx_graph.degree())], dtype=np.int64)
    between = nx.betweenness_centrality(nx_graph, k=None if len(chosen) >= n else len(chosen), seed=seed)
    eigen = nx.eigenvector_centrality(nx_graph, max_iter=1000)
    found = nx.community.louvain_communities(nx_graph, weight="weight", seed=seed)
    core = nx.core_number(nx_graph)
    return GraphIndicators(
        "networkx " + nx.__version__,
        degree,
        np.array([between[v] for v in range(n)]),
        np.array([eigen[v] for v in range(n)]),
        len(found),
        np.array([core[v] for v in range(n)], dtype=np.int64),
        nx.number_connected_components(nx_graph),
    )
