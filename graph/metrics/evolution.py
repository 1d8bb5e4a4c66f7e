"""The network year by year since its start, from the dated memberships, participations and partnerships.

Read from the store with one pattern query per predicate (`read_dated_network`), then counted per calendar
year (`evolution`). Something is *active in year Y* when it starts on or before 31 December Y and has no
end or ends on or after 1 January Y. Per year:
    members         actors with a membership (`org:Membership`) active in Y; joined / left: memberships
                    starting / ending in Y; charter_signatures: `mai:charterSigned` in Y
    participations  participations active in Y; a participation without dates takes its project's
    projects        projects with an active participation, or whose own dates make them active
    partnerships    qualified `mai:Partnership`s active in Y
    graph of Y      vertices: members of Y plus the actors of its active participations and partnerships;
                    links: two actors with participations active in Y in the same project, or an active
                    partnership. density = 2L / (V(V − 1)), average degree = 2L / V, components counts
                    isolated vertices too
Undated items (no start date, even through the project) are counted apart, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rdflib.namespace import ORG, SDO
from rdflib.term import URIRef
from scipy import sparse
from scipy.sparse import csgraph

from maillage.graph.index import NetworkIndex, ProjectRecord
from maillage.graph.metrics.texts import count_phrase, metric_text, number
from maillage.graph.metrics.view import memo
from maillage.graph.stores.base import Store
from maillage.ontology.vocab import MAI


class Period(NamedTuple):
    """A start and an end date, each maybe unknown.

    >>> Period(dt.date(2015, 6, 1), dt.date(2017, 12, 31)).active_in(2017), Period(None, None).active_in(2017)
    (True, False)
    """

    start: dt.date | None
    end: dt.date | None

    def active_in(self, year: int) -> bool:
        """True when the period meets the calendar year (an unknown start is never active)."""
        if self.start is None or self.start.year > year:
            return False
        return self.end is None or self.end.year >= year


class DatedMembership(NamedTuple):
    """A membership of the network: its actor, its period, its charter signature."""

    actor: str
    period: Period
    charter_signed: dt.date | None


class DatedParticipation(NamedTuple):
    """A participation: actor, project, and its own dates, each completed by the project's when missing."""

    actor: str
    project: str
    period: Period


class DatedPartnership(NamedTuple):
    """A qualified partnership between two actors (keys in order) and its period."""

    actors: tuple[str, str]
    period: Period


@dataclass(frozen=True)
class DatedNetwork:
    """The dated facts of the index's actors and projects, read from the store."""

    memberships: tuple[DatedMembership, ...]
    participations: tuple[DatedParticipation, ...]
    partnerships: tuple[DatedPartnership, ...]
    #: partnerships known only as `mai:partnerOf` pairs, without a qualified, dated node
    bare_partnerships: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class YearIndicators:
    """The indicators of one calendar year."""

    year: int
    members: int
    joined: int
    left: int
    charter_signatures: int
    projects: int
    participations: int
    partnerships: int
    actors: int
    links: int
    density: float
    components: int
    largest_component: int
    isolated: int
    average_degree: float

    def sentence(self, lang: str = "fr") -> str:
        """The year in words.

        >>> from maillage.graph.index import build_index
        >>> from maillage.graph.metrics.view import example_store
        >>> store = example_store()
        >>> index = build_index(store)
        >>> evolution(index, read_dated_network(store, index), since=2021, until=2021)[0].sentence()
        'En 2021 : 3 membres (1 arrivée(s), 0 départ(s)), 2 projet(s) actif(s), 4 participation(s), \
1 partenariat(s) ; densité 0,67, 1 composante(s), degré moyen 1,33.'
        """
        return metric_text(
            lang,
            "year",
            year=self.year,
            members=count_phrase(lang, "member", self.members),
            joined=self.joined,
            left=self.left,
            projects=self.projects,
            participations=self.participations,
            partnerships=self.partnerships,
            density=number(lang, self.density),
            components=self.components,
            degree=number(lang, self.average_degree),
        )


