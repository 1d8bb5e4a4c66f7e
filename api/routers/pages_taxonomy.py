"""The taxonomy page (/taxonomie): fields and resources as trees (`skos:broader`), each concept with its
labels and how many public actors use it, linked to the search; animators add local concepts there.

The addition goes through `maillage.ingest.local_concepts.add_local_concept`, the code behind
``maillage concepts add`` and ``POST /api/concepts/{scheme}``: the same checks, the same refusals (French,
or their English from the catalogue for a reader of the English pages), one transaction, dated and
attributed to the session's token. A plain form, no script; the CSRF middleware has checked the POST before
it gets here. Concept labels are shown in the reader's language where the data has one, else in French.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from rdflib import URIRef

from maillage.api.auth import CallerDep, check_role
from maillage.api.deps import StateDep
from maillage.api.i18n import LANGUAGES, N_, _, current_language, translate
from maillage.api.templating import render_page
from maillage.graph.folding import fold
from maillage.graph.index import NetworkIndex
from maillage.ingest.edit import WRITE_LOCK
from maillage.ingest.local_concepts import LocalConceptError, add_local_concept
from maillage.ontology.iri import key_of

router = APIRouter(tags=["pages"], include_in_schema=False)

#: The schemes the page shows and extends, with their headings (translated when shown).
SCHEMES = {"field": N_("Domaines d'activité"), "resource": N_("Ressources (offres et besoins)")}
#: The labels shown beside the one in the page's language, named in their own language; French among them
#: only when the page is not in French and the concept has a label of its own in the page's language.
OTHER_LANGUAGES = (("fr", "français"), ("eu", "euskara"), ("es", "español"))


@dataclass
class Node:
    """One concept of a tree, with its counts among public actors and its narrower concepts."""

    key: str
    label: str
    #: (language code, language name, label) in Basque and Spanish, where the data has them
    others: list[tuple[str, str, str]]
    #: field: actors declaring it themselves; resource: actors offering it
    count: int
    #: field: actors declaring it or a narrower field (what the search filter finds); resource: needing it
    second: int
    children: list[Node] = field(default_factory=list)


def _others(labels: dict[str, str], lang: str) -> list[tuple[str, str, str]]:
    """The labels shown beside the main one (`OTHER_LANGUAGES`): the main one is in `lang`, else French.

    >>> _others({"fr": "Emploi", "en": "Employment", "eu": "Enplegua"}, "en")
    [('fr', 'français', 'Emploi'), ('eu', 'euskara', 'Enplegua')]
    >>> _others({"fr": "Emploi", "eu": "Enplegua"}, "en"), _others({"fr": "Emploi"}, "fr")
    ([('eu', 'euskara', 'Enplegua')], [])
    """
    shown = lang if lang in labels else LANGUAGES[0]
    return [(code, name, labels[code]) for code, name in OTHER_LANGUAGES if code in labels and code != shown]


def _tree(
    index: NetworkIndex, scheme: str, direct: Counter[URIRef], second: Counter[URIRef], lang: str
) -> list[Node]:
    concepts = {iri: c for iri, c in index.concepts.items() if f"/concept/{scheme}/" in str(iri)}
    nodes = {
        iri: Node(
            key=key_of(str(iri)),
            label=c.label(lang),
            others=_others(c.labels, lang),
            count=direct.get(iri, 0),
            second=second.get(iri, 0),
        )
        for iri, c in concepts.items()
    }
    roots = []
    for iri, concept in concepts.items():
        parents = [b for b in concept.broader if b in nodes]
        (nodes[parents[0]].children if parents else roots).append(nodes[iri])
    for node in nodes.values():
        node.children.sort(key=lambda n: fold(n.label))
    return sorted(roots, key=lambda n: fold(n.label))


def _with_narrower(index: NetworkIndex, direct: dict[URIRef, set[str]]) -> Counter[URIRef]:
    """Actors declaring each field or one below it (an actor counted once), as the search filter counts."""
    below: dict[URIRef, set[URIRef]] = {iri: {iri} for iri in index.concepts}
    for iri, concept in index.concepts.items():
        seen: set[URIRef] = set()
        parents = list(concept.broader)
        while parents:
            parent = parents.pop()
            if parent in seen or parent not in below:
                continue
            seen.add(parent)
            below[parent].add(iri)
            parents.extend(index.concepts[parent].broader)
    return Counter(
        {iri: len(set().union(*(direct.get(c, set()) for c in concepts))) for iri, concepts in below.items()}
    )


def taxonomy_trees(index: NetworkIndex, lang: str = "fr") -> dict[str, list[Node]]:
    """The field and resource trees with their counts among public actors, labelled in `lang` (French where
    a concept has no label in `lang`). O(actors × concepts declared)."""
    public = [a for a in index.actors if a.is_public]
    declaring: dict[URIRef, set[str]] = {}
    for actor in public:
        for concept in actor.fields:
            declaring.setdefault(concept, set()).add(actor.key)
    fields = Counter({iri: len(keys) for iri, keys in declaring.items()})
    offers = Counter(r for a in public for r in set(a.offers))
    needs = Counter(r for a in public for r in set(a.needs))
    return {
        "field": _tree(index, "field", fields, _with_narrower(index, declaring), lang),
        "resource": _tree(index, "resource", offers, needs, lang),
    }


def _flat(nodes: Iterable[Node], depth: int = 0) -> list[tuple[str, str]]:
    """(key, label indented by depth) of every node, for the « broader concept » choice."""
    found = []
    for node in nodes:
        found.append((node.key, "\u2003" * depth + node.label))
        found.extend(_flat(node.children, depth + 1))
    return found


def _page(
    request: Request,
    state: StateDep,
    *,
    animator: bool,
    status: int = 200,
    message: str = "",
    added: str = "",
    asked: dict[str, str] | None = None,
) -> HTMLResponse:
    trees = taxonomy_trees(state.fresh_index(), current_language())
    return render_page(
        request,
        "taxonomy.html",
        status_code=status,
        trees=trees,
        schemes=SCHEMES,
        parents={scheme: _flat(nodes) for scheme, nodes in trees.items()},
        animator=animator,
        message=message,
        added=added,
        asked=asked or {},
    )


@router.get("/taxonomie", response_class=HTMLResponse)
def taxonomy_page(request: Request, caller: CallerDep, state: StateDep, ajout: str = "") -> HTMLResponse:
    return _page(request, state, animator=caller.may("animator"), added=ajout[:100])


@router.post("/taxonomie", response_class=HTMLResponse)
def add_concept(
    request: Request,
    caller: CallerDep,
    state: StateDep,
    # the form field is « schema », a name pydantic reserves on its models: read it through an alias
    scheme: Annotated[Literal["field", "resource"], Form(alias="schema")],
    cle: Annotated[str, Form(max_length=100)] = "",
    libelle_fr: Annotated[str, Form(max_length=200)] = "",
    libelle_eu: Annotated[str, Form(max_length=200)] = "",
    libelle_es: Annotated[str, Form(max_length=200)] = "",
    parent: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Add a local concept for an animator; the page again with the refusal in words otherwise."""
    if caller.anonymous:
        return RedirectResponse("/connexion?suivant=/taxonomie", status_code=303)
    check_role(caller, "animator")
    labels = {"fr": libelle_fr, "eu": libelle_eu, "es": libelle_es}
    try:
        with WRITE_LOCK:
            add_local_concept(
                state.store,
                scheme,
                cle.strip(),
                labels={lang: text.strip() for lang, text in labels.items() if text.strip()},
                broader=parent or None,
                source=f"page Taxonomie, jeton {caller.token_id} (rôle {caller.role})",
            )
    except LocalConceptError as error:
        asked = {
            "schema": scheme,
            "cle": cle,
            "parent": parent,
            **{f"libelle_{k}": v for k, v in labels.items()},
        }
        message = _("Concept refusé : %(reason)s", reason=refusal(error))
        return _page(request, state, animator=True, status=422, message=message, asked=asked)
    key = quote(cle.strip())
    return RedirectResponse(f"/taxonomie?ajout={key}#{scheme}-{key}", status_code=303)


def refusal(error: LocalConceptError) -> str:
    """Why `error` refused the concept, in the page's language: its reason translated by the catalogue, the
    scheme named by its label in that language (French where the catalogue has no translation)."""
    lang = current_language()
    return error.worded(translate(error.reason, lang), lang=lang)
