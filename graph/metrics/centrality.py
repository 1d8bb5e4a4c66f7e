"""Centralities of the collaboration graph: degree, betweenness (exact or sampled, error stated), eigenvector.

Definitions (docs/decisions/20261128-network-metrics.md), on the view's n actors and m links:
    degree        number of distinct collaborators; degree centrality = degree / (n − 1)
    betweenness   Σ_{s<t} σ_st(v) / σ_st · 2 / ((n − 1)(n − 2))  (networkx's normalised value)
    eigenvector   x = (A + I)x / ‖(A + I)x‖₂ iterated from x = 1 (networkx's power iteration)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse import linalg as sparse_linalg

from maillage.graph.index import NetworkIndex
from maillage.graph.metrics import engine
from maillage.graph.metrics.texts import metric_text, number
from maillage.graph.metrics.view import CollaborationView, collaboration_view, memo

FloatArray = npt.NDArray[np.float64]
BetweennessMode = Literal["auto", "exact", "sampled"]
CentralityName = Literal["degree", "betweenness", "eigenvector"]

#: exact betweenness when n · (n + m) stays under this (about 2.6 s here: one BFS of O(n + m) per source)
EXACT_BETWEENNESS_MAX_WORK = 100_000_000
#: sources drawn when the betweenness is sampled (0.6 to 2 s at 25,000 actors and 100,000 links here)
DEFAULT_SAMPLE_SOURCES = 256
#: the sampled sources are split into this many batches to estimate the standard error
DEFAULT_BATCHES = 8
#: risk of the Hoeffding bound reported beside the standard error
HOEFFDING_RISK = 0.05
EIGENVECTOR_MAX_ITERATIONS = 1000
EIGENVECTOR_TOLERANCE = 1e-6
#: how many of the most between actors the relative error is averaged over
TOP_ERROR_COUNT = 10


@dataclass(frozen=True)
class ActorCentrality:
    """The centralities of one actor."""

    key: str
    degree: int
    degree_centrality: float
    betweenness: float
    #: the standard error of `betweenness` (0 when exact)
    betweenness_error: float
    eigenvector: float


@dataclass(frozen=True)
class BetweennessMethod:
    """How the betweenness was obtained, and how wrong it may be.

    `method` is ``"exact"`` or ``"échantillonné (k=256, graine=0)"``. For a sampled value, `max_error` and
    `mean_error` are the largest and the mean standard error over the actors, estimated from the spread of
    `batches` independent batches of sources; `top_relative_error` is the mean of error / value over the
    `TOP_ERROR_COUNT` most between actors; `hoeffding_bound` is a guaranteed (loose) bound: each actor's
    estimate is within it of the exact value with probability at least 1 − `HOEFFDING_RISK`.

    The batch standard error is a fair guide where it matters — the most between actors (measured at
    25,000 actors, top 10: stated 11.3 %, actual 13.9 % at k = 256; 7.8 % and 7.4 % at k = 512) — but it
    reads 0 for an actor no batch saw on a path, whose true value is small but not always 0: `mean_error`
    understates the mean error (0.00006 stated, 0.00009 actual at k = 256). The Hoeffding bound holds for
    every actor (largest actual error 0.019 against a bound of 0.085 at k = 256).
    """

    method: str
    exact: bool
    sources: int
    seed: int | None
    batches: int
    max_error: float
    mean_error: float
    top_relative_error: float
    hoeffding_bound: float
    n: int

    def sentence(self, lang: str = "fr") -> str:
        """The method and its error in words.

        >>> BetweennessMethod("exact", True, 4, None, 1, 0.0, 0.0, 0.0, 0.0, 4).sentence()
        'Intermédiarité exacte (algorithme de Brandes, toutes les 4 sources).'
        """
        if self.exact:
            return metric_text(lang, "betweenness_exact", n=self.n)
        top = (
            metric_text(
                lang,
                "betweenness_top_error",
                relative=number(lang, 100 * self.top_relative_error, 1),
                count=min(TOP_ERROR_COUNT, self.n),
            )
            if self.top_relative_error > 0
            else ""
        )
        return metric_text(
            lang,
            "betweenness_sampled",
            k=self.sources,
            n=self.n,
            seed=self.seed,
            batches=self.batches,
            max_error=number(lang, self.max_error, 5),
            top=top,
            bound=number(lang, self.hoeffding_bound, 3),
            confidence=round(100 * (1 - HOEFFDING_RISK)),
        )


@dataclass(frozen=True)
class Centralities:
    """Every actor's centralities (index order) and how the betweenness was computed."""

    actors: tuple[ActorCentrality, ...]
    betweenness_method: BetweennessMethod
    #: e.g. "itération de puissance sur A + I (57 itérations)"
    eigenvector_method: str
    n: int
    m: int
    include_private: bool

    def ranked(self, by: CentralityName = "betweenness") -> list[ActorCentrality]:
        """The actors, most central first by `by` (ties: higher degree, then key).

        >>> from maillage.graph.metrics.view import example_index
        >>> [a.key for a in centralities(example_index()).ranked("betweenness")]
        ['bea', 'ane', 'cole', 'dan']
        """
        if by not in ("degree", "betweenness", "eigenvector"):
            raise ValueError(f"Centralité inconnue : « {by} » (degree, betweenness ou eigenvector)")
        return sorted(self.actors, key=lambda a: (-getattr(a, by), -a.degree, a.key))

    def of(self, key: str) -> ActorCentrality:
        """One actor's centralities; `KeyError` when the view does not hold it."""
        for actor in self.actors:
            if actor.key == key:
                return actor
        raise KeyError(key)


