"""A seeded generator of realistic cooperation networks, written straight into a store as quads.

The networks follow the data model (docs/decisions/20261128-data-model.md) and the shape of the sample
network (ingest/data/sample/ptce-sud-aquitain), scaled up:

- actors on real communes of Landes and Pyrénées-Atlantiques, drawn in proportion to their population, and
  about 15 % on real municipios of the Basque Country and Navarre (drawn uniformly: the shipped Spanish
  files have no population; 3 % of them in municipios without coordinates, so some distances are unknown);
  coordinates are the centroid plus about 1 km of noise;
- actor types in the proportions of the sample, 2 % inhabitants (`mai:Person`), half of them without
  public consent;
- 1 to 3 fields each, 0 to 4 needs and 0 to 4 offers, drawn without replacement from the real scheme
  concepts with Zipf-skewed popularity (a few fields and resources are very common, most are rare; needs
  and offers have different favourites, which makes gaps and pooling opportunities);
- a dated membership of the network each (founders in 2014, growth since, 8 % ended);
- one project for 4 actors, of 2 to 15 participants with Zipf-skewed sizes, led by an actor drawn by
  Zipf-skewed activity, three partners in four from the same département or provincia;
- one partnership for 2 actors, mostly local, with both `mai:partnerOf` links and the qualified node.

Nothing goes through the spreadsheet importer: at these sizes the import itself is another benchmark
(issue 4 measures the analysis). The quads are written in batches as N-Quads with Oxigraph's bulk loader,
or through `Store.add_all` for any other store. The same size and seed give the same quads, byte for byte.

>>> from maillage.graph.stores.oxigraph import OxigraphStore
>>> store = OxigraphStore(None)
>>> summary = generate_network(store, 60, seed=1)
>>> summary.actors, summary.spanish > 0, summary.quads == len(store) - summary.reference_quads
(60, True, True)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pyoxigraph as ox
from rdflib import Literal, URIRef

from benchmarks import drawing
from benchmarks import nquads as nq
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore, from_ox
from maillage.ingest.importer import ensure_reference_data
from maillage.ingest.territories import places
from maillage.ontology.iri import concept_iri, data_iri, network_graph
from maillage.ontology.vocab import SKOS, XSD, ontology_graph

#: The three sizes of DESIGN §11: a network, a region, a country.
SIZES: tuple[int, ...] = (500, 25_000, 250_000)
#: The slug of the generated network (its IRI and its named graph).
NETWORK_SLUG = "banc-essai"
#: Where the network is based (Tarnos, as the PTCE Sud Aquitain).
NETWORK_COMMUNE = "40312"
#: Dates are drawn between the network's start and this fixed day, never the clock's, so runs agree.
NETWORK_START = dt.date(2014, 3, 1)
TODAY = dt.date(2026, 11, 28)

SPAIN_SHARE = 0.15
SPAIN_WITHOUT_COORDINATES = 0.03
COORDINATE_NOISE_DEGREES = 0.01
PERSON_CONSENT_SHARE = 0.5
#: actor type key → share (the sample network's mix, with 2 % inhabitants).
ACTOR_TYPE_SHARES: dict[str, float] = {
    "association": 0.27,
    "entreprise": 0.17,
    "siae": 0.10,
    "collectivite": 0.08,
    "recherche-formation": 0.08,
    "scop": 0.06,
    "etablissement-public": 0.05,
    "cooperative-agricole": 0.04,
    "scic": 0.04,
    "cae": 0.02,
    "cooperative": 0.02,
    "mutuelle": 0.02,
    "fondation": 0.03,
    "habitant": 0.02,
}
COLLEGE_OF_TYPE: dict[str, str] = {
    "entreprise": "entreprises",
    "collectivite": "collectivites",
    "etablissement-public": "collectivites",
    "recherche-formation": "recherche-formation",
    "habitant": "habitants",
}
FIELD_COUNT_SHARES = (0.0, 0.5, 0.35, 0.15)  # P(0 fields), P(1), P(2), P(3)
NEED_COUNT_SHARES = (0.3, 0.3, 0.2, 0.12, 0.08)  # P(0 needs) … P(4)
OFFER_COUNT_SHARES = (0.3, 0.3, 0.2, 0.12, 0.08)
ACTIVITY_EXPONENT = 0.7  # how often the k-th most active actor leads or joins ∝ 1 / k^0.7
PROJECT_SIZE_EXPONENT = 1.3  # P(size k) ∝ 1 / (k − 1)^1.3 for k = 2 … 15
PROJECT_SIZES = (2, 15)
ACTORS_PER_PROJECT = 4
ACTORS_PER_PARTNERSHIP = 2
MEMBERSHIP_ENDED_SHARE = 0.08
CHARTER_SIGNED_SHARE = 0.85

ACTOR_BATCH = 10_000  # actors per N-Quads batch (about 400,000 quads)
PROJECT_BATCH = 5_000

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass
class GeneratedNetwork:
    """What `generate_network` wrote: counts, the seed, and the network's IRI and graph."""

    size: int
    seed: int
    network: str
    graph: str
    actors: int = 0
    persons: int = 0
    private_persons: int = 0
    spanish: int = 0
    without_coordinates: int = 0
    needs: int = 0
    offers: int = 0
    projects: int = 0
    participations: int = 0
    partnerships: int = 0
    memberships: int = 0
    quads: int = 0
    reference_quads: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int | str]:
        """The summary as plain values (for the results file)."""
        return {k: v for k, v in vars(self).items() if k != "counts"}


