"""Network indicators on tiny networks whose values are worked out by hand in comments, then on the sample.

Definitions (docs/decisions/20261128-network-metrics.md):
    betweenness  Σ_{s<t} σ_st(v) / σ_st · 2 / ((n − 1)(n − 2))   (networkx's normalised value)
    degree       distinct collaborators; degree centrality = degree / (n − 1)
    eigenvector  leading eigenvector of A, unit Euclidean norm
    brokers      entropy H = −Σ p_g log₂ p_g of the collaborators' groups (fields, colleges);
                 collaborators in another country (border)
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from maillage.api.app import create_app
from maillage.api.routers import network as network_router
from maillage.graph.index import NetworkIndex, UnknownActorError, build_index
from maillage.graph.metrics import (
    brokers,
    centralities,
    collaboration_path,
    collaboration_view,
    communities,
    evolution,
    field_gaps,
    gaps,
    need_gaps,
    peripheral_actors,
    read_dated_network,
)
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore

SAMPLE = Path(__file__).resolve().parents[1] / "ingest" / "data" / "sample" / "ptce-sud-aquitain"
G = URIRef("https://w3id.org/maillage/graph/network/test")
FIELD = "https://w3id.org/maillage/concept/field/"
RESOURCE = "https://w3id.org/maillage/concept/resource/"

PREFIXES = """
@prefix mai: <https://w3id.org/maillage/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix actor: <https://w3id.org/maillage/id/actor/> .
@prefix project: <https://w3id.org/maillage/id/project/> .
@prefix membership: <https://w3id.org/maillage/id/membership/> .
@prefix participation: <https://w3id.org/maillage/id/participation/> .
@prefix partnership: <https://w3id.org/maillage/id/partnership/> .
@prefix commune: <https://w3id.org/maillage/id/commune/> .
@prefix municipio: <https://w3id.org/maillage/id/municipio/> .
@prefix field: <https://w3id.org/maillage/concept/field/> .
@prefix resource: <https://w3id.org/maillage/concept/resource/> .
@prefix college: <https://w3id.org/maillage/concept/college/> .
"""

# insertion-professionnelle (top); circuits-courts > alimentation-locale; emploi (top), nobody's.
# equipements > chambre-froide; vehicules > vehicule-utilitaire > fourgon; locaux > salle-reunion.
CONCEPTS = """
field:insertion-professionnelle skos:inScheme mai:fields ; skos:prefLabel "Insertion professionnelle"@fr .
field:circuits-courts skos:inScheme mai:fields ; skos:prefLabel "Circuits courts"@fr .
field:alimentation-locale skos:inScheme mai:fields ; skos:broader field:circuits-courts ;
    skos:prefLabel "Alimentation locale"@fr .
field:emploi skos:inScheme mai:fields ; skos:prefLabel "Emploi"@fr .
resource:equipements skos:inScheme mai:resources ; skos:prefLabel "Équipements"@fr .
resource:chambre-froide skos:inScheme mai:resources ; skos:broader resource:equipements ;
    skos:prefLabel "Chambre froide"@fr .
resource:vehicules skos:inScheme mai:resources ; skos:prefLabel "Véhicules"@fr .
resource:vehicule-utilitaire skos:inScheme mai:resources ; skos:broader resource:vehicules ;
    skos:prefLabel "Véhicule utilitaire"@fr .
resource:fourgon skos:inScheme mai:resources ; skos:broader resource:vehicule-utilitaire ;
    skos:prefLabel "Fourgon"@fr .
resource:locaux skos:inScheme mai:resources ; skos:prefLabel "Locaux"@fr .
resource:salle-reunion skos:inScheme mai:resources ; skos:broader resource:locaux ;
    skos:prefLabel "Salle de réunion"@fr .
