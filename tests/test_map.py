"""The map: projection, classes, spreading and framing worked out by hand, then /carte on the sample."""

from __future__ import annotations

import math
import re

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.api.routers.pages import MAP_SYNERGIES
from maillage.graph.stores.base import Store
from maillage.viz.map import (
    MARGIN,
    MapArea,
    MapPlace,
    Projection,
    choropleth_class,
    commune_outlines,
    framing,
    render_map,
    spread,
)
from maillage.viz.model import VizEdge, VizNode
from maillage.viz.palette import CHOROPLETH_COLORS, CROSS_BORDER_COLOR


def test_projection_keeps_north_up_and_shrinks_longitudes() -> None:
    # A 2° × 1° box at latitude 45° (mean): a degree of longitude is cos 45° = 0.7071 of a degree of
    # latitude, so the box is 1.414 units wide for 1 high; 968 units of width → scale 684.5 per degree.
    projection = Projection([(-2.0, 44.5), (0.0, 45.5)])
    assert projection.point(-2.0, 45.5) == (MARGIN, MARGIN)  # north-west corner
    assert projection.point(0.0, 44.5) == (1000 - MARGIN, round(MARGIN + 684.5, 1))  # south-east
    assert projection.height == pytest.approx(684.5 + 2 * MARGIN, abs=0.1)


def test_choropleth_classes_have_a_colour_each() -> None:
    assert [choropleth_class(n) for n in (0, 1, 2, 3, 4, 5, 9)] == [0, 1, 2, 3, 3, 4, 4]
    assert len(CHOROPLETH_COLORS) == 5


def test_actors_at_one_spot_are_spread_on_a_spiral() -> None:
    placed = spread({"b": (100.0, 100.0), "a": (100.0, 100.0), "c": (100.0, 100.0), "z": (5.0, 5.0)})
    assert placed["a"] == (100.0, 100.0)  # first in id order stays
    assert placed["z"] == (5.0, 5.0)  # alone at its spot
    # b is rank 1 (radius 7 at angle 2.39996 rad), c rank 2 (radius 7·√2 = 9.9 at 4.79993 rad)
    assert math.dist(placed["b"], (100.0, 100.0)) == pytest.approx(7.0, abs=0.1)
    assert math.dist(placed["c"], (100.0, 100.0)) == pytest.approx(9.9, abs=0.1)
    assert placed["b"] == (round(100 + 7 * math.cos(2.39996), 1), round(100 + 7 * math.sin(2.39996), 1))


def test_framing_fits_the_actors_in_the_map_proportions() -> None:
    # Points span 200 × 100; with 40 around, 280 × 180; the map is 1000 × 500 (2:1), so 360 × 180,
    # centred on (200, 150): x = 20, y = 60.
    assert framing([(100.0, 100.0), (300.0, 200.0)], width=1000.0, height=500.0) == (20.0, 60.0, 360.0, 180.0)
    # Near an edge the frame is pushed back inside the map.
    assert framing([(5.0, 5.0)], width=1000.0, height=500.0) == (0.0, 0.0, 160.0, 80.0)


def test_outlines_are_the_real_communes_of_64_and_40() -> None:
    outlines = commune_outlines()
    # 872 communes of 2026 and 4 absorbed since the 2018 outlines (Urdès, Sindères, Arjuzanx, Garrosse).
    assert len(outlines) == 876
    assert outlines["40312"][0] == "Tarnos"
    assert {code[:2] for code in outlines} == {"40", "64"}


def test_render_map_escapes_data_and_marks_cross_border_partners() -> None:
    area = MapArea("64102", "<Bayonne>", (((-1.5, 43.5), (-1.4, 43.5), (-1.4, 43.4), (-1.5, 43.5)),), 2)
    nodes = [
        VizNode(
            "a", "A", "emploi", "#332288", 1, -1.45, 43.45, 'A "</title><script>x()</script>', url="/actors/a"
        ),
        VizNode("b", "B", "emploi", "#332288", 1, -1.9, 43.3, "B", url="/actors/b", cross_border=True),
    ]
    edges = [VizEdge("a", "b", "suggestion", "A & B <partagent>", cross_border=True)]
    html = render_map(nodes, edges, areas=[area], places=[MapPlace("Irun<", -1.79, 43.34)])
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html
    assert "&lt;Bayonne&gt; — 2 acteurs" in html and "Irun&lt;" in html
    assert "A &amp; B &lt;partagent&gt;" in html
    assert f'fill="{CHOROPLETH_COLORS[2]}"' in html
    assert html.count('class="carte__acteur"') == 2
    drawing = html.split('class="maillage-carte__legendes"')[0]
    assert drawing.count(f'stroke="{CROSS_BORDER_COLOR}"') == 2  # the partner's ring and the line
    assert 'stroke-dasharray="7 5"' in html
    assert "Partenaire transfrontalier" in html  # in the legend
    assert not re.search(r"(src|href)=\"https?://", html)


def test_render_map_refuses_an_empty_map() -> None:
    with pytest.raises(ValueError, match="nothing to draw"):
        render_map([], areas=[])


@pytest.fixture(scope="module")
def client(sample_store: Store) -> TestClient:
    return TestClient(create_app(sample_store))


def test_map_page_places_every_public_actor(client: TestClient) -> None:
    page = client.get("/carte")
    assert page.status_code == 200
    html = page.text
    # 79 actors in acteurs.csv, less the two inhabitants without consent (both in France): 77 drawn,
    # 13 of them in Spain (ringed), 64 counted on French communes.
    assert html.count('class="carte__acteur"') == 77
    assert html.count(f'stroke="{CROSS_BORDER_COLOR}" stroke-width="2.5"') == 13
    counts = {code: int(n) for code, n in re.findall(r'data-code="(\d+)" data-count="(\d+)"', html)}
    assert len(counts) == 876 and sum(counts.values()) == 64
    assert counts["64102"] == 10 and counts["40312"] == 9  # Bayonne, Tarnos: counted in acteurs.csv
    assert "Jean-Baptiste Dufau" not in html and "hab-jean-baptiste-dufau" not in html
    assert "77 acteurs placés sur leur commune." in html
    assert 'data-kind="suggestion"' not in html


def test_map_page_draws_the_best_synergies_on_demand(client: TestClient) -> None:
    html = client.get("/carte?synergies=true&couleur=college").text
    lines = re.findall(r'<line [^>]*data-kind="suggestion"[^>]*><title>([^<]+)</title>', html)
    assert len(lines) == MAP_SYNERGIES
    assert all(title.strip() for title in lines)
    assert f"{MAP_SYNERGIES} synergies tracées en pointillés" in html
    assert client.get("/carte?couleur=rien").status_code == 422