@dataclass(frozen=True)
class Place:
    """A commune or municipio actors can be based in."""

    iri: str
    label: str
    country: str
    zone: str  # département (FR) or provincia (ES) code: partners are mostly drawn in the same zone
    lat: float | None
    lon: float | None
    weight: float


@dataclass(frozen=True)
class Vocabulary:
    """The real concepts the generator draws from (sorted keys) and their French labels."""

    fields: tuple[str, ...]
    resources: tuple[str, ...]
    labels: dict[str, str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The keys of the fields and resources schemes (ontology/schemes/*.ttl) and every concept's label."""
    graph = ontology_graph()
    keys: dict[str, list[str]] = {"fields": [], "resources": []}
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        name = str(scheme).rsplit("#", 1)[-1]
        if name in keys:
            keys[name].append(str(concept).rsplit("/", 1)[-1])
    labels = {
        str(concept): str(label)
        for concept, label in graph.subject_objects(SKOS.prefLabel)
        if isinstance(label, Literal) and label.language == "fr"
    }
    return Vocabulary(tuple(sorted(keys["fields"])), tuple(sorted(keys["resources"])), labels)


@lru_cache(maxsize=1)
def candidate_places() -> tuple[Place, ...]:
    """Every commune (weight: its population) and municipio (weight: one) of the shipped territories."""
    data = resources.files("maillage.ingest") / "data" / "territories" / "communes_64_40.csv"
    population = {
        row["code_insee"]: (row["departement"], float(row["population"] or 0))
        for row in csv.DictReader(io.StringIO(data.read_text("utf-8")))
    }
    found: list[Place] = []
    for (country, code), place in sorted(places().items()):
        if country == "FR":
            zone, weight = population.get(code, ("?", 0.0))
        else:
            zone, weight = code[:2], 1.0
        found.append(Place(str(place.iri), place.label, country, zone, place.lat, place.lon, weight))
    return tuple(found)


def network_nquads(
    n_actors: int, *, seed: int = 0, summary: GeneratedNetwork | None = None
) -> Iterator[bytes]:
    """The generated network as N-Quads, batch by batch (each batch a few hundred thousand lines).

    Parameters
    ----------
    n_actors : int
        How many actors (at least 2).
    seed : int
        Everything drawn comes from ``numpy.random.default_rng(seed)``; same size and seed, same bytes.
    summary : GeneratedNetwork, optional
        Filled with the counts as the batches are produced.

    Raises
    ------
    ValueError
        For fewer than 2 actors.

    Cost: O(quads), about 40 quads per actor; memory O(n_actors) plus one batch.
    """
    if n_actors < 2:
        raise ValueError(f"Taille invalide : {n_actors} acteurs (au moins 2).")
    rng = np.random.default_rng(seed)
    summary = summary or GeneratedNetwork(n_actors, seed, "", "")
    graph = str(network_graph(NETWORK_SLUG))
    network = str(data_iri("network", NETWORK_SLUG))
    summary.network, summary.graph = network, graph
    out = nq.Lines(graph)
    terms = nq.Terms()
    words = vocabulary()
    all_places = candidate_places()

    out.add(nq.iri(network), terms.type, terms.network_class)
    out.add(
        nq.iri(network), terms.label, nq.text(f"Réseau de banc d'essai ({n_actors} acteurs, graine {seed})")
    )
    out.add(nq.iri(network), terms.based_in, nq.iri(str(data_iri("commune", NETWORK_COMMUNE))))

    actors = yield from _actor_batches(rng, n_actors, out, terms, words, all_places, network, summary)
    yield from _project_batches(rng, actors, out, terms, words, all_places, network, summary)
    yield from _partnership_batches(rng, actors, out, terms, summary)
    summary.quads = out.total


def _actor_batches(
    rng: np.random.Generator,
    n: int,
    out: nq.Lines,
    terms: nq.Terms,
    words: Vocabulary,
    all_places: Sequence[Place],
    network: str,
    summary: GeneratedNetwork,
) -> Iterator[bytes]:
    """Actors, their needs and offers (direct and qualified), and their memberships; returns the arrays."""
    french = np.array([p.country == "FR" for p in all_places])
    located = np.array([p.lat is not None for p in all_places])
    fr_places = np.flatnonzero(french)
    es_located = np.flatnonzero(~french & located)
    es_unlocated = np.flatnonzero(~french & ~located)
    fr_cumulative = drawing.cumulative(np.array([all_places[i].weight for i in fr_places]))
    zones = sorted({p.zone for p in all_places})
    zone_of_place = np.array([zones.index(p.zone) for p in all_places], dtype=np.int64)

    spanish = rng.random(n) < SPAIN_SHARE
    unlocated = rng.random(n) < SPAIN_WITHOUT_COORDINATES
    place = fr_places[drawing.pick(rng, fr_cumulative, n)]
    es_draw = rng.integers(0, len(es_located), n)
    place = np.where(spanish, es_located[es_draw], place)
    if len(es_unlocated):
        place = np.where(spanish & unlocated, es_unlocated[rng.integers(0, len(es_unlocated), n)], place)
    noise = rng.normal(0.0, COORDINATE_NOISE_DEGREES, size=(n, 2))

    type_keys = list(ACTOR_TYPE_SHARES)
    type_shares = np.array(list(ACTOR_TYPE_SHARES.values()))
    actor_type = rng.choice(len(type_keys), size=n, p=type_shares / type_shares.sum())
    consent = rng.random(n) < PERSON_CONSENT_SHARE
    field_counts = rng.choice(len(FIELD_COUNT_SHARES), size=n, p=FIELD_COUNT_SHARES)
    need_counts = rng.choice(len(NEED_COUNT_SHARES), size=n, p=NEED_COUNT_SHARES)
    offer_counts = rng.choice(len(OFFER_COUNT_SHARES), size=n, p=OFFER_COUNT_SHARES)
    field_weights = drawing.zipf_log_weights(rng, len(words.fields))
    need_weights = drawing.zipf_log_weights(rng, len(words.resources))
    offer_weights = drawing.zipf_log_weights(rng, len(words.resources))
    activity = 1.0 / (rng.permutation(n) + 1.0) ** ACTIVITY_EXPONENT
    span = (TODAY - NETWORK_START).days
    start = np.floor(span * np.sqrt(rng.random(n))).astype(np.int64)  # more members join every year
    start[rng.random(n) < 0.01] = 0  # the founders
    ended = rng.random(n) < MEMBERSHIP_ENDED_SHARE
    end = start + np.floor((span - start) * rng.random(n)).astype(np.int64) + 1
    charter = rng.random(n) < CHARTER_SIGNED_SHARE
    membership_partner = rng.random(n) < 0.15

    keys = drawing.keys("acteur", n)
    actor_prefix, need_prefix, offer_prefix = nq.prefix("actor"), nq.prefix("need"), nq.prefix("offer")
    membership_prefix = nq.prefix("membership")
    field_terms = [nq.concept("field", k) for k in words.fields]
    field_labels = [words.labels[str(concept_iri("field", k))] for k in words.fields]
    resource_terms = [nq.concept("resource", k) for k in words.resources]
    type_terms = [nq.concept("actor-type", k) for k in type_keys]
    type_labels = [words.labels[str(concept_iri("actor-type", k))] for k in type_keys]
    college_terms = {k: nq.concept("college", COLLEGE_OF_TYPE.get(k, "ess")) for k in type_keys}
    cross_border_college = nq.concept("college", "partenaires-transfrontaliers")
    role_terms = {r: nq.concept("membership-role", r) for r in ("fondateur", "membre", "partenaire")}
    cross_border_role = nq.concept("membership-role", "partenaire-transfrontalier")
    place_terms = [nq.iri(p.iri) for p in all_places]
    network_term = nq.iri(network)

    all_fields: list[list[int]] = []
    for begin in range(0, n, ACTOR_BATCH):
        stop = min(n, begin + ACTOR_BATCH)
        fields = drawing.draw_without_replacement(rng, field_weights, field_counts[begin:stop])
        needs = drawing.draw_without_replacement(rng, need_weights, need_counts[begin:stop])
        offers = drawing.draw_without_replacement(rng, offer_weights, offer_counts[begin:stop])
        all_fields.extend(fields)
        for i in range(begin, stop):
            key = keys[i]
            actor = nq.iri(actor_prefix + key)
            where = all_places[int(place[i])]
            kind = int(actor_type[i])
            type_key = type_keys[kind]
            is_person = type_key == "habitant"
            own_fields = fields[i - begin]
            out.add(actor, terms.type, terms.person if is_person else terms.organisation)
            name = f"Habitant·e {key[7:]}" if is_person else f"{type_labels[kind]} {key[7:]} ({where.label})"
            out.add(actor, terms.label, nq.text(name))
            out.add(actor, terms.actor_type, type_terms[kind])
            for column in own_fields:
                out.add(actor, terms.field, field_terms[column])
            out.add(actor, terms.based_in, place_terms[int(place[i])])
            if where.lat is not None and where.lon is not None:
                out.add(actor, terms.lat, nq.decimal(where.lat + noise[i, 0]))
                out.add(actor, terms.long, nq.decimal(where.lon + noise[i, 1]))
            else:
                summary.without_coordinates += 1
            if is_person:
                summary.persons += 1
                summary.private_persons += int(not consent[i])
                out.add(actor, terms.consent, nq.typed("true" if consent[i] else "false", XSD.boolean))
            else:
                themes = " et ".join(f"« {field_labels[c]} »" for c in own_fields)
                out.add(actor, terms.description, nq.text(f"Active en {themes} à {where.label}.", "fr"))
            summary.spanish += int(where.country == "ES")
            offered = set(offers[i - begin])
            for column in needs[i - begin]:
                if column in offered:
                    continue  # an actor does not need what it offers
                resource_key = words.resources[column]
                statement = nq.iri(f"{need_prefix}{key}.{resource_key}")
                out.add(actor, terms.needs, resource_terms[column])
                out.add(statement, terms.type, terms.need_class)
                out.add(statement, terms.actor, actor)
                out.add(statement, terms.resource, resource_terms[column])
                summary.needs += 1
            for column in offers[i - begin]:
                resource_key = words.resources[column]
                statement = nq.iri(f"{offer_prefix}{key}.{resource_key}")
                out.add(actor, terms.offers, resource_terms[column])
                out.add(statement, terms.type, terms.offer_class)
                out.add(statement, terms.actor, actor)
                out.add(statement, terms.resource, resource_terms[column])
                summary.offers += 1

            membership = nq.iri(f"{membership_prefix}{NETWORK_SLUG}.{key}")
            out.add(membership, terms.type, terms.membership)
            out.add(membership, terms.member, actor)
            out.add(membership, terms.organization, network_term)
            if where.country == "ES":
                role, college = cross_border_role, cross_border_college
            else:
                role = role_terms[
                    "fondateur" if start[i] == 0 else "partenaire" if membership_partner[i] else "membre"
                ]
                college = college_terms[type_key]
            out.add(membership, terms.role, role)
            out.add(membership, terms.college, college)
            out.add(membership, terms.start, nq.date(NETWORK_START, start[i]))
            if charter[i]:
                out.add(membership, terms.charter, nq.date(NETWORK_START, start[i]))
            if ended[i]:
                out.add(membership, terms.end, nq.date(NETWORK_START, end[i]))
            summary.memberships += 1
        summary.actors = stop
        yield out.flush()
    return drawing.Actors(keys, place, zone_of_place[place], activity, start, all_fields)


def _project_batches(
    rng: np.random.Generator,
    actors: drawing.Actors,
    out: nq.Lines,
    terms: nq.Terms,
    words: Vocabulary,
    all_places: Sequence[Place],
    network: str,
    summary: GeneratedNetwork,
) -> Iterator[bytes]:
    """Projects of 2–15 actors with their dated participations."""
    n = len(actors.keys)
    count = max(1, n // ACTORS_PER_PROJECT)
    low, high = PROJECT_SIZES
    sizes_range = np.arange(low, high + 1)
    size_weights = (sizes_range - 1.0) ** -PROJECT_SIZE_EXPONENT
    sizes = np.minimum(rng.choice(sizes_range, size=count, p=size_weights / size_weights.sum()), n)
    global_cumulative = drawing.cumulative(actors.activity)
    pickers = drawing.local_pickers(actors)
    leaders = drawing.pick(rng, global_cumulative, count)
    slots = np.repeat(leaders, 2 * (sizes - 1))  # twice the partners needed: duplicates are dropped
    candidates = drawing.partners(rng, actors, slots, pickers, global_cumulative)
    offsets = np.concatenate([[0], np.cumsum(2 * (sizes - 1))])
    span = (TODAY - NETWORK_START).days
    starts = rng.integers(0, span, count)
    lengths = rng.integers(180, 4 * 365, count)
    extra_field = rng.random(count) < 0.3
    extra_field_column = rng.integers(0, len(words.fields), count)
    roles = rng.choice(3, size=int(sizes.sum()), p=(0.7, 0.1, 0.2))
    fallback = drawing.pick(rng, global_cumulative, int(sizes.sum()))

    keys = drawing.keys("projet", count)
    project_prefix, participation_prefix = nq.prefix("project"), nq.prefix("participation")
    actor_prefix = nq.prefix("actor")
    field_terms = [nq.concept("field", k) for k in words.fields]
    field_labels = [words.labels[str(concept_iri("field", k))] for k in words.fields]
    statuses = {s: nq.concept("project-status", s) for s in ("en-projet", "en-cours", "termine")}
    lead_role = nq.concept("participation-role", "porteur")
    other_roles = [nq.concept("participation-role", r) for r in ("partenaire", "financeur", "beneficiaire")]
    network_term = nq.iri(network)
    today = (TODAY - NETWORK_START).days
    role_at = fallback_at = 0
    for j in range(count):
        leader = int(leaders[j])
        team = [leader]
        for candidate in candidates[offsets[j] : offsets[j + 1]].tolist():
            if len(team) == sizes[j]:
                break
            if candidate not in team:
                team.append(candidate)
        while len(team) < sizes[j]:  # rare: the local draws kept hitting the same few actors
            candidate = int(fallback[fallback_at % len(fallback)])
            fallback_at += 1
            if candidate not in team:
                team.append(candidate)
        project = nq.iri(project_prefix + keys[j])
        lead_fields = actors.fields[leader]
        columns = [lead_fields[0]] if lead_fields else [int(extra_field_column[j])]
        if extra_field[j] and int(extra_field_column[j]) not in columns:
            columns.append(int(extra_field_column[j]))
        start, end = int(starts[j]), int(starts[j] + lengths[j])
        where = all_places[int(actors.place[leader])]
        out.add(project, terms.type, terms.project_class)
        out.add(project, terms.label, nq.text(f"Projet {keys[j][7:]} — {field_labels[columns[0]]}"))
        out.add(
            project,
            terms.description,
            nq.text(f"Projet coopératif en « {field_labels[columns[0]]} » autour de {where.label}.", "fr"),
        )
        for column in columns:
            out.add(project, terms.field, field_terms[column])
        out.add(project, terms.territory, nq.iri(where.iri))
        status = "en-projet" if start > today else "termine" if end < today else "en-cours"
        out.add(project, terms.status, statuses[status])
        out.add(project, terms.network, network_term)
        out.add(project, terms.start, nq.date(NETWORK_START, start))
        out.add(project, terms.end, nq.date(NETWORK_START, end))
        for position, member in enumerate(team):
            participation = nq.iri(f"{participation_prefix}{keys[j]}.{actors.keys[member]}")
            out.add(participation, terms.type, terms.participation_class)
            out.add(participation, terms.project, project)
            out.add(participation, terms.participant, nq.iri(actor_prefix + actors.keys[member]))
            role = lead_role if position == 0 else other_roles[int(roles[role_at])]
            role_at += 1
            out.add(participation, terms.participation_role, role)
            out.add(participation, terms.start, nq.date(NETWORK_START, start))
            out.add(participation, terms.end, nq.date(NETWORK_START, end))
            summary.participations += 1
        summary.projects += 1
        if (j + 1) % PROJECT_BATCH == 0:
            yield out.flush()
    yield out.flush()


def _partnership_batches(
    rng: np.random.Generator,
    actors: drawing.Actors,
    out: nq.Lines,
    terms: nq.Terms,
    summary: GeneratedNetwork,
) -> Iterator[bytes]:
    """Partnerships of distinct actors, mostly local: both `mai:partnerOf` links and the qualified node."""
    n = len(actors.keys)
    count = max(1, n // ACTORS_PER_PARTNERSHIP)
    global_cumulative = drawing.cumulative(actors.activity)
    first = drawing.pick(rng, global_cumulative, count)
    second = drawing.partners(rng, actors, first, drawing.local_pickers(actors), global_cumulative)
    kinds = rng.integers(0, 5, count)
    ended = rng.random(count) < 0.1
    span = (TODAY - NETWORK_START).days
    starts = rng.integers(0, span, count)
    lengths = rng.integers(90, 3 * 365, count)
    kind_terms = [
        nq.concept("partnership-kind", k)
        for k in ("contrat", "fournisseur", "financement", "locaux-partages", "informel")
    ]
    actor_prefix, partnership_prefix = nq.prefix("actor"), nq.prefix("partnership")
    seen: set[tuple[int, int]] = set()
    for j in range(count):
        a, b = sorted((int(first[j]), int(second[j])))
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        key_a, key_b = actors.keys[a], actors.keys[b]
        node = nq.iri(f"{partnership_prefix}{key_a}.{key_b}")
        actor_a, actor_b = nq.iri(actor_prefix + key_a), nq.iri(actor_prefix + key_b)
        out.add(node, terms.type, terms.partnership_class)
        out.add(node, terms.partner, actor_a)
        out.add(node, terms.partner, actor_b)
        out.add(node, terms.partnership_kind, kind_terms[int(kinds[j])])
        out.add(node, terms.start, nq.date(NETWORK_START, starts[j]))
        if ended[j]:
            out.add(node, terms.end, nq.date(NETWORK_START, starts[j] + lengths[j]))
        out.add(actor_a, terms.partner_of, actor_b)
        out.add(actor_b, terms.partner_of, actor_a)
        summary.partnerships += 1
        if summary.partnerships % (PROJECT_BATCH * 4) == 0:
            yield out.flush()
    yield out.flush()


# ---------------------------------------------------------------------------------------------- writing


def write_nquads(store: Store, data: bytes) -> None:
    """Add a batch of N-Quads to a store: Oxigraph's bulk loader, or `Store.add_all` for any other store.

    The bulk loader is not one transaction: this is for filling a fresh store, not for live data.
    """
    if not data:
        return
    if isinstance(store, OxigraphStore):
        store.oxigraph.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        store.generation += 1  # the index compares generations to know it is stale
        return
    store.add_all(
        (from_ox(q.subject), URIRef(q.predicate.value), from_ox(q.object), URIRef(q.graph_name.value))  # type: ignore[misc]
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
    )


def generate_network(
    store: Store, n_actors: int, *, seed: int = 0, reference_data: bool = True
) -> GeneratedNetwork:
    """Write a generated network of `n_actors` into `store` (and the ontology and territories first).

    Parameters
    ----------
    store : Store
        Preferably empty: the generated IRIs do not depend on what it holds.
    n_actors : int
        Size of the network (`SIZES` are the benchmarked ones).
    seed : int
        Same size and seed → same quads.
    reference_data : bool
        Load the ontology, the concept schemes and the territories
        (`maillage.ingest.importer.ensure_reference_data`) when the store lacks them.

    Returns
    -------
    GeneratedNetwork
        Counts of what was written.

    Cost: about 40 quads per actor; 250,000 actors (10 million quads) take a few minutes, in batches
    of 10,000 actors, memory O(n_actors) plus one batch.
    """
    before = len(store)
    if reference_data:
        ensure_reference_data(store)
    summary = GeneratedNetwork(n_actors, seed, "", "", reference_quads=len(store) - before)
    for batch in network_nquads(n_actors, seed=seed, summary=summary):
        write_nquads(store, batch)
    if isinstance(store, OxigraphStore) and store.path is not None:
        store.settle()  # flushed and compacted, as a large import leaves it (`OxigraphStore._apply_journal`)
    return summary
