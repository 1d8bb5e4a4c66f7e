"""maillage.viz without a browser: layout, sizes, palette, legend, the HTML fragment (escaping, no CDN), and
the pictures the API builds with them."""

from __future__ import annotations

import doctest
import hashlib
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import networkx as nx
import pytest
import pyvis
from markupsafe import escape

from maillage.api.views import ego_keys, network_picture
from maillage.graph.index import build_index
from maillage.graph.stores.base import Store
from maillage.viz import assets, forces, layout, legend, model, network, palette, texts
from maillage.viz.assets import script_urls, static_dir, stylesheet_urls
from maillage.viz.layout import layout_positions, scale_sizes, size_by_degree
from maillage.viz.legend import legend_for
from maillage.viz.model import EDGE_KINDS, LegendItem, VizEdge, VizNode
from maillage.viz.network import embed_json, render_network
from maillage.viz.palette import CATEGORY_COLORS, CROSS_BORDER_COLOR, EDGE_COLORS, OTHER_COLOR, colors_for
from maillage.viz.texts import TEXTS, counted, text


class Fragment(HTMLParser):
    """Collects what the tests look at in a fragment: elements with their attributes, and texts."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_texts: list[str] = []
        self._in_script = False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_texts.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]


def embedded_data(fragment: str, *, element_id: str = "reseau") -> dict:
    match = re.search(
        rf'<script type="application/json" id="{element_id}-data">(.*?)</script>', fragment, flags=re.DOTALL
    )
    assert match is not None, "no data block in the fragment"
    return json.loads(match.group(1))


def triangle_with_partner() -> tuple[list[VizNode], list[VizEdge]]:
    """Three French members in a triangle of links, one partner in Gipuzkoa, one suggestion."""
    nodes = [
        VizNode(
            "atelier",
            "Atelier bois",
            "Éco-construction",
            "#332288",
            25.0,
            -100.0,
            0.0,
            "Atelier bois",
            url="/id/actor/atelier",
        ),
        VizNode("ressourcerie", "Ressourcerie", "Emploi", "#88CCEE", 20.0, 100.0, 0.0, "Ressourcerie"),
        VizNode("couveuse", "Couveuse", "Emploi", "#88CCEE", 15.0, 0.0, 150.0, "Couveuse"),
        VizNode(
            "koop",
            "Kooperatiba",
            "Circuits courts",
            "#44AA99",
            10.0,
            300.0,
            0.0,
            "Kooperatiba",
            cross_border=True,
        ),
    ]
    edges = [
        VizEdge("atelier", "ressourcerie", "projet", "Projet : chutes de bois"),
        VizEdge("ressourcerie", "koop", "partenariat", "Partenariat transfrontalier", cross_border=True),
        VizEdge("ressourcerie", "couveuse", "partenariat", "Convention", weight=2.0),
        VizEdge("atelier", "couveuse", "suggestion", "Suggestion : même besoin de locaux"),
    ]
    return nodes, edges


# --- layout -----------------------------------------------------------------------------------------


def test_layout_is_deterministic_for_a_seed_and_differs_for_another() -> None:
    graph = nx.karate_club_graph()
    first = layout_positions(graph, seed=42)
    assert layout_positions(graph, seed=42) == first
    other = layout_positions(graph, seed=7)
    assert other.keys() == first.keys()
    assert other != first


def test_layout_does_not_depend_on_insertion_order() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("a", "c")]
    forward = nx.Graph(edges)
    backward = nx.Graph()
    backward.add_nodes_from(["d", "c", "b", "a"])
    backward.add_edges_from((v, u) for u, v in reversed(edges))
    assert layout_positions(backward) == layout_positions(forward)


def test_two_linked_nodes_sit_on_the_horizontal_axis_at_distance_scale() -> None:
    # Two nodes repel symmetrically about their centre; the major axis is turned horizontal and the
    # farthest node is put at distance `scale`: so they land at (-500, 0) and (500, 0).
    positions = layout_positions(nx.Graph([("a", "b")]), scale=500.0)
    assert sorted(positions.values()) == [
        (pytest.approx(-500.0), pytest.approx(0.0, abs=1e-9)),
        (pytest.approx(500.0), pytest.approx(0.0, abs=1e-9)),
    ]


def test_isolated_nodes_sit_in_a_row_just_under_the_picture() -> None:
    # Path a-b-c plus four isolated nodes, scale 1000. The path spans x in [-1000, 1000] (its ends a and c
    # at the extremes). The isolated nodes, sorted (w, x, y, z), go on one row 0.2 × 1000 = 200 under the
    # lowest linked node, 0.4 × 1000 = 400 apart, centred on x = 0: at x = -600, -200, 200, 600.
    graph = nx.path_graph(["a", "b", "c"])
    graph.add_nodes_from(["z", "x", "w", "y"])
    positions = layout_positions(graph, scale=1000.0)
    assert (positions["a"][0], positions["c"][0]) == (pytest.approx(-1000.0), pytest.approx(1000.0))
    assert -1000.0 < positions["b"][0] < 1000.0
    row = max(positions[name][1] for name in "abc") + 200.0
    expected = {"w": (-600.0, row), "x": (-200.0, row), "y": (200.0, row), "z": (600.0, row)}
    for name, (x, y) in expected.items():
        assert positions[name] == (pytest.approx(x), pytest.approx(y))


def test_a_node_with_only_a_self_loop_is_isolated() -> None:
    # a and b at (±100, 0); solo alone on the row 0.2 × 100 = 20 under them, centred.
    graph = nx.Graph([("a", "b"), ("solo", "solo")])
    assert layout_positions(graph, scale=100.0)["solo"] == (pytest.approx(0.0, abs=1e-9), pytest.approx(20.0))


def test_a_node_with_only_incoming_links_is_not_isolated() -> None:
    # Direction is ignored: b, with only incoming links, is placed as in the undirected path a - b - c.
    directed = nx.DiGraph([("a", "b"), ("c", "b")])
    undirected = nx.Graph([("b", "a"), ("b", "c")])
    assert layout_positions(directed, scale=100.0) == layout_positions(undirected, scale=100.0)


def test_a_small_component_goes_on_the_row_with_the_isolated_nodes() -> None:
    # A ring of 20 and a pair: 2 < 0.2 × 20, so the pair is not packed round the ring but put on the row
    # under it (level, centred on x = 0), followed by the isolated node further right.
    graph = nx.cycle_graph([f"r{index:02d}" for index in range(20)])
    graph.add_edge("p", "q")
    graph.add_node("solo")
    positions = layout_positions(graph, scale=1000.0)
    ring_bottom = max(positions[f"r{index:02d}"][1] for index in range(20))
    (px, py), (qx, qy), (sx, sy) = positions["p"], positions["q"], positions["solo"]
    assert py == pytest.approx(ring_bottom + 200.0) and qy == pytest.approx(py) and sy == pytest.approx(py)
    left, right = sorted((px, qx))
    assert right < sx
    # The row is centred: the pair's place (its width + 400) then the lone node's (400) around x = 0,
    # so the row runs from left - 200 to sx + 200.
    assert left - 200.0 == pytest.approx(-(sx + 200.0))


def test_lone_nodes_only_form_a_landscape_grid() -> None:
    # Five nodes, no link: ceil(√(5 × 1.4 × 0.12 / 0.4)) = ceil(1.45) = 2 columns, 400 apart, rows 120
    # apart, each row centred on x = 0, in sorted order.
    graph = nx.empty_graph([f"n{index}" for index in range(5)])
    assert layout_positions(graph, scale=1000.0) == {
        "n0": (-200.0, 0.0),
        "n1": (200.0, 0.0),
        "n2": (-200.0, 120.0),
        "n3": (200.0, 120.0),
        "n4": (0.0, 240.0),
    }


def test_many_lone_nodes_under_a_small_picture_form_a_landscape_grid() -> None:
    # One pair and 100 lone nodes: rows as wide as the pair (2 × 1000) would hold 5 and make 20 rows; the
    # grid takes ceil(√(100 × 1.4 × 0.12 / 0.4)) = ceil(6.48) = 7 columns instead, 400 apart round x = 0.
    graph = nx.Graph([("a", "b")])
    graph.add_nodes_from(f"n{index:03d}" for index in range(100))
    positions = layout_positions(graph, scale=1000.0)
    first_row = [round(positions[f"n{index:03d}"][0]) for index in range(7)]
    assert first_row == [-1200, -800, -400, 0, 400, 800, 1200]
    rows = {round(positions[f"n{index:03d}"][1]) for index in range(100)}
    assert len(rows) == 15  # 14 full rows and one of 2


def test_the_default_scale_grows_with_the_square_root_of_the_node_count() -> None:
    # Two nodes: half-width NODE_SPACING × √2 = 120 × 1.41421… = 169.705…
    positions = layout_positions(nx.Graph([("a", "b")]))
    assert sorted(x for x, _ in positions.values()) == [
        pytest.approx(-120.0 * math.sqrt(2)),
        pytest.approx(120.0 * math.sqrt(2)),
    ]


def test_a_round_network_is_stretched_to_the_aspect() -> None:
    # A ring comes out round; with nothing under it, it is stretched to width / height = 1.4, and spans
    # x in [-scale, scale] with the default scale NODE_SPACING × √30 = 120 × √30.
    positions = layout_positions(nx.cycle_graph(30))
    xs, ys = zip(*positions.values(), strict=True)
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(1.4)
    assert (min(xs), max(xs)) == (pytest.approx(-120 * math.sqrt(30)), pytest.approx(120 * math.sqrt(30)))


def test_discs_do_not_overlap() -> None:
    # A triangle laid out 10 units wide, with discs of radius 40: pushed apart until centres are at
    # least 40 + 40 + 6 (NODE_GAP) = 86 apart.
    positions = layout_positions(nx.complete_graph(3), scale=10.0, sizes={"0": 40, "1": 40, "2": 40})
    distances = [math.dist(positions[u], positions[v]) for u, v in (("0", "1"), ("1", "2"), ("0", "2"))]
    assert min(distances) >= 86.0 - 1e-6


def test_empty_graph_has_no_positions() -> None:
    assert layout_positions(nx.Graph()) == {}


@pytest.mark.parametrize(
    ("graph", "options", "message"),
    [
        (nx.path_graph(3), {"scale": 0.0}, "scale must be a positive number, got 0.0"),
        (nx.path_graph(3), {"iterations": 0}, "iterations must be at least 1, got 0"),
        (nx.path_graph(3), {"aspect": -1.0}, "aspect must be a positive number, got -1.0"),
        (nx.path_graph(3), {"sizes": {"0": 0}}, "Node '0': size 0 must be a positive number"),
        (nx.Graph([("a", "b", {"weight": -1.0})]), {}, "Edge 'a' – 'b': weight -1.0 must be"),
        (nx.Graph([(1, "1")]), {}, "Two nodes of the graph are both written '1'"),
    ],
)
def test_layout_rejects_bad_input(graph: nx.Graph, options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        layout_positions(graph, **options)


def test_size_by_degree_endpoints_and_square_root_midpoint() -> None:
    # Star with centre 0 and leaves 1..4, plus an isolated node 9: degree 4 → 40, degree 1 (a quarter
    # of the largest) → 10 + 30·√¼ = 25, degree 0 → 10.
    star = nx.star_graph(4)
    star.add_node(9)
    sizes = size_by_degree(star)
    assert sizes == {"0": 40.0, "1": 25.0, "2": 25.0, "3": 25.0, "4": 25.0, "9": 10.0}


def test_size_by_degree_counts_neighbours_not_loops_or_parallel_edges() -> None:
    graph = nx.MultiGraph([("a", "b"), ("a", "b"), ("a", "a"), ("a", "c"), ("c", "d"), ("d", "e")])
    # a has neighbours b and c (degree 2, the largest) → 40; b → 10 + 30·√½.
    sizes = size_by_degree(graph)
    assert sizes["a"] == 40.0
    assert sizes["b"] == pytest.approx(10 + 30 * math.sqrt(0.5))


def test_size_by_degree_takes_a_ready_degree_mapping() -> None:
    # Largest degree 16 → 40; 4 is a quarter of it → 25; 1 is a sixteenth → 10 + 30·¼ = 17.5.
    assert size_by_degree({"hub": 16, 7: 4, "leaf": 1}) == {"hub": 40.0, "7": 25.0, "leaf": 17.5}


def test_sizes_of_an_edgeless_graph_are_all_the_minimum() -> None:
    assert size_by_degree(nx.empty_graph(3), min_size=12.0, max_size=30.0) == {
        "0": 12.0,
        "1": 12.0,
        "2": 12.0,
    }


def test_scale_sizes_with_custom_bounds() -> None:
    assert scale_sizes({"a": 0.0, "b": 0.25, "c": 1.0}, min_size=5.0, max_size=15.0) == {
        "a": 5.0,
        "b": 10.0,
        "c": 15.0,
    }


def test_scale_sizes_rejects_negative_values_and_bad_bounds() -> None:
    with pytest.raises(ValueError, match=r"Node 'a': value -1 must be a finite number ≥ 0"):
        scale_sizes({"a": -1})
    with pytest.raises(ValueError, match=r"got 40.0 and 10.0"):
        scale_sizes({"a": 1}, min_size=40.0, max_size=10.0)


# --- palette, texts, model, legend --------------------------------------------------------------------


def test_colors_follow_sorted_keys_whatever_the_input_order() -> None:
    expected = {"emploi": CATEGORY_COLORS[0], "finance": CATEGORY_COLORS[1], "habitat": CATEGORY_COLORS[2]}
    assert colors_for(["habitat", "emploi", "finance", "emploi"]) == expected
    assert colors_for(["finance", "habitat", "emploi"]) == expected


def test_palette_repeats_after_nine_categories() -> None:
    colors = colors_for([f"domaine-{index:02d}" for index in range(10)])
    assert colors["domaine-09"] == colors["domaine-00"] == "#332288"


def test_palette_colours_are_distinct_hex_colours() -> None:
    every = [*CATEGORY_COLORS, *EDGE_COLORS.values(), CROSS_BORDER_COLOR]
    assert len(set(every)) == len(every)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", color) for color in every)
    assert tuple(EDGE_COLORS) == EDGE_KINDS


def test_catalogues_have_the_same_keys() -> None:
    assert TEXTS["fr"].keys() == TEXTS["en"].keys()


def test_texts_are_french_first() -> None:
    assert text("legend.title") == "Légende"
    assert text("legend.title", lang="en") == "Legend"
    assert counted("actors", 1) == "1 acteur"
    assert counted("actors", 2000) == "2\u202f000 acteurs"
    assert counted("links", 1, lang="en") == "1 link"


def test_unknown_language_and_key_are_refused() -> None:
    with pytest.raises(ValueError, match=r"Language 'eu' is not in the viz catalogue; use one of fr, en"):
        text("legend.title", lang="eu")
    with pytest.raises(KeyError, match=r"No text 'legend.nothing'"):
        text("legend.nothing")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: VizEdge("a", "b", "amitié", "x"), "VizEdge 'a' → 'b': kind 'amitié' is not one of projet"),
        (lambda: VizEdge("a", "b", "projet", "x", weight=0), "weight must be positive, got 0"),
        (
            lambda: VizNode("a", "A", "g", "red", 10, 0, 0, "A"),
            "VizNode 'a': colour 'red' is not a hex colour",
        ),
        (
            lambda: VizNode("a", "A", "g", "#fff;background:url(x)", 10, 0, 0, "A"),
            "colour '#fff;background:url(x)' is not a hex colour",
        ),
        (lambda: VizNode("a", "A", "g", "#fff", 10, math.nan, 0, "A"), "x must be a finite number, got nan"),
        (lambda: VizNode("a", "A", "g", "#fff", 0, 0, 0, "A"), "size must be positive, got 0"),
        (lambda: VizNode("", "A", "g", "#fff", 10, 0, 0, "A"), "id must be a non-empty string"),
        (
            lambda: VizNode("a", "A", "g", "#fff", 10, 0, 0, "A", url="javascript:alert(1)"),
            "URL 'javascript:alert(1)' must be a path",
        ),
        (
            lambda: VizNode("a", "A", "g", "#fff", 10, 0, 0, "A", url="//evil.example/x"),
            "URL '//evil.example/x'",
        ),
        (
            lambda: LegendItem("Emploi", "#fff", "carré"),
            "LegendItem 'Emploi': kind 'carré' is not one of node",
        ),
    ],
)
def test_model_refuses_bad_values(build, message: str) -> None:  # noqa: ANN001 - a lambda
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_model_accepts_site_paths_and_web_urls() -> None:
    assert VizNode("a", "A", "g", "#fff", 10, 0, 0, "A", url="/id/actor/a").url == "/id/actor/a"
    web = "https://w3id.org/maillage/id/actor/a"
    assert VizNode("a", "A", "g", "#fff", 10, 0, 0, "A", url=web).url == web


def test_legend_lists_groups_then_links_then_cross_border_marks() -> None:
    nodes, edges = triangle_with_partner()
    assert legend_for(nodes, edges) == [
        LegendItem("Circuits courts", "#44AA99", "node"),
        LegendItem("Éco-construction", "#332288", "node"),
        LegendItem("Emploi", "#88CCEE", "node"),
        LegendItem("Projet commun", EDGE_COLORS["projet"], "edge-projet"),
        LegendItem("Partenariat", EDGE_COLORS["partenariat"], "edge-partenariat"),
        LegendItem("Coopération suggérée", EDGE_COLORS["suggestion"], "edge-suggestion"),
        LegendItem("Lien transfrontalier", CROSS_BORDER_COLOR, "edge-transfrontalier"),
        LegendItem("Partenaire transfrontalier", CROSS_BORDER_COLOR, "cross-border"),
    ]
    assert [item.label for item in legend_for(nodes, edges[:1], lang="en")][3:] == [
        "Joint project",
        "Cross-border partner",
    ]


def test_legend_lists_the_other_group_after_the_named_ones() -> None:
    nodes = [
        VizNode("a", "A", "Autres domaines", OTHER_COLOR, 10, 0, 0, "A"),
        VizNode("b", "B", "Tourisme", "#332288", 10, 0, 0, "B"),
        VizNode("c", "C", "Culture", "#88CCEE", 10, 0, 0, "C"),
    ]
    assert [item.label for item in legend_for(nodes, [])] == ["Culture", "Tourisme", "Autres domaines"]


def test_legend_refuses_a_group_with_two_colours() -> None:
    nodes = [
        VizNode("a", "A", "Emploi", "#332288", 10, 0, 0, "A"),
        VizNode("b", "B", "Emploi", "#88CCEE", 10, 0, 0, "B"),
    ]
    with pytest.raises(
        ValueError, match=r"Group 'Emploi' has two colours, '#332288' and '#88CCEE' \(node 'b'\)"
    ):
        legend_for(nodes, [])


# --- the fragment -------------------------------------------------------------------------------------


def test_fragment_holds_every_node_the_legend_and_two_scripts() -> None:
    nodes, edges = triangle_with_partner()
    fragment = render_network(nodes, edges, legend=legend_for(nodes, edges))
    parsed = Fragment(fragment)

    data = embedded_data(fragment)
    assert [node["id"] for node in data["nodes"]] == ["atelier", "ressourcerie", "couveuse", "koop"]
    for node in nodes:
        assert f'"id":"{node.id}"' in fragment
    assert len(data["edges"]) == 4

    assert len(parsed.tags("ul")) == 1 and parsed.tags("ul")[0]["class"] == "legende"
    assert [attrs["data-kind"] for attrs in parsed.tags("li")] == [
        "node", "node", "node", "edge-projet", "edge-partenariat", "edge-suggestion",
        "edge-transfrontalier", "cross-border",
    ]  # fmt: skip
    assert '<span class="legende__libelle">Éco-construction</span>' in fragment

    scripts = parsed.tags("script")
    assert scripts == [
        {"type": "application/json", "id": "reseau-data"},
        {"src": "/static/viz/maillage-network.js", "defer": None},
    ]
    container = next(attrs for attrs in parsed.tags("div") if attrs.get("id") == "reseau")
    assert container["data-maillage-network"] == "reseau-data"
    assert container["aria-label"] == "Réseau de coopération : 4 acteurs, 4 liens."


def test_fragment_has_no_outside_url_no_inline_code_and_no_inline_style() -> None:
    nodes, edges = triangle_with_partner()
    fragment = render_network(nodes, edges, legend=legend_for(nodes, edges))
    assert re.search(r"https?:|//[a-z]", fragment, flags=re.IGNORECASE) is None
    parsed = Fragment(fragment)
    assert parsed.tags("link") == []
    for tag, attrs in parsed.elements:
        assert "style" not in attrs, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    # Script elements either load our file or hold JSON: nothing for a CSP to allow inline.
    for attrs in parsed.tags("script"):
        assert attrs.get("type") == "application/json" or attrs.get("src", "").startswith("/static/viz/")


def test_drawing_options_show_the_stable_picture_at_once() -> None:
    nodes, edges = triangle_with_partner()
    data = embedded_data(render_network(nodes, edges, legend=[], height_px=480))
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["height"] == "480px"
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is False
    # vis-network draws no label (threshold far above any font size): the script draws them, 13 px for
    # the smallest node to 16 px for the largest, and keeps 16 + 25 % + 2 = 22 px under the lowest nodes.
    assert data["options"]["nodes"]["scaling"]["label"] == {"enabled": False, "drawThreshold": 1_000_000}
    labels = data["display"]["labels"]
    assert (labels["minPixels"], labels["maxPixels"], labels["color"], labels["halo"]) == (
        13.0,
        16.0,
        "#1F2933",
        "#FFFFFF",
    )
    assert data["display"]["fit"] == {"paddingPixels": 16, "labelRoomPixels": 22, "maxZoom": 1.0}
    assert (data["options"]["nodes"]["scaling"]["min"], data["options"]["nodes"]["scaling"]["max"]) == (
        10.0,
        25.0,
    )
    atelier = data["nodes"][0]
    assert (atelier["x"], atelier["y"], atelier["value"], atelier["url"]) == (
        -100.0,
        0.0,
        25.0,
        "/id/actor/atelier",
    )
    assert "url" not in data["nodes"][1]
    koop = data["nodes"][3]
    assert (koop["crossBorder"], koop["borderWidth"], koop["color"]["border"]) == (
        True,
        4,
        CROSS_BORDER_COLOR,
    )


def test_edges_are_styled_by_kind_and_marked_ones_are_drawn_last() -> None:
    nodes, edges = triangle_with_partner()
    data = embedded_data(render_network(nodes, edges, legend=[]))
    # Order: ordinary links (e0, e2), then the suggestion (e3), then the cross-border link (e1).
    summary = [
        (edge["id"], edge["kind"], edge["width"], edge["dashes"], edge["color"]["color"])
        for edge in data["edges"]
    ]
    assert summary == [
        ("e0", "projet", 1.5, False, EDGE_COLORS["projet"]),
        ("e2", "partenariat", 3.0, False, EDGE_COLORS["partenariat"]),  # weight 2 → 1.5 × 2
        ("e3", "suggestion", 1.5, [8, 6], EDGE_COLORS["suggestion"]),
        ("e1", "partenariat", 4.0, False, CROSS_BORDER_COLOR),  # 1.5 + 2.5 for crossing the border
    ]


def test_empty_legend_still_gives_the_list() -> None:
    nodes, _ = triangle_with_partner()
    fragment = render_network(nodes[:1], [], legend=[])
    assert '<ul class="legende" aria-labelledby="reseau-legende">\n    </ul>' in fragment


def test_english_fragment_and_custom_element_id() -> None:
    nodes, edges = triangle_with_partner()
    fragment = render_network(
        nodes, edges, legend=legend_for(nodes, edges, lang="en"), element_id="ego-koop", lang="en"
    )
    parsed = Fragment(fragment)
    assert '<p class="legende__titre" id="ego-koop-legende">Legend</p>' in fragment
    assert 'aria-label="Cooperation network: 4 actors, 4 links."' in fragment
    assert {"type": "application/json", "id": "ego-koop-data"} in parsed.tags("script")
    assert embedded_data(fragment, element_id="ego-koop")["nodes"][0]["id"] == "atelier"


HOSTILE_LABEL = "<script>alert(1)</script>"
HOSTILE_TITLE = 'Nom\n</script><script>alert("titre")</script><!-- & \u2028'
HOSTILE_LEGEND = '<img src=x onerror="alert(2)">'


def test_hostile_texts_round_trip_exactly_and_never_become_markup() -> None:
    nodes = [
        VizNode("a&b", HOSTILE_LABEL, "</ul><b>", "#332288", 20, 0, 0, HOSTILE_TITLE),
        VizNode("<c>", "C", "</ul><b>", "#332288", 20, 100, 0, "C"),
    ]
    edges = [VizEdge("a&b", "<c>", "suggestion", "</script><script>alert(3)</script>")]
    legend_items = [*legend_for(nodes, edges), LegendItem(HOSTILE_LEGEND, "#88CCEE")]
    fragment = render_network(nodes, edges, legend=legend_items)

    data = embedded_data(fragment)
    assert (data["nodes"][0]["id"], data["nodes"][0]["label"], data["nodes"][0]["title"]) == (
        "a&b",
        HOSTILE_LABEL,
        HOSTILE_TITLE,
    )
    assert data["nodes"][0]["category"] == "</ul><b>"
    assert (data["edges"][0]["from"], data["edges"][0]["to"]) == ("a&b", "<c>")
    assert data["edges"][0]["title"] == "</script><script>alert(3)</script>"

    assert "</script><script>alert" not in fragment
    assert "<script>alert" not in fragment and "<!--" not in fragment and "<img" not in fragment
    assert fragment.count("</script>") == 2
    parsed = Fragment(fragment)
    assert len(parsed.tags("script")) == 2 and parsed.tags("img") == [] and parsed.tags("b") == []
    assert f'<span class="legende__libelle">{escape(HOSTILE_LEGEND)}</span>' in fragment


def test_embed_json_escapes_what_could_end_a_script() -> None:
    encoded = embed_json({"t": "</script><!--&\u2028"})
    assert encoded == '{"t":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"}'
    assert json.loads(encoded) == {"t": "</script><!--&\u2028"}
    with pytest.raises(ValueError):
        embed_json({"x": math.inf})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"element_id": "1reseau"}, "element_id '1reseau' must start with a letter"),
        ({"element_id": 'r" onload="x'}, "element_id 'r\" onload=\"x' must start with a letter"),
        ({"height_px": 50}, "height_px must be an integer ≥ 100, got 50"),
        ({"lang": "es"}, "Language 'es' is not in the viz catalogue"),
    ],
)
def test_render_refuses_bad_options(options: dict, message: str) -> None:
    nodes, edges = triangle_with_partner()
    with pytest.raises(ValueError, match=re.escape(message)):
        render_network(nodes, edges, legend=[], **options)


def test_render_refuses_repeated_nodes_and_loose_edges() -> None:
    nodes, edges = triangle_with_partner()
    with pytest.raises(ValueError, match=r"Node 'atelier' appears twice in nodes"):
        render_network([*nodes, nodes[0]], edges, legend=[])
    with pytest.raises(
        ValueError, match=r"Edge 'atelier' → 'nulle-part' \(projet\): node 'nulle-part' is not in nodes"
    ):
        render_network(nodes, [VizEdge("atelier", "nulle-part", "projet", "?")], legend=[])


def test_pyvis_gets_ready_lists_never_add_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("pyvis add_node / add_edge / from_nx scan the edge list: hand it ready lists")

    for method in ("add_node", "add_nodes", "add_edge", "add_edges", "from_nx"):
        monkeypatch.setattr(pyvis.network.Network, method, forbidden)
    nodes, edges = triangle_with_partner()
    assert len(embedded_data(render_network(nodes, edges, legend=[]))["edges"]) == 4


def test_a_regional_network_of_2000_actors_and_16000_links_is_built() -> None:
    graph = nx.gnm_random_graph(2000, 16000, seed=7)
    graph.add_nodes_from(range(2000, 2010))  # a few isolated actors
    positions = layout_positions(graph, seed=1)
    sizes = size_by_degree(graph)
    groups = {name: f"domaine-{int(name) % 7}" for name in positions}
    colors = colors_for(groups.values())
    nodes = [
        VizNode(
            name,
            f"Acteur {name}",
            groups[name],
            colors[groups[name]],
            sizes[name],
            x,
            y,
            f"Acteur {name}",
            cross_border=int(name) % 10 == 0,
        )
        for name, (x, y) in positions.items()
    ]
    edges = [
        VizEdge(
            str(u), str(v), EDGE_KINDS[(u + v) % 3], f"{u} – {v}", cross_border=(u % 10 == 0) != (v % 10 == 0)
        )
        for u, v in graph.edges
    ]
    fragment = render_network(nodes, edges, legend=legend_for(nodes, edges))
    data = embedded_data(fragment)
    assert len(data["nodes"]) == 2010 and len(data["edges"]) == 16000
    assert {node["id"] for node in data["nodes"]} == {str(node) for node in graph.nodes}
    assert sum(edge["crossBorder"] for edge in data["edges"]) == sum(edge.cross_border for edge in edges)
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is True
    assert len(Fragment(fragment).tags("li")) == 7 + 3 + 2
    assert 'aria-label="Réseau de coopération : 2\u202f010 acteurs, 16\u202f000 liens."' in fragment


# --- the pictures the API builds (sample network) -----------------------------------------------------


def test_the_legend_of_the_network_page_shows_the_drawn_colours(sample_store: Store) -> None:
    index = build_index(sample_store)
    nodes, edges, items = network_picture(index, [a.key for a in index.actors if a.is_public])
    listed = {(item.label, item.color) for item in items if item.kind == "node"}
    assert listed == {(node.group, node.color) for node in nodes}
    # 13 field families for 9 colours: the 8 most common keep one each, the others share the grey of
    # « Autres domaines », listed after them. No colour stands for two groups.
    assert len(listed) == 9 and len({color for _, color in listed}) == 9
    assert items[8] == LegendItem("Autres domaines", OTHER_COLOR, "node")
    assert [(item.kind, item.color) for item in items[9:]] == [
        ("edge-projet", EDGE_COLORS["projet"]),
        ("edge-partenariat", EDGE_COLORS["partenariat"]),
        ("edge-transfrontalier", CROSS_BORDER_COLOR),
        ("cross-border", CROSS_BORDER_COLOR),
    ]


def test_an_actor_has_the_same_colour_on_every_page(sample_store: Store) -> None:
    index = build_index(sample_store)
    whole, _, _ = network_picture(index, [a.key for a in index.actors if a.is_public])
    ego, _, _ = network_picture(index, ego_keys(index, "ressourcerie-lur-berri", depth=1))
    colors = {node.id: node.color for node in whole}
    assert len(ego) > 5 and all(node.color == colors[node.id] for node in ego)


# --- static files -------------------------------------------------------------------------------------


def test_pages_load_only_files_that_exist_under_static_viz() -> None:
    assert (network.static_dir, network.script_urls, network.stylesheet_urls) == (
        static_dir,
        script_urls,
        stylesheet_urls,
    )
    assert script_urls() == ["/static/viz/vendor/vis-network/vis-network.min.js"]
    assert stylesheet_urls() == ["/static/viz/vendor/vis-network/vis-network.css", "/static/viz/maillage.css"]
    for url in [*script_urls(), *stylesheet_urls(), "/static/viz/maillage-network.js"]:
        assert (static_dir() / url.removeprefix("/static/viz/")).is_file(), url


def test_vendored_vis_network_is_pyvis_copy_with_its_licence() -> None:
    bundled = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    vendored = static_dir() / "vendor" / "vis-network"
    for name in ("vis-network.min.js", "vis-network.css"):
        digest = hashlib.sha256((vendored / name).read_bytes()).hexdigest()
        assert digest == hashlib.sha256((bundled / name).read_bytes()).hexdigest(), name
        assert digest in (vendored / "LICENSE-NOTE.txt").read_text(encoding="utf-8")
    note = (vendored / "LICENSE-NOTE.txt").read_text(encoding="utf-8")
    assert "Apache-2.0 OR MIT" in note and "pyvis 0.3.2" in note


def test_our_script_and_stylesheet_fetch_nothing_from_outside() -> None:
    for name in ("maillage-network.js", "maillage.css"):
        source = (static_dir() / name).read_text(encoding="utf-8")
        assert re.search(r"https?://|url\(|@import", source) is None, name


@pytest.mark.parametrize(
    "module", [assets, forces, layout, legend, model, network, palette, texts], ids=lambda m: m.__name__
)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_the_same_graph_keeps_its_layout_whatever_the_insertion_order() -> None:
    """After a write that leaves a drawn graph as it was, the page reuses its layout (`KEPT_LAYOUTS`)."""
    from maillage.viz import layout

    first = nx.Graph()
    first.add_edges_from([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1})])
    same = nx.Graph()
    same.add_edges_from([("c", "b", {"weight": 1}), ("b", "a", {"weight": 2})])
    heavier = nx.Graph([("a", "b", {"weight": 3}), ("b", "c", {"weight": 1})])
    layout._kept.clear()
    positions = layout.layout_positions(first, seed=7)
    positions["a"] = (0.0, 0.0)  # the caller's copy: the kept layout is untouched
    assert layout.layout_positions(same, seed=7) == layout.layout_positions(first, seed=7) != positions
    assert len(layout._kept) == 1
    layout.layout_positions(heavier, seed=7)
    layout.layout_positions(first, seed=8)
    assert len(layout._kept) == 3