@dataclass(frozen=True)
class Evolution:
    """The indicators per year from the network's start, and what could not be dated."""

    years: tuple[YearIndicators, ...]
    #: the year of the earliest membership (else of the earliest dated fact); None without any date
    start_year: int | None
    #: counts of facts left out for want of a start date: "adhesions", "participations", "partenariats"
    undated: dict[str, int]

    def __getitem__(self, position: int) -> YearIndicators:
        return self.years[position]

    def __len__(self) -> int:
        return len(self.years)


def _date(value: str, datatype: str) -> dt.date | None:
    """The date of a literal's lexical form (a date, or the date part of a datetime), else None."""
    if not datatype:
        return None  # an IRI or a blank node
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _dates(store: Store, predicate: URIRef) -> dict[str, dt.date]:
    """subject → its date (the earliest when the data gives several)."""
    found: dict[str, dt.date] = {}
    for s, value, datatype, _language in store.rows(predicate):
        date = _date(value, datatype)
        if date is not None and (s not in found or date < found[s]):
            found[s] = date
    return found


def _first(store: Store, predicate: URIRef) -> dict[str, str]:
    """subject → one object (the smallest, so the choice is stable when the data has several)."""
    found: dict[str, str] = {}
    for s, value, _datatype, _language in store.rows(predicate):
        current = found.get(s)
        if current is None or value < current:
            found[s] = value
    return found


def read_dated_network(store: Store, index: NetworkIndex) -> DatedNetwork:
    """The dated memberships, participations and partnerships of `index`'s actors and projects.

    One pattern query per predicate (`org:member`, `org:organization`, `schema:startDate`, `schema:endDate`,
    `mai:charterSigned`, `mai:participant`, `mai:project`, `mai:partner`); when the index is of one network,
    only its memberships. Memoised on the index while the store's generation has not moved.
    Cost: O(quads of these predicates).

    >>> from maillage.graph.index import build_index
    >>> from maillage.graph.metrics.view import example_store
    >>> store = example_store()
    >>> dated = read_dated_network(store, build_index(store))
    >>> len(dated.memberships), len(dated.participations), dated.partnerships[0]
    (5, 5, DatedPartnership(actors=('bea', 'cole'), period=Period(start=datetime.date(2021, 9, 1), end=None)))
    """
    generation = store.generation
    if generation != index.generation:
        return _read(store, index)
    return memo(index, ("dated", id(store), generation), lambda: _read(store, index))


def _read(store: Store, index: NetworkIndex) -> DatedNetwork:
    # The store is read as plain strings (`Store.rows`): no rdflib term per date or per link.
    actor_key: dict[str, str] = {str(a.iri): a.key for a in index.actors}
    project_by_iri: dict[str, ProjectRecord] = {str(p.iri): p for p in index.projects}
    starts = _dates(store, SDO.startDate)
    ends = _dates(store, SDO.endDate)
    charters = _dates(store, MAI.charterSigned)

    organisation = _first(store, ORG.organization) if index.network is not None else {}
    memberships = []
    for membership, actor in _first(store, ORG.member).items():
        key = actor_key.get(actor)
        if key is None or (index.network is not None and organisation.get(membership) != str(index.network)):
            continue
        period = Period(starts.get(membership), ends.get(membership))
        memberships.append(DatedMembership(key, period, charters.get(membership)))

    project_of = _first(store, MAI.project)
    participations = []
    for participation, actor in _first(store, MAI.participant).items():
        key = actor_key.get(actor)
        target = project_of.get(participation)
        project = project_by_iri.get(target) if target is not None else None
        if key is None or project is None:
            continue
        start = starts.get(participation) or project.start
        end = ends.get(participation) or project.end
        participations.append(DatedParticipation(key, project.key, Period(start, end)))

    partners: dict[str, set[str]] = defaultdict(set)
    for partnership, partner, _datatype, _language in store.rows(MAI.partner):
        key = actor_key.get(partner)
        if key is not None:
            partners[partnership].add(key)
    partnerships = []
    dated_pairs: set[frozenset[str]] = set()
    for node, keys in partners.items():
        if len(keys) != 2:
            continue
        a, b = sorted(keys)
        partnerships.append(DatedPartnership((a, b), Period(starts.get(node), ends.get(node))))
        dated_pairs.add(frozenset(keys))
    bare = tuple(sorted((min(pair), max(pair)) for pair in index.partnerships - dated_pairs))
    return DatedNetwork(
        memberships=tuple(sorted(memberships, key=lambda m: (m.actor, str(m.period.start)))),
        participations=tuple(sorted(participations, key=lambda p: (p.project, p.actor))),
        partnerships=tuple(sorted(partnerships, key=lambda p: p.actors)),
        bare_partnerships=bare,
    )


