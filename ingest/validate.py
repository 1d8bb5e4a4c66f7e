"""Validate mapped data against `ontology/shapes.ttl` (pyshacl) and report each violation in words."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, SDO, SH, SKOS

from maillage.graph.stores.base import Store
from maillage.ingest.local_concepts import local_concepts
from maillage.ingest.report import Problem
from maillage.ingest.spreadsheet import Mapped
from maillage.ontology.iri import DATA_BASE
from maillage.ontology.vocab import GEO, MAI, ontology_graph, shapes_graph

COLUMNS = {
    SKOS.prefLabel: "nom",
    MAI.actorType: "type",
    MAI.field: "domaines",
    MAI.basedIn: "commune",
    GEO.lat: "latitude",
    GEO.long: "longitude",
    MAI.siret: "siret",
    MAI.rna: "rna",
    MAI.nif: "nif",
    MAI.publicConsent: "consentement_public",
    DCTERMS.description: "description",
    FOAF.homepage: "site_web",
    ORG.member: "acteur",
    ORG.role: "role",
    MAI.college: "college",
    MAI.charterSigned: "date_signature_charte",
    SDO.startDate: "date_debut",
    SDO.endDate: "date_fin",
    MAI.territory: "territoires",
    MAI.status: "statut",
    MAI.project: "projet",
    MAI.participant: "acteur",
    MAI.participationRole: "role",
    MAI.resource: "ressource",
    MAI.actor: "acteur",
    MAI.quantity: "quantite",
    MAI.partner: "acteur_a",
    MAI.partnershipKind: "nature",
}


def shacl_problems(mapped: Mapped, store: Store) -> list[Problem]:
    """SHACL violations of the mapped triples, located back to their file, sheet and row."""
    from pyshacl import validate  # imported here: it is slow to import and only ingest needs it

    data = Graph()
    for triples in mapped.triples.values():
        for triple in triples:
            data.add(triple)
    # Entities already in the store that the import points to (territories and what encloses them, actors of a
    # previous import) come with their descriptions, so that class constraints can be checked. pyshacl's
    # `focus_nodes` is not used: it also restricts the nodes checked by sh:not / sh:node (pyshacl 0.40).
    subjects = set(mapped.triples)
    for subject in subjects:  # what the import leaves in place on the entities it touches
        replaced = mapped.managed.get(subject, set())
        for s, p, o in store.triples(subject, None, None):
            if p not in replaced:
                data.add((s, p, o))
    pending = [o for _s, _p, o in data if isinstance(o, URIRef) and str(o).startswith(DATA_BASE)]
    seen = set(subjects)
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in store.triples(node, None, None):
            data.add((s, p, o))
            if isinstance(o, URIRef) and str(o).startswith(DATA_BASE) and o not in seen:
                pending.append(o)
    data += ontology_graph()
    data += local_concepts(store)  # concepts animators added to a scheme
    conforms, results, _text = validate(
        data, shacl_graph=shapes_graph(), inference="none", abort_on_first=False, allow_warnings=True
    )
    if conforms:
        return []
    problems = []
    # Top-level results only: pyshacl also types the nested details of sh:or / sh:node as results.
    for result in results.objects(None, SH.result):
        if results.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        if focus not in subjects:
            continue  # an entity checked when it was loaded
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        file, sheet, row = mapped.origin.get(focus, ("?", None, None))  # type: ignore[arg-type]
        problems.append(
            Problem(
                file=file,
                sheet=sheet,
                row=row,
                column=COLUMNS.get(path) if isinstance(path, URIRef) else None,  # type: ignore[arg-type]
                value=str(value) if value is not None else None,
                rule=str(message) if message else "donnée non conforme aux formes SHACL",
            )
        )
    return sorted(problems, key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or ""))
