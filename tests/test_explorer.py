"""The network explorer (maillage.api.explorer, viz.aggregate, the / and /embed/reseau pages): filters, colour
and size modes, the permalink's query string, the grouped picture beyond the threshold, the embed."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from maillage.api.app import create_app
from maillage.api.explorer import (
    ExplorerView,
    explorer_picture,
    select_actors,
    territory_group,
)
from maillage.api.views import community_numbers, group_colors
from maillage.graph.index import NetworkIndex, build_index
from maillage.graph.metrics import centralities
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore
from maillage.viz.aggregate import Group, aggregate_network, count_groups
from maillage.viz.palette import OTHER_COLOR, colors_for

DEMO = "ressourcerie-lur-berri"
PRIVATE_NAMES = ("Jean-Baptiste Dufau", "Lucas Lafitte", "hab-jean-baptiste-dufau", "hab-lucas-lafitte")
DATA = re.compile(r'<script type="application/json" id="reseau-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def index(sample_store: Store) -> NetworkIndex:
    return build_index(sample_store)


@pytest.fixture(scope="module")
def client(sample_store: Store, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    tokens = TokenStore(tmp_path_factory.mktemp("tokens") / "tokens.sqlite3")
    app = create_app(sample_store, tokens=tokens)
    app.state.animator_token = tokens.create("animator", note="test")[1]
    return TestClient(app)


def drawn(html: str) -> dict:
    match = DATA.search(html)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_the_query_string_holds_the_view_and_nothing_else() -> None:
    assert ExplorerView().query() == ""
    view = ExplorerView(couleur="communaute", taille="intermediarite", pays="ES", transfrontalier=True)
    assert view.query() == "couleur=communaute&taille=intermediarite&pays=ES&transfrontalier=1"
    assert (
        view.query(pays=None, acteur="a&b")
        == "couleur=communaute&taille=intermediarite&transfrontalier=1&acteur=a%26b"
    )
    assert not ExplorerView(seuil=10).is_filtered and ExplorerView(territoire="province-20").is_filtered


def test_cross_border_filter_keeps_the_actors_linked_across_the_border(index: NetworkIndex) -> None:
    # Counted on the sample's spreadsheets: 57 public collaborations join a French and a Spanish actor;
    # their ends are 39 actors: 12 of the 13 Spanish ones (one works with Spanish actors only) and 27 French.
    picture = explorer_picture(index, ExplorerView(transfrontalier=True))
    assert (picture.actors, picture.links, len(picture.edges)) == (39, 57, 57)
    assert all(edge.cross_border for edge in picture.edges)
    assert Counter(node.cross_border for node in picture.nodes) == {False: 27, True: 12}
    legend = [item.label for item in picture.legend]
    # every link is drawn magenta: "Projet commun" and "Partenariat" would describe no line of the picture
    assert "Lien transfrontalier" in legend and "Projet commun" not in legend and "Partenariat" not in legend


def test_filters_combine_with_the_focus_actor(index: NetworkIndex) -> None:
    near = select_actors(index, ExplorerView(acteur=DEMO, profondeur=1))
    assert DEMO in {a.key for a in near} and len(near) == 16  # itself and its 15 public collaborators
    spain = select_actors(index, ExplorerView(acteur=DEMO, profondeur=2, pays="ES"))
    assert {a.country for a in spain if a.key != DEMO} == {"ES"}
    assert DEMO in {a.key for a in spain}  # the focus actor stays, whatever the filters


def test_colour_by_country_and_community(index: NetworkIndex) -> None:
    by_country = explorer_picture(index, ExplorerView(couleur="pays"))
    groups = Counter(node.group for node in by_country.nodes)
    assert groups == {"France": 64, "Espagne": 13}
    by_community = explorer_picture(index, ExplorerView(couleur="communaute"))
    numbers = community_numbers(index)
    for node in by_community.nodes:
        expected = f"Communauté {numbers[node.id]}" if node.id in numbers else "Autres communautés"
        assert node.group in (expected, "Autres communautés")


def test_size_by_betweenness_gives_the_biggest_disc_to_the_most_between_actor(index: NetworkIndex) -> None:
    picture = explorer_picture(index, ExplorerView(taille="intermediarite"))
    top = centralities(index).ranked("betweenness")[0].key
    sizes = {node.id: node.size for node in picture.nodes}
    assert sizes[top] == 40.0 and max(sizes.values()) == 40.0
    # an actor on no shortest path gets the smallest disc
    zero = next(a.key for a in centralities(index).actors if a.betweenness == 0 and a.key in sizes)
    assert sizes[zero] == 10.0


def test_counting_groups_by_hand() -> None:
    # a–b inside g1; b–c and a–c between g1 and g2 (b–c crosses the border); d outside the membership
    members, inner, between = count_groups(
        {"a": "g1", "b": "g1", "c": "g2"},
        [("a", "b", False), ("b", "c", True), ("a", "c", False), ("c", "d", True)],
    )
    assert members == {"g1": 2, "g2": 1} and inner == {"g1": 1}
    assert between[("g1", "g2")].count == 2 and between[("g1", "g2")].cross_border == 1
    with pytest.raises(ValueError, match="group 'g3', which is not among the groups given"):
        aggregate_network([Group("g1", "Un", "x", "#332288")], {"a": "g1", "z": "g3"}, [])


def test_the_sample_grouped_by_territory(index: NetworkIndex) -> None:
    picture = explorer_picture(index, ExplorerView(regrouper="territoire", seuil=10))
    public = [a for a in index.actors if a.is_public]
    expected = Counter(territory_group(a)[0] for a in public)
    assert picture.grouped_by == "territoire" and len(picture.nodes) == len(expected) == 12
    sizes = {node.id: int(node.label.rsplit("(", 1)[1].rstrip(")")) for node in picture.nodes}
    assert sizes == dict(expected)
    gipuzkoa = next(node for node in picture.nodes if node.id == "province-20")
    assert gipuzkoa.label == "Gipuzkoa (8)" and gipuzkoa.cross_border
    assert gipuzkoa.url == "/?territoire=province-20&regrouper=territoire&seuil=10"
    # the group's view lists exactly its members (8 < 10: drawn one by one)
    members = explorer_picture(
        index, ExplorerView(territoire="province-20", regrouper="territoire", seuil=10)
    )
    assert members.grouped_by is None and len(members.nodes) == 8


@pytest.fixture(scope="module")
def large_index() -> NetworkIndex:
    """A generated network of 2,300 actors: above the default threshold of 2,000 public actors."""
    from benchmarks.generate import generate_network

    store = OxigraphStore(None)
    generate_network(store, 2300, seed=0)
    built = build_index(store)
    store.close()
    return built


def test_a_generated_network_above_the_threshold_is_drawn_by_community(large_index: NetworkIndex) -> None:
    public = [a for a in large_index.actors if a.is_public]
    assert len(public) > 2000
    picture = explorer_picture(large_index, ExplorerView())
    assert picture.grouped_by == "communaute" and picture.actors == len(public)
    numbers = community_numbers(large_index)
    expected = Counter(numbers.get(a.key, 0) for a in public)
    assert len(picture.nodes) == len(expected) < 300
    counts = {
        node.id: int(node.label.rsplit("(", 1)[1].rstrip(")").replace("\u202f", "")) for node in picture.nodes
    }
    assert counts == {f"communaute-{number}": count for number, count in expected.items()}
    # every link between two public actors is inside a group or summed in an edge between two groups
    keys = {a.key for a in public}
    links = [(u, v) for u, v in large_index.collaboration.edges() if u in keys and v in keys]
    between = sum(1 for u, v in links if numbers.get(u, 0) != numbers.get(v, 0))
    summed = sum(int(edge.title.split(" ")[0].replace("\u202f", "")) for edge in picture.edges)
    assert picture.links == len(links) and summed == between
    # a group's node opens the view of its members, drawn actor by actor
    biggest = max(picture.nodes, key=lambda node: node.size)
    assert biggest.url is not None and biggest.url.startswith("/?communaute=")
    number = int(biggest.url.split("=")[1].split("&")[0])
    inside = explorer_picture(large_index, ExplorerView(communaute=number))
    assert inside.grouped_by is None and len(inside.nodes) == expected[number]


def test_the_threshold_is_a_parameter(large_index: NetworkIndex) -> None:
    public = sum(1 for a in large_index.actors if a.is_public)
    assert explorer_picture(large_index, ExplorerView(seuil=public)).grouped_by is None
    assert explorer_picture(large_index, ExplorerView(seuil=public - 1)).grouped_by == "communaute"


def test_pages_have_no_inline_script_or_handler(client: TestClient) -> None:
    for url in ("/", "/?seuil=10", f"/actors/{DEMO}", "/embed/reseau"):
        html = client.get(url).text
        assert not re.search(r"\son[a-z]+\s*=", html), url
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag or 'type="application/ld+json"' in tag, (
                url,
                tag,
            )


def test_the_page_renders_the_permalink_and_the_embed_snippet(client: TestClient) -> None:
    response = client.get("/?couleur=pays&transfrontalier=1&domaine=&college=&pays=")
    assert response.status_code == 200
    assert 'value="http://testserver/?couleur=pays&amp;transfrontalier=1"' in response.text
    assert (
        '&lt;iframe src="http://testserver/embed/reseau?couleur=pays&amp;transfrontalier=1"' in response.text
    )
    assert response.headers["x-frame-options"] == "DENY"


def test_bad_view_parameters_are_refused_in_words(client: TestClient) -> None:
    response = client.get("/?territoire=<script>")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "Territoire inconnu : « <script> »"
    assert client.get("/?acteur=hab-lucas-lafitte").status_code == 404  # a private person is no focus
    assert client.get("/?seuil=5").status_code == 422


def test_the_embed_shows_public_data_only_whoever_asks(client: TestClient) -> None:
    anonymous = client.get("/embed/reseau?couleur=college")
    token = client.app.state.animator_token  # type: ignore[attr-defined]
    animator = client.get("/embed/reseau?couleur=college", headers={"Authorization": f"Bearer {token}"})
    assert anonymous.status_code == animator.status_code == 200
    assert anonymous.headers["content-security-policy"].endswith("frame-ancestors *")
    assert "x-frame-options" not in anonymous.headers
    assert drawn(anonymous.text) == drawn(animator.text)
    for html in (anonymous.text, animator.text):
        assert not any(name in html for name in PRIVATE_NAMES)
        assert "<form" not in html and "/actors/" not in html and "Connexion" not in html
    assert len(drawn(anonymous.text)["nodes"]) == 77
    assert all("url" not in node for node in drawn(anonymous.text)["nodes"])
    grouped = drawn(client.get("/embed/reseau?seuil=10").text)
    assert all(node["url"].startswith("/embed/reseau?") for node in grouped["nodes"])


def test_the_layout_is_kept_for_the_next_view_of_the_same_actors(index: NetworkIndex) -> None:
    first = explorer_picture(index, ExplorerView(couleur="domaine"))
    table = index.derived["explorer-layouts"]
    size = len(table)  # type: ignore[arg-type]
    again = explorer_picture(index, ExplorerView(couleur="college"))
    assert len(table) == size  # type: ignore[arg-type]
    assert [(n.id, n.x, n.y) for n in first.nodes] == [(n.id, n.x, n.y) for n in again.nodes]


def test_group_colours_are_kept_per_index_and_handed_out_as_copies(index: NetworkIndex) -> None:
    # Kept on the index (counting every actor's group was most of an actor page's time at 25,000 actors);
    # the colours by country of the sample: two groups, the palette's first two colours in sorted order.
    first = group_colors(index, "pays")
    assert first == colors_for(["Espagne", "France"])
    first["Autres pays"] = OTHER_COLOR  # what `actor_groups` does to its copy
    assert group_colors(index, "pays") == colors_for(["Espagne", "France"])
    assert index.derived["group-colors"]["pays"] == colors_for(["Espagne", "France"])
