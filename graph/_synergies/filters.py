"""The filters every synergy question takes (field, resource, territory, radius, border, links), checked once.

A `Selection` is the filters resolved against one index: boolean masks over actors and resource columns.
Per actor, the filters bear on *the other actor* of each pair; network-wide, a pair passes the actor
filters (field, territory) when either of its actors does, and the pair filters (radius, border, links)
as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from rdflib.term import URIRef
from scipy import sparse

from maillage.graph._synergies.checks import check_radius
from maillage.graph._synergies.model import Model
from maillage.graph._synergies.parameters import BoolArray, FloatArray, IntArray
from maillage.graph.index import MAI, NetworkIndex, iri_key

#: A commune's INSEE code (Corsica included), an EPCI's SIREN after ``epci:``, a municipio's INE code
#: after ``es:`` — the codes of the import template (docs/decisions/20261128-data-model.md).
TERRITORY_CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3}|epci:\d{9}|es:\d{5})$")


class UnknownFilterError(ValueError):
    """A filter names something the index does not know, or is malformed.

    `parameter`, `value` and `rule` say which, for the API's error details.

    >>> str(UnknownFilterError("field", "permaculture", "clé de domaine inconnue"))
    'Filtre invalide : field = « permaculture » (clé de domaine inconnue).'
    """

    def __init__(self, parameter: str, value: str, rule: str) -> None:
        super().__init__(f"Filtre invalide : {parameter} = « {value} » ({rule}).")
        self.parameter = parameter
        self.value = value
        self.rule = rule


@dataclass(frozen=True)
class Selection:
    """The filters of one question, resolved into masks (see `select`)."""

    #: actors that may be shown: public ones, or all with `include_private`
    visible: BoolArray
    #: actors passing the field and territory filters (all True without them)
    chosen: BoolArray
    #: resource columns of the resource filter and its narrower concepts; None without a resource filter
    resources: BoolArray | None
    #: actors offering or needing one of those resources; None without a resource filter
    resource_actors: BoolArray | None
    radius_km: float | None
    cross_border_only: bool
    exclude_linked: bool
    include_private: bool
    #: whether a field or territory filter is set (`chosen` is all True otherwise)
    actor_filters: bool = False

    def others(
        self,
        model: Model,
        actor: int,
        others: IntArray,
        distances: FloatArray | None,
        *,
        unlinked: bool = False,
        about_resources: bool = True,
    ) -> BoolArray:
        """Which of `others` may be paired with `actor`: every filter, applied to the other actor.

        `unlinked` drops the actors already linked to `actor` whatever `exclude_linked` says (affinity,
        triangles); a kind not `about_resources` keeps, under a resource filter, the others that offer or
        need one of its resources.
        """
        keep: BoolArray = (others != actor) & self.visible[others]
        if self.actor_filters:
            keep &= self.chosen[others]
        if self.radius_km is not None:
            assert distances is not None, "a radius needs the distances"
            keep &= ~np.isnan(distances) & (distances <= self.radius_km)
        if self.cross_border_only:
            keep &= crosses(model, np.full(len(others), actor, dtype=np.int64), others)
        if unlinked or self.exclude_linked:
            start, end = model.adjacency.indptr[actor], model.adjacency.indptr[actor + 1]
            keep &= ~np.isin(others, model.adjacency.indices[start:end])
        if not about_resources and self.resource_actors is not None:
            keep &= self.resource_actors[others]
        return keep

    def pairs(
        self,
        model: Model,
        first: IntArray,
        second: IntArray,
        distances: FloatArray,
        *,
        about_resources: bool = True,
    ) -> BoolArray:
        """Which network pairs pass: both visible, either chosen, and the pair filters.

        Pairs already linked are dropped by the kinds that require it before this mask.
        """
        keep: BoolArray = self.visible[first] & self.visible[second]
        keep &= self.chosen[first] | self.chosen[second]
        if self.radius_km is not None:
            keep &= ~np.isnan(distances) & (distances <= self.radius_km)
        if self.cross_border_only:
            keep &= crosses(model, first, second)
        if self.exclude_linked:
            low, high = np.minimum(first, second), np.maximum(first, second)
            keep &= ~np.isin(low * model.n + high, model.linked_codes)
        if not about_resources and self.resource_actors is not None:
            keep &= self.resource_actors[first] | self.resource_actors[second]
        return keep


def crosses(model: Model, first: IntArray, second: IntArray) -> BoolArray:
    """True where both countries are known and differ."""
    a, b = model.country_codes[first], model.country_codes[second]
    result: BoolArray = (a >= 0) & (b >= 0) & (a != b)
    return result


def select(
    index: NetworkIndex,
    model: Model,
    *,
    field: str | None = None,
    resource: str | None = None,
    radius_km: float | None = None,
    territory: str | None = None,
    cross_border_only: bool = False,
    exclude_linked: bool = False,
    include_private: bool = False,
) -> Selection:
    """Resolve the filters against the index; `UnknownFilterError` for an unknown key or a bad code.

    `field` and `resource` are concept keys (``skos:notation``, else the end of the IRI) and include
    their narrower concepts; `territory` is a commune's INSEE code, ``epci:`` + SIREN or ``es:`` + INE
    code, and keeps the actors based there (a well-formed code where no actor is based keeps none).
    """
    check_radius(radius_km)
    visible = model.public.copy() if not include_private else np.ones(model.n, dtype=np.bool_)
    chosen = np.ones(model.n, dtype=np.bool_)
    if field is not None:
        columns = _columns(index.field_column, concept_closure(index, model, field, MAI.fields, "field"))
        chosen &= _rows_with(model.fields_csc, columns, model.n)
    if territory is not None:
        if not TERRITORY_CODE.match(territory):
            raise UnknownFilterError(
                "territory",
                territory,
                "code INSEE de commune, epci:SIREN ou es:code INE attendu, par exemple 64102, "
                "epci:200067106 ou es:20045",
            )
        based = np.zeros(model.n, dtype=np.bool_)
        based[model.territory_rows.get(territory, np.zeros(0, dtype=np.int64))] = True
        chosen &= based
    resources: BoolArray | None = None
    resource_actors: BoolArray | None = None
    if resource is not None:
        closure = concept_closure(index, model, resource, MAI.resources, "resource")
        columns = _columns(index.resource_column, closure)
        resources = np.zeros(len(index.resource_columns), dtype=np.bool_)
        resources[columns] = True
        resource_actors = _rows_with(model.needs_csc, columns, model.n) | _rows_with(
            model.offers_csc, columns, model.n
        )
    return Selection(
        visible=visible,
        chosen=chosen,
        resources=resources,
        resource_actors=resource_actors,
        radius_km=radius_km,
        cross_border_only=cross_border_only,
        exclude_linked=exclude_linked,
        include_private=include_private,
        actor_filters=field is not None or territory is not None,
    )


def concept_closure(
    index: NetworkIndex, model: Model, key: str, scheme: URIRef, parameter: str
) -> set[URIRef]:
    """The concept of `scheme` whose key is `key`, and every concept below it."""
    part = "/concept/field/" if scheme == MAI.fields else "/concept/resource/"
    roots = {
        iri
        for iri, record in index.concepts.items()
        if (record.scheme == scheme or part in iri) and key in (record.key, iri_key(iri))
    }
    if not roots:
        what = "domaine" if scheme == MAI.fields else "ressource"
        raise UnknownFilterError(parameter, key, f"clé de {what} inconnue")
    found = set(roots)
    stack = list(roots)
    while stack:
        for child in model.narrower.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _columns(column_of: dict[URIRef, int], concepts: set[URIRef]) -> IntArray:
    return np.array(sorted(column_of[c] for c in concepts if c in column_of), dtype=np.int64)


def _rows_with(matrix_csc: sparse.csc_array, columns: IntArray, n: int) -> BoolArray:
    """Rows with a non-zero value in one of `columns` of a CSC matrix."""
    found = np.zeros(n, dtype=np.bool_)
    for column in columns.tolist():
        start, end = matrix_csc.indptr[column], matrix_csc.indptr[column + 1]
        found[matrix_csc.indices[start:end]] = True
    return found
