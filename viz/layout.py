"""Server-side placement and sizing of nodes, so the browser draws a stable picture at once (DESIGN §7)."""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping

import networkx as nx
import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from maillage.viz.forces import force_layout, principal_axes, separate_discs

NODE_SPACING = 120.0
"""Room per node when no *scale* is given: the main picture then spans a half-width of
``NODE_SPACING × √(number of nodes)`` canvas units, so nodes (radius 10 to 40 units by default) keep about
the same density, hence the same size on screen once the picture is fitted, in a network of any size."""

ASPECT = 1.4
"""Width / height the whole picture is stretched towards: landscape, like the drawing areas of the pages."""

MAX_STRETCH = 1.5
"""Largest horizontal stretch applied to reach :data:`ASPECT`; labels are wide, so a horizontal stretch
gives them room."""

COMPONENT_GAP = 1.0
"""Room left between connected components, in units where a component of n nodes has radius √n."""

SATELLITE_FRACTION = 0.2
"""Components smaller than this fraction of the largest are not packed around it but put on the shelf,
under the picture, with the nodes that have no link."""

SHELF_GAP = 0.2
"""Distance from the lowest node of the main picture to the first row of the shelf, as a multiple of
``scale``."""

SHELF_SLOT = 0.4
"""Width of the place of a node with no link on the shelf (room for its label), as a multiple of ``scale``;
a small component gets its own width plus this."""

SHELF_ROW = 0.12
"""Height of a row of the shelf (under the height of its tallest component), as a multiple of ``scale``."""

NODE_GAP = 6.0
"""Smallest room between the discs of two nodes after the overlap-removal pass, in canvas units."""

DEFAULT_ITERATIONS = 50


def _sorted_nodes(graph: nx.Graph) -> list[tuple[str, Hashable]]:
    named = sorted(((str(node), node) for node in graph.nodes), key=lambda pair: pair[0])
    for (first, _), (second, node) in zip(named, named[1:], strict=False):
        if first == second:
            raise ValueError(
                f"Two nodes of the graph are both written {str(node)!r}; give them distinct ids."
            )
    return named


def _has_neighbour(graph: nx.Graph, node: Hashable) -> bool:
    """Whether *node* has a link to another node, in either direction."""
    return any(neighbour != node for neighbour in nx.all_neighbors(graph, node))


def _pack_components(radii: list[float]) -> list[tuple[float, float]]:
    """Centres for discs of the given radii (largest first): the first at the origin, the others on orbits.

    Each orbit is a circle around what is already placed, ``COMPONENT_GAP`` away; discs go round it side
    by side, and the discs of an orbit are spread evenly over the whole turn.
    """
    centres: list[tuple[float, float]] = [(0.0, 0.0)]
    inner = outer = radii[0]
    orbit: list[tuple[int, float]] = []  # (disc, angular width) on the orbit being filled
    orbit_radius = 0.0

    def close_orbit() -> None:
        total = sum(width for _, width in orbit)
        turned = 0.0
        for disc, width in orbit:
            angle = (turned + width / 2) * 2 * math.pi / total
            centres[disc] = (orbit_radius * math.cos(angle), orbit_radius * math.sin(angle))
            turned += width

    for disc, radius in enumerate(radii[1:], start=1):
        centres.append((0.0, 0.0))
        if orbit:
            width = 2 * math.asin(min(1.0, (radius + COMPONENT_GAP / 2) / orbit_radius))
            if sum(used for _, used in orbit) + width > 2 * math.pi:
                close_orbit()
                inner = outer
                orbit = []
        if not orbit:
            # Discs come largest first, so the first disc of an orbit sets its radius.
            orbit_radius = inner + COMPONENT_GAP + radius
            outer = orbit_radius + radius
        width = 2 * math.asin(min(1.0, (radius + COMPONENT_GAP / 2) / orbit_radius))
        orbit.append((disc, width))
    if orbit:
        close_orbit()
    return centres


