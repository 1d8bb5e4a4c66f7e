"""maillage.viz without a browser: layout, sizes, palette, legend and the HTML fragment (escaping, no CDN)."""

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
from maillage.viz import assets, layout, legend, model, network, palette, texts
from maillage.viz.assets import script_urls, static_dir, stylesheet_urls
from maillage.viz.layout import layout_positions, scale_sizes, size_by_degree
from maillage.viz.legend import legend_for
from maillage.viz.model import EDGE_KINDS, LegendItem, VizEdge, VizNode
from maillage.viz.network import embed_json, render_network
from maillage.viz.palette import CATEGORY_COLORS, CROSS_BORDER_COLOR, EDGE_COLORS, colors_for
from maillage.viz.texts import TEXTS, counted, text
from markupsafe import escape


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


def test_isolated_nodes_land_on_the_outer_ring() -> None:
    # Path a-b-c plus four isolated nodes. Linked nodes fit in the disc of radius 1000 (the farthest
    # exactly on it); the isolated ones, sorted (w, x, y, z), go round the ring of radius 1150 by quarter
    # turns starting east.
    graph = nx.path_graph(["a", "b", "c"])
    graph.add_nodes_from(["z", "x", "w", "y"])
    positions = layout_positions(graph, scale=1000.0)
    radii = {name: math.dist(positions[name], (0.0, 0.0)) for name in "abc"}
    assert max(radii.values()) == pytest.approx(1000.0)
    expected = {"w": (1150.0, 0.0), "x": (0.0, 1150.0), "y": (-1150.0, 0.0), "z": (0.0, -1150.0)}
    for name, (x, y) in expected.items():
        assert positions[name] == (pytest.approx(x, abs=1e-9), pytest.approx(y, abs=1e-9))


def test_a_node_with_only_a_self_loop_is_isolated() -> None:
    graph = nx.Graph([("a", "b"), ("solo", "solo")])
    assert layout_positions(graph, scale=100.0)["solo"] == (pytest.approx(115.0), pytest.approx(0.0))


def test_a_node_with_only_incoming_links_is_not_isolated() -> None:
    graph = nx.DiGraph([("a", "b"), ("c", "b")])
    positions = layout_positions(graph, scale=100.0)
    assert all(math.dist(point, (0, 0)) <= 100.0 + 1e-9 for point in positions.values())


def test_a_full_ring_spills_over_to_the_next() -> None:
    # First ring: radius 1150, neighbours at least 30 apart: floor(2π · 1150 / 30) = 240 places.
    # The 241st isolated node starts the second ring, radius 1150 + 80 = 1230, turned by half a step
    # (alone on its ring: half a turn, so at (-1230, 0)).
    graph = nx.Graph()
    graph.add_nodes_from(f"n{index:03d}" for index in range(241))
    positions = layout_positions(graph)
    radii = sorted(round(math.dist(point, (0, 0)), 6) for point in positions.values())
    assert radii.count(1150.0) == 240 and radii[-1] == 1230.0
    assert positions["n240"] == (pytest.approx(-1230.0), pytest.approx(0.0, abs=1e-9))


def test_empty_graph_has_no_positions() -> None:
    assert layout_positions(nx.Graph()) == {}


@pytest.mark.parametrize(
    ("graph", "options", "message"),
    [
        (nx.path_graph(3), {"scale": 0.0}, "scale must be a positive number, got 0.0"),
        (nx.path_graph(3), {"iterations": 0}, "iterations must be at least 1, got 0"),
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
    assert data["display"] == {"labelPixels": 14, "allLabelsUpTo": 60}
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
    "module", [assets, layout, legend, model, network, palette, texts], ids=lambda m: m.__name__
)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