college:ess skos:inScheme mai:colleges ; skos:prefLabel "ESS"@fr .
college:collectivites skos:inScheme mai:colleges ; skos:prefLabel "Collectivités"@fr .
"""


def store_of(turtle: str) -> Store:
    graph = Graph().parse(data=PREFIXES + CONCEPTS + turtle, format="turtle")
    store = OxigraphStore(None)
    store.add_all((s, p, o, G) for s, p, o in graph)  # type: ignore[misc]
    return store


def index_of(turtle: str) -> NetworkIndex:
    return build_index(store_of(turtle))


def organisations(*keys: str, field: str = "insertion-professionnelle") -> str:
    return "".join(
        f'actor:{k} a mai:Organisation ; skos:prefLabel "{k.upper()}" ; mai:field field:{field} .\n'
        for k in keys
    )


def project(key: str, *members: str) -> str:
    """A project and its participations: every pair of members becomes a link."""
    lines = [f'project:{key} a mai:Project ; skos:prefLabel "Projet {key}" .']
    lines += [
        f"participation:{key}.{m} mai:project project:{key} ; mai:participant actor:{m} ." for m in members
    ]
    return "\n".join(lines) + "\n"


def partners(a: str, b: str) -> str:
    return f"actor:{a} mai:partnerOf actor:{b} .\nactor:{b} mai:partnerOf actor:{a} .\n"


# --- centralities ---------------------------------------------------------------------------------

P3 = index_of(organisations("a", "b", "c") + project("ab", "a", "b") + project("bc", "b", "c"))


def test_p3_betweenness_of_the_middle_node() -> None:
    result = centralities(P3)
    # n = 3: the one pair not involving b, (a, c), has its only shortest path through b → raw 1,
    # normalised 1 · 2 / ((3 − 1)(3 − 2)) = 1. The ends lie on no path between two others → 0.
    assert [a.betweenness for a in result.actors] == pytest.approx([0.0, 1.0, 0.0])
    # degree centrality: 1 / 2, 2 / 2, 1 / 2
    assert [(a.key, a.degree, a.degree_centrality) for a in result.actors] == [
        ("a", 1, 0.5),
        ("b", 2, 1.0),
        ("c", 1, 0.5),
    ]
    # A has eigenvalues ±√2 and 0; the leading eigenvector is (1, √2, 1) / 2
    assert [a.eigenvector for a in result.actors] == pytest.approx([0.5, math.sqrt(2) / 2, 0.5], abs=1e-5)
    method = result.betweenness_method
    assert (method.method, method.exact, method.max_error) == ("exact", True, 0.0)
    assert method.sentence() == "Intermédiarité exacte (algorithme de Brandes, toutes les 3 sources)."
    assert [a.key for a in result.ranked("betweenness")] == ["b", "a", "c"]


STAR = index_of(
    organisations("hub", "l1", "l2", "l3", "l4")
    + "".join(partners("hub", leaf) for leaf in ("l1", "l2", "l3", "l4"))
)


def test_star_centre_is_on_every_path() -> None:
    hub = centralities(STAR).of("hub")
    # the C(4, 2) = 6 pairs of leaves all pass through the hub: 6 · 2 / (4 · 3) = 1
    assert (hub.degree, hub.degree_centrality, hub.betweenness) == (4, 1.0, pytest.approx(1.0))
    # K1,4: λ = √4 = 2, eigenvector (√4, 1, 1, 1, 1) / √8 → hub 2/√8 = 0.7071, leaves 1/√8 = 0.3536
    assert hub.eigenvector == pytest.approx(1 / math.sqrt(2), abs=1e-5)
    assert centralities(STAR).of("l3").eigenvector == pytest.approx(1 / math.sqrt(8), abs=1e-5)
    assert centralities(STAR).of("l3").betweenness == 0.0


# Two triangles {a, b, c} (insertion) and {d, e, f} (circuits courts, one via alimentation-locale),
# joined by the partnership c – d.
BRIDGE_TURTLE = (
    organisations("a", "b", "c")
    + organisations("d", "e", field="circuits-courts")
    + organisations("f", field="alimentation-locale")
    + project("left", "a", "b", "c")
    + project("right", "d", "e", "f")
    + partners("c", "d")
)
BRIDGE = index_of(BRIDGE_TURTLE)


def test_two_triangles_and_a_bridge() -> None:
    result = centralities(BRIDGE)
    # c lies on every shortest path from {a, b} to {d, e, f}: 2 · 3 = 6 pairs → 6 · 2 / (5 · 4) = 0.6;
    # the same for d. Nobody else is between two others.
    assert {a.key: a.betweenness for a in result.actors} == pytest.approx(
        {"a": 0.0, "b": 0.0, "c": 0.6, "d": 0.6, "e": 0.0, "f": 0.0}
    )
    # the same values as networkx's own functions on the same graph
    expected = nx.betweenness_centrality(BRIDGE.collaboration)
    assert {a.key: a.betweenness for a in result.actors} == pytest.approx(expected)
    eigen = nx.eigenvector_centrality(BRIDGE.collaboration, max_iter=1000, tol=1e-10)
    assert {a.key: a.eigenvector for a in result.actors} == pytest.approx(eigen, abs=1e-5)


def test_communities_split_at_the_bridge_with_the_modularity_worked_out() -> None:
    result = communities(BRIDGE, seed=7)
    assert [c.members for c in result.communities] == [("a", "b", "c"), ("d", "e", "f")]
    # m = 7 links of weight 1; each side holds 3 links and degree sum 2 + 2 + 3 = 7:
    # Q = 2 · (3/7 − (7/14)²) = 0.357143
    assert result.modularity == pytest.approx(2 * (3 / 7 - 0.25))
    assert (result.left_out, result.seed, result.method) == (
        0,
        7,
        "Leiden (modularité, graine=7, résolution=1, itérations=2)",
    )
    left, right = result.communities
    assert (left.internal_links, left.density) == (3, 1.0)
    # alimentation-locale counts for its top field, circuits-courts
    assert [(g.group, g.total) for g in right.fields] == [(FIELD + "circuits-courts", 3)]
    assert right.sentence(BRIDGE) == "Communauté 2 : 3 acteurs ; domaines dominants « Circuits courts » (3)."


def test_same_seed_same_communities_on_fresh_indexes() -> None:
    first = communities(index_of(BRIDGE_TURTLE), seed=3)
    second = communities(index_of(BRIDGE_TURTLE), seed=3)
    assert first == second


def test_field_brokers_are_the_two_ends_of_the_bridge() -> None:
    found = brokers(BRIDGE, dimension="domaines")
    # c works with a, b (insertion) and d (circuits courts): p = (2/3, 1/3),
    # H = −(2/3 log₂ 2/3 + 1/3 log₂ 1/3) = 0.918296 bits; d the same with e, f and c.
    h = -(2 / 3 * math.log2(2 / 3) + 1 / 3 * math.log2(1 / 3))
    assert [(b.key, b.score) for b in found] == [("c", pytest.approx(h)), ("d", pytest.approx(h))]
    assert found[0].sentence(BRIDGE) == (
        "« C » relie des partenaires de 2 domaines : « Insertion professionnelle » (2) et "
        "« Circuits courts » (1)."
    )


def test_one_collaborator_in_two_fields_is_no_bridge() -> None:
    index = index_of(
        organisations("solo") + 'actor:both a mai:Organisation ; skos:prefLabel "BOTH" ; '
        "mai:field field:insertion-professionnelle, field:circuits-courts .\n"
        + project("pair", "solo", "both")
    )
    # solo's only collaborator spans two fields, but a bridge needs two collaborators
    assert brokers(index, dimension="domaines") == []


# A French – Spanish bridge: f1 – f2 (project), f2 – e1 (partnership), e1 – e2 (project).
BORDER = index_of(
    'actor:f1 a mai:Organisation ; skos:prefLabel "F1" ; mai:basedIn commune:64024 .\n'
    'actor:f2 a mai:Organisation ; skos:prefLabel "F2" ; mai:basedIn commune:64122 .\n'
    'actor:e1 a mai:Organisation ; skos:prefLabel "E1" ; mai:basedIn municipio:20045 .\n'
    'actor:e2 a mai:Organisation ; skos:prefLabel "E2" ; mai:basedIn municipio:20069 .\n'
    + project("fr", "f1", "f2")
    + project("es", "e1", "e2")
    + partners("f2", "e1")
)


def test_border_brokers_link_france_and_spain() -> None:
    found = brokers(BORDER, dimension="frontiere")
    # f2 (FR) works with e1 (ES) and f1 (FR); e1 (ES) with f2 (FR) and e2 (ES): one across each
    assert [(b.key, b.score, b.own_groups) for b in found] == [("e1", 1.0, ("ES",)), ("f2", 1.0, ("FR",))]
    assert (
        found[1].sentence(BORDER)
        == "« F2 », en France, travaille avec 1 acteur en Espagne et avec 1 acteur en France."
    )
    # f2 and e1 are also the middle of the path f1 – f2 – e1 – e2: each is between 2 of the 3 pairs
    # not involving it → 2 · 2 / (3 · 2) = 0.667
    assert centralities(BORDER).of("f2").betweenness == pytest.approx(2 / 3)


def test_path_across_the_border_names_each_link() -> None:
    path = collaboration_path(BORDER, "f1", "e2")
    assert (path.actors, path.length) == (("f1", "f2", "e1", "e2"), 3)
    assert [(s.projects, s.partnership) for s in path.steps] == [
        (("fr",), False),
        ((), True),
        (("es",), False),
    ]
    assert path.sentence(BORDER) == (
        "« F1 » et « E2 » sont reliés en 3 étapes : « F1 » → « F2 » (projet « Projet fr ») ; "
        "« F2 » → « E1 » (partenariat) ; « E1 » → « E2 » (projet « Projet es »)."
    )
    assert collaboration_path(BORDER, "f1", "f1").sentence(BORDER) == "« F1 » : c'est le même acteur."


def test_path_without_connection_and_unknown_actor() -> None:
    path = collaboration_path(BRIDGE, "a", "f")
    assert path.found and path.length == 3
    lonely = index_of(organisations("x", "y"))
    none = collaboration_path(lonely, "x", "y")
    assert (none.found, none.length, none.steps) == (False, None, ())
    assert none.sentence(lonely) == (
        "Aucun chemin de collaboration ne relie « X » et « Y » : ils sont dans deux parties séparées "
        "du réseau."
    )
    with pytest.raises(UnknownActorError, match="Acteur inconnu : « zz »"):
        collaboration_path(lonely, "x", "zz")


# --- privacy --------------------------------------------------------------------------------------

PRIVATE = index_of(
    organisations("a", "b")
    + 'actor:p a mai:Person ; skos:prefLabel "Personne privée" ; mai:field field:emploi .\n'
    + project("ap", "a", "p")
    + project("pb", "p", "b")
)


def test_the_public_view_leaves_private_persons_and_their_links_out() -> None:
    public = centralities(PRIVATE)
    assert [(a.key, a.degree) for a in public.actors] == [("a", 0), ("b", 0)]
    # for animators: a – p – b, p is between a and b: 1 · 2 / (2 · 1) = 1
    everyone = centralities(PRIVATE, include_private=True)
    assert everyone.of("p").betweenness == pytest.approx(1.0)
    assert collaboration_view(PRIVATE).keys == ("a", "b")
    with pytest.raises(UnknownActorError):
        collaboration_path(PRIVATE, "a", "p")
    assert collaboration_path(PRIVATE, "a", "b", include_private=True).actors == ("a", "p", "b")
    assert [p.key for p in peripheral_actors(PRIVATE)] == ["a", "b"]
    assert all("Personne" not in c.sentence(PRIVATE) for c in communities(PRIVATE, min_size=1).communities)


# --- sampled betweenness --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> NetworkIndex:
    """300 actors, about 1,200 partnerships (a seeded power-law graph with clustering)."""
    graph = nx.powerlaw_cluster_graph(300, 4, 0.3, seed=11)
    turtle = organisations(*(f"a{i:03d}" for i in graph))
    turtle += "".join(partners(f"a{u:03d}", f"a{v:03d}") for u, v in graph.edges)
    return index_of(turtle)


def test_sampled_betweenness_is_the_documented_estimator(generated: NetworkIndex) -> None:
    n, k, seed = 300, 60, 5
    result = centralities(generated, betweenness="sampled", sources=k, seed=seed, batches=6)
    method = result.betweenness_method
    assert (method.method, method.exact, method.sources, method.batches) == (
        "échantillonné (k=60, graine=5)",
        False,
        60,
        6,
    )
    # The same estimator written with networkx: k sources drawn by numpy's generator with this seed,
    # their dependencies (networkx halves them on an undirected graph), scaled by n / k and normalised.
    chosen = np.random.default_rng(seed).choice(n, size=k, replace=False)
    keys = [a.key for a in generated.actors]
    raw = nx.betweenness_centrality_subset(
        generated.collaboration, sources=[keys[i] for i in chosen], targets=keys, normalized=False
    )
    expected = {key: raw[key] * n / k * 2 / ((n - 1) * (n - 2)) for key in keys}
    assert {a.key: a.betweenness for a in result.actors} == pytest.approx(expected)


def test_sampled_betweenness_states_its_error_and_is_reproducible(generated: NetworkIndex) -> None:
    sampled = centralities(generated, betweenness="sampled", sources=60, seed=5, batches=6)
    again = centralities(build_index_like(generated), betweenness="sampled", sources=60, seed=5, batches=6)
    assert [a.betweenness for a in sampled.actors] == [a.betweenness for a in again.actors]
    other_seed = centralities(generated, betweenness="sampled", sources=60, seed=6, batches=6)
    assert [a.betweenness for a in other_seed.actors] != [a.betweenness for a in sampled.actors]

    exact = {a.key: a.betweenness for a in centralities(generated, betweenness="exact").actors}
    errors = np.array([abs(a.betweenness - exact[a.key]) for a in sampled.actors])
    standard_errors = np.array([a.betweenness_error for a in sampled.actors])
    method = sampled.betweenness_method
    assert method.max_error == pytest.approx(standard_errors.max()) and method.max_error > 0
    # the stated standard error is of the right size: the mean error is within twice the mean stated one
    assert errors.mean() <= 2 * standard_errors.mean()
    # the Hoeffding bound (risk 5 %) holds for every actor: n/(n−1) · √(ln(2/0.05) / (2k))
    assert method.hoeffding_bound == pytest.approx(300 / 299 * math.sqrt(math.log(40) / 120))
    assert errors.max() <= method.hoeffding_bound
    assert method.sentence().startswith(
        "Intermédiarité estimée à partir de 60 acteurs de départ tirés au hasard parmi 300 (graine 5) ; "
        "erreur type estimée sur 6 lots : ±"
    )


def build_index_like(index: NetworkIndex) -> NetworkIndex:
    """A fresh index with the same content (so nothing is memoised)."""
    store = OxigraphStore(None)
    turtle = organisations(*(a.key for a in index.actors))
    turtle += "".join(partners(a, b) for a, b in index.collaboration.edges)
    graph = Graph().parse(data=PREFIXES + CONCEPTS + turtle, format="turtle")
    store.add_all((s, p, o, G) for s, p, o in graph)  # type: ignore[misc]
    return build_index(store)


def test_auto_mode_samples_beyond_the_work_threshold(generated: NetworkIndex) -> None:
    # n · (n + m) ≈ 300 · 1,500 = 450,000: exact by default, sampled under a smaller threshold
    assert centralities(generated).betweenness_method.exact
    small = centralities(generated, exact_max_work=1000, sources=100, seed=0)
    assert small.betweenness_method.method == "échantillonné (k=100, graine=0)"
    # asking for as many sources as actors is the exact computation
    assert centralities(generated, betweenness="sampled", sources=300).betweenness_method.exact


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="Méthode d'intermédiarité inconnue : « approx »"):
        centralities(P3, betweenness="approx")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Échantillon invalide : sources=0"):
        centralities(P3, sources=0)
    with pytest.raises(ValueError, match="Centralité inconnue : « closeness »"):
        centralities(P3).ranked("closeness")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Dimension inconnue : « pays »"):
        brokers(P3, dimension="pays")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="La résolution doit être positive, pas 0"):
        communities(P3, resolution=0)


def test_an_empty_network_has_empty_indicators() -> None:
    empty = build_index(OxigraphStore(None))
    assert centralities(empty).actors == ()
    assert communities(empty).communities == ()
    assert brokers(empty) == [] and peripheral_actors(empty) == []


# --- periphery ------------------------------------------------------------------------------------

PERIPHERY = index_of(
    BRIDGE_TURTLE
    + organisations("g", field="circuits-courts")
    + partners("a", "g")
    + organisations("h")
    + organisations("i", "j", field="emploi")
    + project("apart", "i", "j")
)


def test_isolated_outside_and_peripheral_actors_with_who_to_involve() -> None:
    found = peripheral_actors(PERIPHERY)
    # h: no link; i, j: a pair cut off from the rest; g: hangs on a alone (coreness 1).
    assert [(p.key, p.status, p.degree, p.coreness, p.component_size) for p in found] == [
        ("h", "isole", 0, 0, 1),
        ("i", "hors-composante-principale", 1, 1, 2),
        ("j", "hors-composante-principale", 1, 1, 2),
        ("g", "peripherique", 1, 1, 7),
    ]
    # best connected in the main part, in the same top field, not yet linked: h (insertion) → a (degree 3),
    # then c (degree 3: a, b, d); g (circuits courts) → d (degree 3), then e (degree 2, before f by key)
    by_key = {p.key: p for p in found}
    assert by_key["h"].suggestions == ("a", "c")
    assert by_key["g"].suggestions == ("d", "e")
    assert by_key["h"].sentence(PERIPHERY) == (
        "« H » n'a encore ni projet ni partenariat dans le réseau : à associer, par exemple avec « A » et "
        "« C », très reliés dans le domaine « Insertion professionnelle »."
    )
    assert by_key["g"].sentence(PERIPHERY) == (
        "« G » n'est relié au réseau que par « A » : à associer, par exemple avec « D » et « E », "
        "très reliés dans le domaine « Circuits courts »."
    )
    # nobody in the main part works in « Emploi »
    assert by_key["i"].sentence(PERIPHERY) == (
        "« I » fait partie d'un groupe de 2 acteurs séparé du reste du réseau (« J ») : à associer à un "
        "prochain projet du réseau."
    )
    assert [p.key for p in peripheral_actors(PERIPHERY, status="isole")] == ["h"]


# --- gaps -----------------------------------------------------------------------------------------

GAPS = index_of(
    'actor:ferme a mai:Organisation ; skos:prefLabel "Ferme" ; mai:field field:alimentation-locale ;\n'
    "    mai:needs resource:chambre-froide, resource:vehicule-utilitaire, resource:salle-reunion .\n"
    'actor:atelier a mai:Organisation ; skos:prefLabel "Atelier" ; mai:field field:alimentation-locale ;\n'
    "    mai:needs resource:chambre-froide ; mai:offers resource:fourgon, resource:salle-reunion .\n"
    'actor:garage a mai:Organisation ; skos:prefLabel "Garage" ;\n'
    "    mai:field field:insertion-professionnelle ; mai:offers resource:vehicules .\n"
)


def test_needs_nobody_offers_with_the_hierarchy_one_step_away() -> None:
    found = need_gaps(GAPS)
    # chambre-froide: needed by 2, nobody offers it nor « Équipements » → non-couvert.
    # vehicule-utilitaire: nobody offers it, but « Véhicules » (broader, garage) and « Fourgon »
    # (narrower, atelier) are one step away → partiellement-couvert.
    # salle-reunion: atelier offers it → covered, not listed.
    assert [(g.resource, g.status, g.needed_by) for g in found] == [
        (URIRef(RESOURCE + "chambre-froide"), "non-couvert", ("atelier", "ferme")),
        (URIRef(RESOURCE + "vehicule-utilitaire"), "partiellement-couvert", ("ferme",)),
    ]
    related = [(o.concept, o.relation, o.actors) for o in found[1].related_offers]
    assert related == [
        (URIRef(RESOURCE + "vehicules"), "plus-large", ("garage",)),
        (URIRef(RESOURCE + "fourgon"), "plus-precis", ("atelier",)),
    ]
    assert found[0].sentence(GAPS) == (
        "Besoin « Chambre froide » exprimé par 2 acteurs (« Atelier » et « Ferme ») : personne ne le "
        "propose dans le réseau, ni un concept voisin."
    )
    assert found[1].sentence(GAPS) == (
        "Besoin « Véhicule utilitaire » exprimé par 1 acteur (« Ferme ») : personne ne propose exactement "
        "« Véhicule utilitaire », mais « Garage » propose « Véhicules » (concept plus large) ; « Atelier » "
        "propose « Fourgon » (concept plus précis) — besoin en partie couvert."
    )


def test_fields_with_one_actor_or_none() -> None:
    # circuits-courts: ferme and atelier through alimentation-locale (2); insertion: garage (1); emploi: 0
    assert [(g.field, g.actors) for g in field_gaps(GAPS)] == [
        (URIRef(FIELD + "emploi"), ()),
        (URIRef(FIELD + "insertion-professionnelle"), ("garage",)),
    ]
    assert [g.sentence(GAPS) for g in field_gaps(GAPS)] == [
        "Domaine « Emploi » : aucun acteur du réseau.",
        "Domaine « Insertion professionnelle » : un seul acteur, « Garage ».",
    ]
    assert len(field_gaps(GAPS, max_actors=2)) == 4
    assert gaps(GAPS).needs == tuple(need_gaps(GAPS))


# --- evolution ------------------------------------------------------------------------------------

DATED = """
actor:a a mai:Organisation ; skos:prefLabel "A" .
actor:b a mai:Organisation ; skos:prefLabel "B" .
actor:c a mai:Organisation ; skos:prefLabel "C" .
actor:d a mai:Organisation ; skos:prefLabel "D" .
actor:p a mai:Person ; skos:prefLabel "P" .
membership:a org:member actor:a ; schema:startDate "2018-03-01"^^xsd:date ;
    mai:charterSigned "2018-03-01"^^xsd:date .