def centralities(
    index: NetworkIndex,
    *,
    include_private: bool = False,
    betweenness: BetweennessMode = "auto",
    sources: int = DEFAULT_SAMPLE_SOURCES,
    seed: int = 0,
    batches: int = DEFAULT_BATCHES,
    exact_max_work: int = EXACT_BETWEENNESS_MAX_WORK,
) -> Centralities:
    """Degree, betweenness and eigenvector centrality of every actor of the collaboration graph.

    Parameters
    ----------
    index : NetworkIndex
    include_private : bool
        Keep private persons and their links (animators only); the public view leaves them out.
    betweenness : "auto" | "exact" | "sampled"
        "auto" is exact when n · (n + m) ≤ `exact_max_work` or `sources` ≥ n, sampled otherwise.
    sources, seed, batches
        The sample: `sources` source actors drawn without replacement with `numpy.random.default_rng(seed)`,
        split into `batches` batches whose spread gives the standard error.

    Returns
    -------
    Centralities
        Memoised on the index per set of arguments.

    Cost: degree O(n + m); eigenvector O(m) per iteration; betweenness O(n · (n + m)) exact,
    O(k · (n + m)) sampled. At 25,000 actors and 100,000 links, sampled: 1 to 3 s together here.

    Examples
    --------
    Path ane – bea – cole plus dan alone (the private person eve is left out): bea lies on the one
    shortest path between ane and cole, 1 of the (n − 1)(n − 2) / 2 = 3 pairs not involving it.

    >>> from maillage.graph.metrics.view import example_index
    >>> result = centralities(example_index())
    >>> [(a.key, a.degree, round(a.betweenness, 4)) for a in result.actors]
    [('ane', 1, 0.0), ('bea', 2, 0.3333), ('cole', 1, 0.0), ('dan', 0, 0.0)]
    >>> result.betweenness_method.method
    'exact'
    """
    if betweenness not in ("auto", "exact", "sampled"):
        raise ValueError(f"Méthode d'intermédiarité inconnue : « {betweenness} » (auto, exact ou sampled)")
    if sources < 1 or batches < 1:
        raise ValueError(f"Échantillon invalide : sources={sources}, lots={batches} (au moins 1 chacun)")
    key = ("centralities", include_private, betweenness, sources, seed, batches, exact_max_work)
    return memo(
        index,
        key,
        lambda: _compute(
            collaboration_view(index, include_private=include_private),
            mode=betweenness,
            sources=sources,
            seed=seed,
            batches=batches,
            exact_max_work=exact_max_work,
        ),
    )


def _compute(
    view: CollaborationView,
    *,
    mode: BetweennessMode,
    sources: int,
    seed: int,
    batches: int,
    exact_max_work: int,
) -> Centralities:
    n = view.n
    degrees = view.degrees()
    degree_centrality = degrees / (n - 1) if n > 1 else np.ones(n)
    exact = mode == "exact" or (mode == "auto" and (n * (n + view.m) <= exact_max_work or sources >= n))
    if mode == "sampled" and sources >= n:
        exact = True
    if exact:
        values, errors, method = _exact_betweenness(view)
    else:
        values, errors, method = _sampled_betweenness(view, sources=sources, seed=seed, batches=batches)
    eigenvector, eigen_method = eigenvector_centrality(view.adjacency)
    actors = tuple(
        ActorCentrality(
            key=key,
            degree=int(degrees[v]),
            degree_centrality=float(degree_centrality[v]),
            betweenness=float(values[v]),
            betweenness_error=float(errors[v]),
            eigenvector=float(eigenvector[v]),
        )
        for v, key in enumerate(view.keys)
    )
    return Centralities(
        actors=actors,
        betweenness_method=method,
        eigenvector_method=eigen_method,
        n=n,
        m=view.m,
        include_private=view.include_private,
    )