def evolution(
    index: NetworkIndex,
    dated: DatedNetwork,
    *,
    include_private: bool = False,
    since: int | None = None,
    until: int | None = None,
) -> Evolution:
    """The indicators of every year from `since` (default: the network's start) to `until` (default: the
    current year), from `dated` (`read_dated_network(store, index)`). Without `include_private`, private
    persons and everything naming them are left out.

    Cost: per year, one sparse product over the year's participations, O(participations + links).

    Examples
    --------
    The example network (public view: eve is left out). In 2021: members ane, bea, cole; links ane–bea
    (project p1, 2020–2022) and bea–cole (project p2 and a partnership, from 2021): density
    2 · 2 / (3 · 2) = 0.67, average degree 2 · 2 / 3 = 1.33, one component. dan joins in 2022, alone.

    >>> from maillage.graph.index import build_index
    >>> from maillage.graph.metrics.view import example_store
    >>> store = example_store()
    >>> index = build_index(store)
    >>> years = evolution(index, read_dated_network(store, index), until=2022)
    >>> [(y.year, y.members, y.participations, y.links, y.components) for y in years]
    [(2019, 1, 0, 0, 1), (2020, 2, 2, 1, 1), (2021, 3, 4, 2, 1), (2022, 4, 4, 2, 2)]
    """
    hidden = set() if include_private else {a.key for a in index.actors if not a.is_public}
    memberships = [m for m in dated.memberships if m.actor not in hidden]
    participations = [p for p in dated.participations if p.actor not in hidden]
    partnerships = [p for p in dated.partnerships if not hidden.intersection(p.actors)]
    undated = {
        "adhesions": sum(1 for m in memberships if m.period.start is None),
        "participations": sum(1 for p in participations if p.period.start is None),
        "partenariats": sum(1 for p in partnerships if p.period.start is None)
        + sum(1 for pair in dated.bare_partnerships if not hidden.intersection(pair)),
    }
    start_year = _start_year(memberships, participations, partnerships)
    first = since if since is not None else start_year
    last = until if until is not None else dt.date.today().year
    if first is None:
        return Evolution((), None, undated)
    if last < first:
        raise ValueError(f"Période vide : de {first} à {last}")

    keys = sorted(
        {m.actor for m in memberships}
        | {p.actor for p in participations}
        | {k for p in partnerships for k in p.actors}
    )
    vertex = {k: i for i, k in enumerate(keys)}
    columns = _Columns(
        n=len(keys),
        projects=len(index.projects),
        member=np.asarray([vertex[m.actor] for m in memberships], dtype=np.int64),
        member_years=_years([m.period for m in memberships]),
        charter_year=_years([Period(m.charter_signed, m.charter_signed) for m in memberships])[0],
        actor=np.asarray([vertex[p.actor] for p in participations], dtype=np.int64),
        project=np.asarray([index.project_position[p.project] for p in participations], dtype=np.int64),
        participation_years=_years([p.period for p in participations]),
        partner_a=np.asarray([vertex[p.actors[0]] for p in partnerships], dtype=np.int64),
        partner_b=np.asarray([vertex[p.actors[1]] for p in partnerships], dtype=np.int64),
        partnership_years=_years([p.period for p in partnerships]),
        project_years=_years([Period(p.start, p.end) for p in index.projects]),
    )
    years = tuple(_year(year, columns) for year in range(first, last + 1))
    return Evolution(years, start_year, undated)