membership:b org:member actor:b ; schema:startDate "2018-09-01"^^xsd:date .
membership:c org:member actor:c ; schema:startDate "2019-05-01"^^xsd:date ;
    schema:endDate "2020-06-30"^^xsd:date ; mai:charterSigned "2019-05-01"^^xsd:date .
membership:d org:member actor:d ; schema:startDate "2020-01-10"^^xsd:date .
membership:p org:member actor:p ; schema:startDate "2019-01-01"^^xsd:date .
project:x a mai:Project ; skos:prefLabel "X" ;
    schema:startDate "2019-01-01"^^xsd:date ; schema:endDate "2020-12-31"^^xsd:date .
participation:x.a mai:project project:x ; mai:participant actor:a .
participation:x.b mai:project project:x ; mai:participant actor:b ; schema:endDate "2019-12-31"^^xsd:date .
participation:x.p mai:project project:x ; mai:participant actor:p .
project:y a mai:Project ; skos:prefLabel "Y" .
participation:y.c mai:project project:y ; mai:participant actor:c .
participation:y.d mai:project project:y ; mai:participant actor:d .
partnership:c.d a mai:Partnership ; mai:partner actor:c, actor:d ; schema:startDate "2020-02-01"^^xsd:date .
partnership:a.b a mai:Partnership ; mai:partner actor:a, actor:b .
"""


@pytest.fixture(scope="module")
def dated_store() -> Store:
    return store_of(DATED)


def test_evolution_year_by_year(dated_store: Store) -> None:
    index = build_index(dated_store)
    result = evolution(index, read_dated_network(dated_store, index), until=2021)
    # Public view (p is a private person). Project y and its participations have no dates at all, and the
    # a – b partnership has no start date: counted as undated, never guessed.
    # 2018: a, b join; nothing else → 2 vertices, 0 links, 2 components.
    # 2019: c joins; x runs (a: project dates 2019–2020; b: until 2019-12-31) → link a – b;
    #       vertices a, b, c → density 1 / 3, average degree 2/3, components {a, b}, {c}.
    # 2020: c leaves (30 June: still a member in 2020), d joins; x: a only (b's ended in 2019), so no
    #       co-participation; partnership c – d from February → one link; vertices a, b, c, d →
    #       components {a}, {b}, {c, d} = 3, isolated a and b.
    # 2021: members a, b, d; no participation; the c – d partnership runs on (no end) → c is a vertex:
    #       vertices a, b, c, d, links c – d → 3 components.
    rows = [
        (y.year, y.members, y.joined, y.left, y.charter_signatures, y.projects, y.participations)
        + (y.partnerships, y.actors, y.links, y.components, y.isolated)
        for y in result
    ]
    assert rows == [
        (2018, 2, 2, 0, 1, 0, 0, 0, 2, 0, 2, 2),
        (2019, 3, 1, 0, 1, 1, 2, 0, 3, 1, 2, 1),
        (2020, 4, 1, 1, 0, 1, 1, 1, 4, 1, 3, 2),
        (2021, 3, 0, 0, 0, 0, 0, 1, 4, 1, 3, 2),
    ]
    assert result[1].density == pytest.approx(1 / 3) and result[1].average_degree == pytest.approx(2 / 3)
    assert (result.start_year, result.undated) == (
        2018,
        {"adhesions": 0, "participations": 2, "partenariats": 1},
    )
    assert result[1].sentence() == (
        "En 2019 : 3 membres (1 arrivée(s), 0 départ(s)), 1 projet(s) actif(s), 2 participation(s), "
        "0 partenariat(s) ; densité 0,33, 2 composante(s), degré moyen 0,67."
    )


def test_evolution_for_animators_counts_the_private_person(dated_store: Store) -> None:
    index = build_index(dated_store)
    result = evolution(
        index, read_dated_network(dated_store, index), include_private=True, since=2019, until=2019
    )
    # p joins in 2019 and takes part in x (project dates): members a, b, c, p; links a – b, a – p, b – p
    [year] = result.years
    assert (year.members, year.participations, year.links, year.components) == (4, 3, 3, 2)


def test_evolution_refuses_an_empty_period(dated_store: Store) -> None:
    index = build_index(dated_store)
    with pytest.raises(ValueError, match="Période vide : de 2021 à 2019"):
        evolution(index, read_dated_network(dated_store, index), since=2021, until=2019)


# --- the sample network: checks a person can redo from the CSV files ---------------------------------


def read_csv(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def active(start: str, end: str, year: int) -> bool:
    return bool(start) and int(start[:4]) <= year and (not end or int(end[:4]) >= year)


PRIVATE_PERSONS = {
    row["identifiant"]
    for row in read_csv("acteurs.csv")
    if row["type"] == "habitant" and row["consentement_public"].strip().lower() != "oui"
}


@pytest.fixture(scope="module")
def sample_index(sample_store: Store) -> NetworkIndex:
    return build_index(sample_store)


def test_sample_evolution_matches_the_spreadsheets(sample_store: Store, sample_index: NetworkIndex) -> None:
    result = evolution(sample_index, read_dated_network(sample_store, sample_index), until=2025)
    memberships = read_csv("adhesions.csv")
    projects = {row["identifiant"]: row for row in read_csv("projets.csv")}
    participations = read_csv("participations.csv")
    partnerships = read_csv("partenariats.csv")
    assert result.start_year == min(int(row["date_debut"][:4]) for row in memberships) == 2014
    for year in result:
        members = {
            row["acteur"]
            for row in memberships
            if row["acteur"] not in PRIVATE_PERSONS and active(row["date_debut"], row["date_fin"], year.year)
        }
        taking_part = [
            row
            for row in participations
            if row["acteur"] not in PRIVATE_PERSONS
            and active(
                row["date_debut"] or projects[row["projet"]]["date_debut"],
                row["date_fin"] or projects[row["projet"]]["date_fin"],
                year.year,
            )
        ]
        partnering = [
            row
            for row in partnerships
            if not {row["acteur_a"], row["acteur_b"]} & PRIVATE_PERSONS
            and active(row["date_debut"], row["date_fin"], year.year)
        ]
        assert (year.year, year.members, year.participations, year.partnerships) == (
            year.year,
            len(members),
            len(taking_part),
            len(partnering),
        )
    # two of them, read from the file by hand: 8 founders in 2014; 74 public members in 2025
    # (79 rows − 4 ended before 2025 − hab-jean-baptiste-dufau, private)
    assert (result[0].members, result[-1].members) == (8, 74)


def test_sample_members_per_year_for_animators(sample_store: Store, sample_index: NetworkIndex) -> None:
    dated = read_dated_network(sample_store, sample_index)
    result = evolution(sample_index, dated, include_private=True, since=2021, until=2021)
    rows = read_csv("adhesions.csv")
    assert result[0].members == sum(1 for row in rows if active(row["date_debut"], row["date_fin"], 2021))


def test_sample_centralities_equal_networkx(sample_index: NetworkIndex) -> None:
    public = [a.key for a in sample_index.actors if a.is_public]
    graph = sample_index.collaboration.subgraph(public)
    result = centralities(sample_index)
    assert result.betweenness_method.exact and result.n == len(public) == 77
    assert {a.key: a.betweenness for a in result.actors} == pytest.approx(nx.betweenness_centrality(graph))
    assert {a.key: a.degree_centrality for a in result.actors} == pytest.approx(nx.degree_centrality(graph))
    eigen = nx.eigenvector_centrality(graph, max_iter=1000, tol=1e-10)
    assert {a.key: a.eigenvector for a in result.actors} == pytest.approx(eigen, abs=1e-4)


def test_sample_communities_are_reproducible_and_cover_every_linked_actor(sample_store: Store) -> None:
    first = communities(build_index(sample_store), seed=42)
    second = communities(build_index(sample_store), seed=42)
    assert first == second
    members = [k for c in first.communities for k in c.members]
    assert len(members) == len(set(members))
    # isolated actors are left out as communities of one
    isolated = {p.key for p in peripheral_actors(build_index(sample_store), status="isole")}
    assert not isolated & set(members) and first.left_out >= len(isolated)


def test_sample_border_brokers_are_cross_border(sample_index: NetworkIndex) -> None:
    for broker in brokers(sample_index, dimension="frontiere"):
        actor = sample_index.actor(broker.key)
        others = {sample_index.actor(k).country for k in sample_index.collaboration[broker.key]}
        assert others - {actor.country}, broker.key


def test_sample_gaps_are_needs_nobody_offers(sample_index: NetworkIndex) -> None:
    offered = {row["ressource"] for row in read_csv("offres.csv") if row["acteur"] not in PRIVATE_PERSONS}
    for gap in need_gaps(sample_index):
        assert gap.resource.rsplit("/", 1)[1] not in offered


# --- the API --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(sample_store: Store) -> Iterator[TestClient]:
    app = create_app(sample_store)
    if not any(getattr(route, "path", "").startswith("/api/network") for route in app.routes):
        app.include_router(network_router.router)  # until app.py includes it
    yield TestClient(app)


def test_api_metrics_pages_and_sorts(client: TestClient, sample_index: NetworkIndex) -> None:
    body = client.get("/api/network/metrics", params={"limit": 3, "sort": "degree"}).json()
    expected = centralities(sample_index).ranked("degree")[:3]
    assert [row["id"] for row in body["data"]] == [a.key for a in expected]
    assert [row["degree"] for row in body["data"]] == [a.degree for a in expected]
    assert (body["count"], body["actors"], body["method"], body["error"], body["sort"]) == (
        77,
        77,
        "exact",
        None,
        "degree",
    )
    second = client.get("/api/network/metrics", params={"limit": 2, "offset": 1, "sort": "degree"}).json()
    assert [row["id"] for row in second["data"]] == [a.key for a in expected[1:3]]
    bad = client.get("/api/network/metrics", params={"sort": "closeness"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "parametre_invalide"


def test_api_communities_seed_gives_the_same_answer(client: TestClient) -> None:
    first = client.get("/api/network/communities", params={"seed": 5}).json()
    assert first == client.get("/api/network/communities", params={"seed": 5}).json()
    assert first["seed"] == 5 and first["count"] == len(first["data"]) > 1
    assert first["data"][0]["sentence"].startswith(f"Communauté 1 : {first['data'][0]['size']} acteurs")


def test_api_path_and_its_errors(client: TestClient) -> None:
    body = client.get(
        "/api/network/path", params={"from": "es-gasteiz-birziklatu", "to": "es-berrerabili-elkartea"}
    ).json()
    # partenariats.csv: es-gasteiz-birziklatu – es-berrerabili-elkartea « Échanges de stocks »
    assert (body["found"], body["length"]) == (True, 1)
    assert body["steps"][0]["partnership"] is True
    assert body["sentence"].startswith(
        "« Gasteiz Birziklatu Empresa de Inserción S.L. » et « Berrerabili Elkartea » sont reliés en 1 étape"
    )
    unknown = client.get("/api/network/path", params={"from": "nobody", "to": "es-berrerabili-elkartea"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "Acteur inconnu : « nobody »"
    private = client.get("/api/network/path", params={"from": "hab-lucas-lafitte", "to": "cae-sud-aquitaine"})
    assert private.status_code == 404 and "hab-lucas-lafitte" in private.json()["error"]["message"]
    assert client.get("/api/network/path", params={"from": "cae-sud-aquitaine"}).status_code == 422


def test_api_gaps_evolution_brokers_periphery(client: TestClient, sample_index: NetworkIndex) -> None:
    body = client.get("/api/network/gaps").json()
    assert body["needs"]["count"] == len(need_gaps(sample_index))
    assert body["fields"]["data"][0]["sentence"] == field_gaps(sample_index)[0].sentence(sample_index)

    years = client.get("/api/network/evolution", params={"since": 2014, "until": 2025}).json()
    assert (years["count"], years["start_year"]) == (12, 2014)
    assert (years["data"][0]["year"], years["data"][0]["members"]) == (2014, 8)
    empty = client.get("/api/network/evolution", params={"since": 2022, "until": 2020})
    assert empty.status_code == 422 and empty.json()["error"]["message"] == "Période vide : de 2022 à 2020"

    border = client.get("/api/network/brokers", params={"dimension": "frontiere", "limit": 1}).json()
    top = brokers(sample_index, dimension="frontiere")[0]
    assert (border["data"][0]["id"], border["count"]) == (
        top.key,
        len(brokers(sample_index, dimension="frontiere")),
    )

    periphery = client.get("/api/network/periphery", params={"status": "isole"}).json()
    assert [p["id"] for p in periphery["data"]] == [
        p.key for p in peripheral_actors(sample_index, status="isole")
    ]
    assert all(p["degree"] == 0 for p in periphery["data"])


def test_api_never_names_a_private_person(client: TestClient) -> None:
    names = {row["nom"] for row in read_csv("acteurs.csv") if row["identifiant"] in PRIVATE_PERSONS}
    for url in ("metrics?limit=1000", "communities", "periphery?limit=1000", "brokers?limit=1000", "gaps"):
        text = client.get(f"/api/network/{url}").text
        for secret in PRIVATE_PERSONS | names:
            assert secret not in text, (url, secret)


def test_evolution_dates_are_calendar_years() -> None:
    # the rule written in the module: active in Y when start ≤ 31 Dec Y and (no end or end ≥ 1 Jan Y)
    from maillage.graph.metrics.evolution import Period

    period = Period(dt.date(2019, 12, 31), dt.date(2021, 1, 1))
    assert [period.active_in(y) for y in (2018, 2019, 2020, 2021, 2022)] == [False, True, True, True, False]