def _scale(n: int) -> float:
    """From the unnormalised value (each pair once) to networkx's normalised betweenness."""
    return 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0


def _exact_betweenness(view: CollaborationView) -> tuple[FloatArray, FloatArray, BetweennessMethod]:
    n = view.n
    values = engine.betweenness_raw(view.igraph()) * _scale(n)
    method = BetweennessMethod(
        method="exact",
        exact=True,
        sources=n,
        seed=None,
        batches=1,
        max_error=0.0,
        mean_error=0.0,
        top_relative_error=0.0,
        hoeffding_bound=0.0,
        n=n,
    )
    return values, np.zeros(n), method


def _sampled_betweenness(
    view: CollaborationView, *, sources: int, seed: int, batches: int
) -> tuple[FloatArray, FloatArray, BetweennessMethod]:
    """Brandes' dependencies from k sources drawn without replacement, scaled by n / k (unbiased).

    Each batch b of k_b sources gives its own unbiased estimate (n / k_b) · Σ_{s ∈ b} δ_s(v); the
    estimate is their mean weighted by size (= (n / k) Σ_s δ_s(v)), its standard error the standard
    deviation of the batch estimates divided by √batches.
    """
    n = view.n
    k = min(sources, n)
    batch_count = max(1, min(batches, k))
    chosen = np.random.default_rng(seed).choice(n, size=k, replace=False)
    graph = view.igraph()
    groups: Sequence[npt.NDArray[np.int64]] = np.array_split(chosen, batch_count)
    estimates = np.empty((batch_count, n))
    sizes = np.empty(batch_count)
    for b, group in enumerate(groups):
        raw = engine.betweenness_raw(graph, sources=[int(s) for s in group])
        estimates[b] = raw * (n / len(group)) * _scale(n)
        sizes[b] = len(group)
    values = (estimates * sizes[:, None]).sum(axis=0) / sizes.sum()
    if batch_count > 1:
        errors = estimates.std(axis=0, ddof=1) / math.sqrt(batch_count)
    else:
        errors = np.full(n, np.nan)
    top = np.argsort(-values, kind="stable")[: min(TOP_ERROR_COUNT, n)]
    top = top[values[top] > 0]
    relative = float(np.mean(errors[top] / values[top])) if len(top) and batch_count > 1 else 0.0
    # Each term n·δ_s(v) / ((n−1)(n−2)) lies in [0, n/(n−1)]; Hoeffding (valid without replacement):
    bound = n / (n - 1) * math.sqrt(math.log(2 / HOEFFDING_RISK) / (2 * k)) if n > 1 else 0.0
    method = BetweennessMethod(
        method=f"échantillonné (k={k}, graine={seed})",
        exact=False,
        sources=k,
        seed=seed,
        batches=batch_count,
        max_error=float(np.nanmax(errors)) if n else 0.0,
        mean_error=float(np.nanmean(errors)) if n else 0.0,
        top_relative_error=relative,
        hoeffding_bound=bound,
        n=n,
    )
    return values, errors, method


def eigenvector_centrality(adjacency: sparse.csr_array) -> tuple[FloatArray, str]:
    """networkx's eigenvector centrality (unit Euclidean norm) of a symmetric 0/1 adjacency matrix.

    Power iteration on A + I from the all-ones vector, stopped when the L1 change falls under n · 10⁻⁶,
    as `networkx.eigenvector_centrality` does (the shift by I makes it converge on bipartite graphs too; on a
    disconnected graph the weight gathers on the component with the largest eigenvalue). If 1,000
    iterations do not converge, ARPACK (`scipy.sparse.linalg.eigsh`) gives the leading eigenvector.

    >>> path = sparse.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0.0]]))
    >>> values, method = eigenvector_centrality(path)
    >>> [round(float(v), 4) for v in values], method.startswith("itération de puissance")
    ([0.5, 0.7071, 0.5], True)
    """
    n = adjacency.shape[0]
    if n == 0:
        return np.zeros(0), "aucun acteur"
    shifted = (adjacency + sparse.eye_array(n, format="csr")).tocsr()
    x = np.full(n, 1.0 / n)
    for iteration in range(1, EIGENVECTOR_MAX_ITERATIONS + 1):
        previous = x
        x = shifted @ previous
        norm = float(np.linalg.norm(x))
        x = x / norm if norm > 0 else x
        if float(np.abs(x - previous).sum()) < n * EIGENVECTOR_TOLERANCE:
            return x, f"itération de puissance sur A + I ({iteration} itérations)"
    _values, vectors = sparse_linalg.eigsh(shifted, k=1, which="LA", v0=np.ones(n))
    vector = np.abs(vectors[:, 0])
    return vector / np.linalg.norm(vector), "ARPACK (itération de puissance non convergée)"