#: stands for an unknown start (never active) or no end (active ever after)
_NEVER = 1_000_000


def _years(periods: list[Period]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Start and end years as arrays: no start → never active, no end → active ever after."""
    starts = np.asarray([p.start.year if p.start is not None else _NEVER for p in periods], dtype=np.int64)
    ends = np.asarray([p.end.year if p.end is not None else _NEVER for p in periods], dtype=np.int64)
    return starts, ends


def _active(years: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]], year: int) -> npt.NDArray[np.bool_]:
    starts, ends = years
    return (starts <= year) & (ends >= year)


@dataclass(frozen=True)
class _Columns:
    """The dated facts as integer arrays (vertices in key order, projects in index order)."""

    n: int
    projects: int
    member: npt.NDArray[np.int64]
    member_years: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
    charter_year: npt.NDArray[np.int64]
    actor: npt.NDArray[np.int64]
    project: npt.NDArray[np.int64]
    participation_years: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
    partner_a: npt.NDArray[np.int64]
    partner_b: npt.NDArray[np.int64]
    partnership_years: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
    project_years: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _start_year(
    memberships: list[DatedMembership],
    participations: list[DatedParticipation],
    partnerships: list[DatedPartnership],
) -> int | None:
    membership_years = [m.period.start.year for m in memberships if m.period.start is not None]
    if membership_years:
        return min(membership_years)
    periods = [p.period for p in participations] + [p.period for p in partnerships]
    other = [period.start.year for period in periods if period.start is not None]
    return min(other) if other else None


def _year(year: int, c: _Columns) -> YearIndicators:
    """One year's indicators: masks over the columns, one sparse product for the co-participations."""
    members = np.unique(c.member[_active(c.member_years, year)])
    taking_part = _active(c.participation_years, year)
    actors, projects = c.actor[taking_part], c.project[taking_part]
    partnering = _active(c.partnership_years, year)
    a, b = c.partner_a[partnering], c.partner_b[partnering]

    incidence = sparse.csr_array((np.ones(len(actors)), (actors, projects)), shape=(c.n, max(1, c.projects)))
    incidence.data[:] = 1.0  # an actor twice in a project is in it once
    partners = sparse.csr_array((np.ones(2 * len(a)), (np.r_[a, b], np.r_[b, a])), shape=(c.n, c.n))
    linked = (incidence @ incidence.T + partners).tocsr()
    linked = (linked - sparse.diags_array(linked.diagonal())).tocsr()  # an actor is not its own link
    linked.eliminate_zeros()

    present = np.zeros(c.n, dtype=bool)
    present[members] = True
    present[actors] = True
    present[a] = True
    present[b] = True
    vertices = np.flatnonzero(present)
    size = len(vertices)
    year_graph = linked[vertices][:, vertices]
    links = int(year_graph.nnz // 2)
    if size:
        components, labels = csgraph.connected_components(year_graph, directed=False)
        largest = int(np.bincount(labels).max())
        isolated = int((np.diff(year_graph.indptr) == 0).sum())
    else:
        components, largest, isolated = 0, 0, 0
    active_projects = np.zeros(max(1, c.projects), dtype=bool)
    active_projects[projects] = True
    if c.projects:
        active_projects[: c.projects] |= _active(c.project_years, year)
    member_starts, member_ends = c.member_years
    return YearIndicators(
        year=year,
        members=len(members),
        joined=int((member_starts == year).sum()),
        left=int((member_ends == year).sum()),
        charter_signatures=int((c.charter_year == year).sum()),
        projects=int(active_projects.sum()),
        participations=int(taking_part.sum()),
        partnerships=int(partnering.sum()),
        actors=size,
        links=links,
        density=2 * links / (size * (size - 1)) if size > 1 else 0.0,
        components=int(components),
        largest_component=largest,
        isolated=isolated,
        average_degree=2 * links / size if size else 0.0,
    )