def _edge_arrays(
    graph: nx.Graph, position_of: Mapping[Hashable, int], weight: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges as index arrays (smaller index first), in a canonical order, self-loops left out."""
    sources: list[int] = []
    targets: list[int] = []
    weights: list[float] = []
    for u, v, value in graph.edges(data=weight, default=1.0):
        if u == v:
            continue
        value = 1.0 if value is None else float(value)
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"Edge {u!r} – {v!r}: weight {value!r} must be a finite number ≥ 0.")
        first, second = sorted((position_of[u], position_of[v]))
        sources.append(first)
        targets.append(second)
        weights.append(value)
    # Floating-point sums depend on their order: a canonical order makes the picture independent of the
    # order in which edges were added.
    order = np.lexsort((weights, targets, sources))
    return (
        np.asarray(sources, dtype=np.intp)[order],
        np.asarray(targets, dtype=np.intp)[order],
        np.asarray(weights, dtype=float)[order],
    )


def _component_pictures(
    count: int, sources: np.ndarray, targets: np.ndarray, weights: np.ndarray, *, seed: int, iterations: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Lay out each connected component on its own: ``(its nodes, their coordinates)``, largest first.

    Each picture is centred, turned so its longest extent is horizontal, and given a radius of √(its size),
    so every component gets about the same room per node.
    """
    component_count, labels = connected_components(
        coo_array((np.ones(len(sources)), (sources, targets)), shape=(count, count)), directed=False
    )
    members = [np.flatnonzero(labels == label) for label in range(component_count)]
    # Largest first; ties by the first node in sorted order, so the packing is stable.
    members.sort(key=lambda nodes: (-len(nodes), int(nodes[0])))
    local = np.empty(count, dtype=np.intp)
    edge_component = labels[sources]
    pictures: list[tuple[np.ndarray, np.ndarray]] = []
    for nodes in members:
        local[nodes] = np.arange(len(nodes))
        inside = edge_component == labels[nodes[0]]
        picture = principal_axes(
            force_layout(
                len(nodes),
                local[sources[inside]],
                local[targets[inside]],
                weights[inside],
                seed=seed,
                iterations=iterations,
            )
        )
        farthest = float(np.sqrt((picture * picture).sum(axis=1)).max())
        pictures.append((nodes, picture * (math.sqrt(len(nodes)) / farthest if farthest > 0 else 0.0)))
    return pictures


def _shelf(
    pieces: list[np.ndarray], *, width: float, unit: float, stretch: float
) -> tuple[list[np.ndarray], float]:
    """Rows of small pictures under the main one: each piece's coordinates, and the height of the rows.

    *pieces* are small components (in √n units, turned into scale units by *unit* and *stretch*) or single
    nodes; they go left to right in rows at most *width* wide (a row always takes at least one), each row
    centred on x = 0, the first row's top at y = 0.
    """
    placed: list[np.ndarray] = []
    row: list[tuple[np.ndarray, float]] = []  # (piece, its place's width) on the row being filled
    top = 0.0

    def close_row() -> float:
        used = sum(place for _, place in row)
        left = -used / 2
        height = 0.0
        for piece, place in row:
            low, high = piece.min(axis=0), piece.max(axis=0)
            placed.append(piece + np.array([left + place / 2 - (low[0] + high[0]) / 2, top - low[1]]))
            left += place
            height = max(height, float(high[1] - low[1]))
        return height + SHELF_ROW

    for piece in pieces:
        scaled = piece * unit * np.array([stretch, 1.0])
        place = float(np.ptp(scaled[:, 0])) + SHELF_SLOT
        if row and sum(used for _, used in row) + place > width + 1e-9:
            top += close_row()
            row = []
        row.append((scaled, place))
    if row:
        top += close_row() - SHELF_ROW
    return placed, top


def _main_picture(
    pictures: list[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Pack the components of at least ``SATELLITE_FRACTION`` of the largest one round it, centred on the
    middle of their bounding box; return their nodes, their coordinates, and the smaller components."""
    largest = len(pictures[0][0])
    main = [picture for picture in pictures if len(picture[0]) >= SATELLITE_FRACTION * largest]
    centres = _pack_components([math.sqrt(len(nodes)) for nodes, _ in main])
    packed = np.concatenate(
        [picture + np.asarray(centre) for (_, picture), centre in zip(main, centres, strict=True)]
    )
    packed -= (packed.min(axis=0) + packed.max(axis=0)) / 2
    return np.concatenate([nodes for nodes, _ in main]), packed, pictures[len(main) :]


def _grid_width(count: int, *, aspect: float) -> float:
    """Width (units of scale) of a grid of *count* lone nodes whose width / height is about *aspect*:
    ``⌈√(count × aspect × SHELF_ROW / SHELF_SLOT)⌉`` columns of ``SHELF_SLOT``."""
    return math.ceil(math.sqrt(count * aspect * SHELF_ROW / SHELF_SLOT)) * SHELF_SLOT


def _stretch(
    width: float, height: float, pieces: list[np.ndarray], *, shelf_width: float, aspect: float
) -> float:
    """The horizontal stretch, within [1, MAX_STRETCH], that brings the whole picture closest to *aspect*.

    The main picture is *width* × *height* (√n units); once stretched by s and scaled to a width of 2, it
    is 2 · height / (width · s) high, and the shelf (whose height hardly depends on s) goes under it.
    """
    if height <= 0:
        return 1.0
    room = 2.0 / aspect
    if pieces:
        _, shelf_height = _shelf(pieces, width=shelf_width, unit=2.0 / width, stretch=1.0)
        room -= SHELF_GAP + shelf_height
    wanted = 2.0 * height / (width * room) if room > 0 else MAX_STRETCH
    return min(max(wanted, 1.0), MAX_STRETCH)


KEPT_LAYOUTS = 32
"""Layouts kept by :func:`layout_positions` for the same graph and parameters (a picture of 2,000 nodes is
about 200 kB): the analysis index is rebuilt after every write, and most writes (a description, a contact)
leave the drawn graphs as they were — the home page and the actor pages then skip their layout."""

_kept: OrderedDict[bytes, dict[str, tuple[float, float]]] = OrderedDict()
_kept_lock = threading.Lock()


def _layout_key(graph: nx.Graph, sizes: Mapping[str, float] | None, *parameters: object) -> bytes:
    """A digest of what the layout depends on: node ids, undirected edges and their weights, the sizes and
    the parameters — not the order of insertion (the layout does not depend on it either)."""
    weight = parameters[0]
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr(sorted(str(node) for node in graph)).encode())
    edges = sorted(
        (min(str(u), str(v)), max(str(u), str(v)), repr(value))
        for u, v, value in graph.edges(data=weight if isinstance(weight, str) else False)
    )
    digest.update(repr(edges).encode())
    digest.update(repr(None if sizes is None else sorted(sizes.items())).encode())
    digest.update(repr(parameters).encode())
    return digest.digest()


def layout_positions(
    graph: nx.Graph,
    *,
    seed: int = 42,
    scale: float | None = None,
    weight: str | None = "weight",
    iterations: int = DEFAULT_ITERATIONS,
    sizes: Mapping[str, float] | None = None,
    aspect: float = ASPECT,
) -> dict[str, tuple[float, float]]:
    """Place the nodes of *graph* in the plane, the same way every time for a given *seed*.

    The last :data:`KEPT_LAYOUTS` layouts are kept: the same graph with the same parameters gets a copy of
    its layout at once (the digest of the graph: about 20 ms for 16,000 edges, against 1 s of layout).

    Each connected component is laid out by a force model (Fruchterman–Reingold with ForceAtlas2's
    degree-weighted repulsion and gravity, *iterations* rounds), centred, turned so its longest extent is
    horizontal, and given a radius of √(its size). The largest component sits at the centre; components
    of at least ``SATELLITE_FRACTION`` of its size go round it on orbits ``COMPONENT_GAP`` apart. This
    main picture is stretched horizontally (by at most ``MAX_STRETCH``) so that the whole picture comes
    close to *aspect*, then scaled to span x ∈ [-scale, scale], centred on x = 0 and y = 0.

    Smaller components and the nodes with no link to another node go on a *shelf* just under the main
    picture (larger y: vis-network's y axis points down), ``SHELF_GAP × scale`` below its lowest node:
    rows each centred on x = 0, small components first (largest first), then single nodes in the sorted
    order of their ids, ``SHELF_SLOT × scale`` apart, rows ``SHELF_ROW × scale`` apart. Rows are as wide
    as the main picture, or wider when there are so many pieces that a grid of width / height close to
    *aspect* is wider (then also with no linked node at all).

    Last, nodes whose discs (radius ``sizes[node]``) come closer than ``NODE_GAP`` are pushed apart, which
    can move the picture slightly beyond its nominal bounds. The result does not depend on the insertion
    order of nodes or edges.

    Parameters
    ----------
    graph
        Any networkx graph; nodes are identified by ``str(node)``, direction and self-loops are ignored,
        parallel edges add up.
    seed
        Seed of the random start; another seed gives another, equally valid, picture.
    scale
        Half-width of the main picture, in vis-network canvas units. By default
        ``NODE_SPACING × √(number of nodes)``, so nodes keep about the same room, hence the same size on
        screen once the picture is fitted, whatever the size of the network.
    weight
        Edge attribute that strengthens the pull along an edge (default 1 when absent); ``None`` to
        ignore weights.
    iterations
        Rounds of the force model; fewer is faster and rougher.
    sizes
        Radius of each node as drawn, ``{str(node): size}``, for the overlap-removal pass; by default
        :func:`size_by_degree` of *graph*. Missing nodes count as the smallest size given.
    aspect
        Width / height the picture is stretched towards.

    Returns
    -------
    dict
        ``{str(node): (x, y)}`` for every node.

    Raises
    ------
    ValueError
        If *scale*, *aspect* or *iterations* is not positive, if a weight is negative or not finite, if a
        size is not a positive number, or if two nodes have the same ``str``.

    Notes
    -----
    Cost: O(Σ nᵢ² · iterations) time over the components (exact repulsion between all pairs of a
    component), O(128 · n) memory. Measured here with 50 iterations: about 1 s for one component of
    2,000 nodes and 16,000 edges; expect about 100× more for 20,000 nodes in one component, where a
    sampled or multilevel layout should take over.

    Examples
    --------
    >>> graph = nx.Graph([("a", "b")])
    >>> graph.add_nodes_from(["solo-1", "solo-2"])
    >>> positions = layout_positions(graph, scale=100.0)
    >>> sorted((round(x), round(y)) for x, y in (positions["a"], positions["b"]))
    [(-100, 0), (100, 0)]
    >>> [tuple(round(value) for value in positions[name]) for name in ("solo-1", "solo-2")]
    [(-20, 20), (20, 20)]
    """
    if scale is not None and not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}.")
    if not (math.isfinite(aspect) and aspect > 0):
        raise ValueError(f"aspect must be a positive number, got {aspect!r}.")
    if iterations < 1:
        raise ValueError(f"iterations must be at least 1, got {iterations!r}.")
    key = _layout_key(graph, sizes, weight, seed, scale, iterations, aspect)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return dict(found)
    positions = _layout(
        graph, seed=seed, scale=scale, weight=weight, iterations=iterations, sizes=sizes, aspect=aspect
    )
    with _kept_lock:
        _kept[key] = positions
        while len(_kept) > KEPT_LAYOUTS:
            _kept.popitem(last=False)
    return dict(positions)


def _layout(
    graph: nx.Graph,
    *,
    seed: int,
    scale: float | None,
    weight: str | None,
    iterations: int,
    sizes: Mapping[str, float] | None,
    aspect: float,
) -> dict[str, tuple[float, float]]:
    position_of: dict[Hashable, int] = {}
    linked: list[str] = []
    isolated: list[str] = []
    for name, node in _sorted_nodes(graph):
        if _has_neighbour(graph, node):
            position_of[node] = len(linked)
            linked.append(name)
        else:
            isolated.append(name)
    names = linked + isolated
    if not names:
        return {}
    radii = _radii(graph, names, sizes)
    if scale is None:
        scale = NODE_SPACING * math.sqrt(len(names))

    # In units of `scale` until the last step.
    coordinates = np.zeros((len(names), 2))
    shelf_nodes = [np.array([index]) for index in range(len(linked), len(names))]
    pieces = [np.zeros((1, 2)) for _ in isolated]  # shelf pictures, in √n units
    if linked:
        sources, targets, weights = _edge_arrays(graph, position_of, weight)
        pictures = _component_pictures(
            len(linked), sources, targets, weights, seed=seed, iterations=iterations
        )
        main_nodes, main_picture, satellites = _main_picture(pictures)
        shelf_nodes = [nodes for nodes, _ in satellites] + shelf_nodes
        pieces = [picture for _, picture in satellites] + pieces
        shelf_width = max(2.0, _grid_width(len(pieces), aspect=aspect))
        width, height = np.ptp(main_picture, axis=0).tolist()
        stretch = _stretch(width, height, pieces, shelf_width=shelf_width, aspect=aspect)
        unit = 2.0 / (width * stretch)  # from √n units to units of scale: the main picture is 2 wide
        coordinates[main_nodes] = main_picture * unit * np.array([stretch, 1.0])
        shelf_top = float(coordinates[main_nodes, 1].max()) + SHELF_GAP
    else:
        stretch = unit = 1.0
        shelf_top = 0.0
        shelf_width = _grid_width(len(pieces), aspect=aspect)
    placed, _ = _shelf(pieces, width=shelf_width, unit=unit, stretch=stretch)
    for nodes, piece in zip(shelf_nodes, placed, strict=True):
        coordinates[nodes] = piece + np.array([0.0, shelf_top])

    coordinates = separate_discs(coordinates * scale, radii, gap=NODE_GAP)
    return {name: (x, y) for name, (x, y) in zip(names, coordinates.tolist(), strict=True)}


def _radii(graph: nx.Graph, names: list[str], sizes: Mapping[str, float] | None) -> np.ndarray:
    if sizes is None:
        sizes = size_by_degree(graph)
    for name, size in sizes.items():
        if not (isinstance(size, (int, float)) and math.isfinite(size) and size > 0):
            raise ValueError(f"Node {name!r}: size {size!r} must be a positive number.")
    smallest = min(sizes.values(), default=1.0)
    return np.array([float(sizes.get(name, smallest)) for name in names])


def scale_sizes(
    values: Mapping[str, float], *, min_size: float = 10.0, max_size: float = 40.0
) -> dict[str, float]:
    """Map non-negative values (degree, centrality, …) to node sizes so that *area* follows the value.

    ``size = min_size + (max_size - min_size) · √(value / largest value)``: 0 gives *min_size*, the
    largest value gives *max_size*, a quarter of it gives the midpoint. All zeros give *min_size*.

    Raises
    ------
    ValueError
        If a value is negative or not finite, or if ``0 < min_size ≤ max_size`` does not hold.

    Examples
    --------
    >>> scale_sizes({"a": 0, "b": 1, "c": 4})
    {'a': 10.0, 'b': 25.0, 'c': 40.0}
    """
    if not (0 < min_size <= max_size):
        raise ValueError(f"Sizes must satisfy 0 < min_size ≤ max_size, got {min_size!r} and {max_size!r}.")
    for key, value in values.items():
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"Node {key!r}: value {value!r} must be a finite number ≥ 0 to set a size.")
    largest = max(values.values(), default=0)
    if largest == 0:
        return {key: float(min_size) for key in values}
    span = max_size - min_size
    return {key: min_size + span * math.sqrt(value / largest) for key, value in values.items()}


def size_by_degree(
    graph: nx.Graph | Mapping[Hashable, float], *, min_size: float = 10.0, max_size: float = 40.0
) -> dict[str, float]:
    """Size each node by its number of links, within ``[min_size, max_size]`` (see :func:`scale_sizes`).

    The area of a node grows with its number of links: degree 0 gives *min_size*, the largest degree
    *max_size*, a quarter of it the midpoint.

    Parameters
    ----------
    graph
        A networkx graph, whose links are counted once per neighbour, whatever their direction or
        multiplicity, self-loops left out; or a ready mapping ``{node: degree}``.

    Returns
    -------
    dict
        ``{str(node): size}``.

    Examples
    --------
    >>> star = nx.star_graph(4)  # centre 0 has degree 4, the leaves degree 1
    >>> size_by_degree(star)["0"], size_by_degree(star)["1"]
    (40.0, 25.0)
    >>> size_by_degree({"hub": 9, "leaf": 1, "alone": 0})
    {'hub': 40.0, 'leaf': 20.0, 'alone': 10.0}
    """
    if isinstance(graph, nx.Graph):
        degrees = {
            name: float(len(set(nx.all_neighbors(graph, node)) - {node}))
            for name, node in _sorted_nodes(graph)
        }
    else:
        degrees = {str(node): degree for node, degree in graph.items()}
    return scale_sizes(degrees, min_size=min_size, max_size=max_size)
