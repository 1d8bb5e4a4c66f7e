"""A proposed common project: what it says (`Proposal`), how it is read from a file, how it is checked.

`load_proposal` reads YAML or JSON; `resolve_proposal` turns keys and codes into the index's concepts and
the places of `Territories`, and refuses unknown values with a `ProposalError` naming each one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process
from rdflib import URIRef

from maillage.graph.folding import fold
from maillage.graph.index import NetworkIndex
from maillage.ontology.iri import CONCEPT_BASE
from maillage.ontology.vocab import MAI

from .territories import Place, Territories, parse_code

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ITEMS",
    "MAX_TEXT",
    "MAX_TITLE",
    "Proposal",
    "ProposalError",
    "ProposalProblem",
    "ResolvedProposal",
    "load_proposal",
    "proposal_from_mapping",
    "resolve_proposal",
]

#: Limits that keep a check cheap and refuse pasted novels (DESIGN §10: huge input is bad input).
MAX_TITLE = 300
MAX_TEXT = 10_000
MAX_ITEMS = 50
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Proposal:
    """A proposed common project, as its authors describe it.

    `fields` are keys (``circuits-courts``), IRIs or labels (« Circuits courts ») of the fields scheme;
    `services` the same for the resources the project would offer (``minibus``); `territory` commune
    INSEE codes (``40312``), ``epci:SIREN`` or ``es:INE`` codes — empty when the project has no place yet.

    >>> Proposal("Navettes solidaires", fields=("mobilite",), services=("minibus",)).services
    ('minibus',)
    """

    title: str
    description: str = ""
    fields: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    territory: tuple[str, ...] = ()
    target_public: str = ""


@dataclass(frozen=True)
class ProposalProblem:
    """One thing wrong in a proposal: the attribute (``fields``), the value as given, the rule in French."""

    parameter: str
    value: str
    rule: str


class ProposalError(ValueError):
    """A proposal that cannot be checked; `problems` lists each wrong value, the message says them all.

    >>> str(ProposalError([ProposalProblem("fields", "circuit", "domaine inconnu : « circuit »")]))
    'Projet proposé invalide : domaine inconnu : « circuit »'
    """

    def __init__(
        self, problems: Sequence[ProposalProblem], *, prefix: str = "Projet proposé invalide"
    ) -> None:
        self.problems = tuple(problems)
        self.prefix = prefix
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.prefix} : " + " ; ".join(p.rule for p in self.problems)


@dataclass(frozen=True)
class ResolvedProposal:
    """A valid proposal with its concepts (IRIs, in the given order, without repeats) and places."""

    proposal: Proposal
    fields: tuple[URIRef, ...]
    services: tuple[URIRef, ...]
    places: tuple[Place, ...]


# --------------------------------------------------------------------------------------------------
# Names → concepts

_SCHEMES = {"fields": (MAI.fields, "field"), "services": (MAI.resources, "resource")}
_WHAT = {"fields": "domaine", "services": "ressource"}
_COMMAND = {"fields": "field", "services": "resource"}


def _lookup(index: NetworkIndex, parameter: str) -> dict[str, URIRef]:
    """Every accepted spelling (IRI, key, folded key, folded label in any language) → concept IRI."""
    cache_key = f"project_check.lookup.{parameter}"
    cached = index.derived.get(cache_key)
    if isinstance(cached, dict):
        return cached
    scheme, part = _SCHEMES[parameter]
    table: dict[str, URIRef] = {}
    labels: dict[str, URIRef] = {}
    for iri, record in sorted(index.concepts.items()):
        if record.scheme != scheme and not str(iri).startswith(f"{CONCEPT_BASE}{part}/"):
            continue
        table[str(iri)] = iri
        table[record.key] = iri
        table.setdefault(fold(record.key), iri)
        for label in record.labels.values():
            labels.setdefault(fold(label), iri)
    for label, iri in labels.items():
        table.setdefault(label, iri)
    index.derived[cache_key] = table
    return table


def _concepts(
    index: NetworkIndex, parameter: str, values: Sequence[str]
) -> tuple[tuple[URIRef, ...], list[ProposalProblem]]:
    table = _lookup(index, parameter)
    keys = sorted({index.concepts[iri].key for iri in table.values()})
    found: dict[URIRef, None] = {}
    problems: list[ProposalProblem] = []
    for value in values:
        iri = table.get(value.strip()) or table.get(fold(value))
        if iri is not None:
            found[iri] = None
            continue
        rule = f"{_WHAT[parameter]} inconnu{'e' if parameter == 'services' else ''} : « {value} »"
        guess = process.extractOne(fold(value), keys, scorer=fuzz.ratio, score_cutoff=75) if keys else None
        hint = f"voulez-vous dire « {guess[0]} » ? " if guess is not None else ""
        rule += f" ({hint}liste des clés : `maillage concepts {_COMMAND[parameter]}`)"
        problems.append(ProposalProblem(parameter, value, rule))
    return tuple(found), problems


def resolve_proposal(index: NetworkIndex, proposal: Proposal, territories: Territories) -> ResolvedProposal:
    """Check a proposal against the index's concepts and the known territories.

    Raises
    ------
    ProposalError
        Listing every problem: empty or too long title, no field, an unknown field, resource or
        territory (named, with a suggestion when a key is close), too many values.

    Examples
    --------
    >>> from maillage.graph.project_check.example import example_index
    >>> from maillage.graph.project_check.territories import territories_from_index
    >>> index = example_index()
    >>> resolved = resolve_proposal(index, Proposal("Navettes", fields=("Mobilité",)),
    ...                             territories_from_index(index))
    >>> [str(f).rsplit("/", 1)[1] for f in resolved.fields]
    ['mobilite']
    >>> resolve_proposal(index, Proposal("Navettes", fields=("mobilté",), territory=("99999",)),
    ...                  territories_from_index(index))
    Traceback (most recent call last):
    ...
    maillage.graph.project_check.proposal.ProposalError: Projet proposé invalide :
    domaine inconnu : « mobilté » (voulez-vous dire « mobilite » ? liste des clés : `maillage concepts
    field`) ; territoire inconnu : « 99999 » (aucune commune de ce code où un acteur est basé)
    """
    problems: list[ProposalProblem] = []
    if not proposal.title.strip():
        problems.append(ProposalProblem("title", proposal.title, "le titre est vide"))
    if len(proposal.title) > MAX_TITLE:
        problems.append(
            ProposalProblem("title", proposal.title[:40] + "…", f"le titre dépasse {MAX_TITLE} caractères")
        )
    for name in ("description", "target_public"):
        value: str = getattr(proposal, name)
        if len(value) > MAX_TEXT:
            what = "la description" if name == "description" else "le public cible"
            problems.append(ProposalProblem(name, value[:40] + "…", f"{what} dépasse {MAX_TEXT} caractères"))
    for name in ("fields", "services", "territory"):
        values: tuple[str, ...] = getattr(proposal, name)
        if len(values) > MAX_ITEMS:
            problems.append(
                ProposalProblem(
                    name, f"{len(values)} valeurs", f"plus de {MAX_ITEMS} valeurs dans « {name} »"
                )
            )
    if not proposal.fields:
        problems.append(
            ProposalProblem(
                "fields", "", "au moins un domaine d'action est attendu (ex. « circuits-courts »)"
            )
        )
    fields, wrong = _concepts(index, "fields", proposal.fields[:MAX_ITEMS])
    problems += wrong
    services, wrong = _concepts(index, "services", proposal.services[:MAX_ITEMS])
    problems += wrong
    places: dict[Place, None] = {}
    for code in proposal.territory[:MAX_ITEMS]:
        place = territories.place(code)
        if place is None:
            problems.append(ProposalProblem("territory", code, _territory_rule(code, territories)))
        else:
            places[place] = None
    if problems:
        raise ProposalError(problems)
    return ResolvedProposal(proposal, fields, services, tuple(places))


def _territory_rule(code: str, territories: Territories) -> str:
    parsed = parse_code(code)
    if parsed is None:
        return (
            f"territoire inconnu : « {code} » (attendu : un code INSEE de commune comme « 40312 », "
            "« epci:SIREN » comme « epci:244000659 » ou « es:INE » comme « es:20045 »)"
        )
    what = "EPCI" if parsed.startswith("epci:") else "municipio" if parsed.startswith("es:") else "commune"
    where = "parmi les territoires connus" if territories.source == "store" else "où un acteur est basé"
    return (
        f"territoire inconnu : « {code} » (aucun{'e' if what == 'commune' else ''} {what} de ce code {where})"
    )


# --------------------------------------------------------------------------------------------------
# Files

#: Accepted names in a proposal file (French first) → `Proposal` attribute.
FILE_KEYS: Mapping[str, str] = {
    "titre": "title",
    "title": "title",
    "nom": "title",
    "description": "description",
    "domaines": "fields",
    "fields": "fields",
    "services": "services",
    "ressources": "services",
    "territoires": "territory",
    "territoire": "territory",
    "territory": "territory",
    "public_cible": "target_public",
    "public": "target_public",
    "target_public": "target_public",
    # ignored: a note for people (JSON has no comments)
    "commentaire": "",
    "comment": "",
}


def proposal_from_mapping(data: object, *, source: str = "projet") -> Proposal:
    """A `Proposal` from parsed YAML / JSON (French or English keys); errors name `source` and the key.

    Lists may be written as lists or as one string separated by « ; » (as in the import template); a
    ``commentaire`` key is ignored (a note for people, since JSON has no comments).

    >>> proposal_from_mapping({"titre": "Navettes", "domaines": "mobilite; tourisme-solidaire"}).fields
    ('mobilite', 'tourisme-solidaire')
    >>> proposal_from_mapping({"titre": "Navettes", "domaine": "mobilite"}, source="p.yaml")
    Traceback (most recent call last):
    ...
    maillage.graph.project_check.proposal.ProposalError: p.yaml : champ inconnu « domaine » (champs
    reconnus : titre, description, domaines, services, territoires, public_cible)
    """
    if not isinstance(data, Mapping):
        raise _file_error(
            source, "", "un objet de champs est attendu (titre, domaines, …), pas " + _kind(data)
        )
    values: dict[str, Any] = {}
    problems: list[ProposalProblem] = []
    for raw_key, value in data.items():
        key = str(raw_key).strip().lower()
        attribute = FILE_KEYS.get(key)
        if attribute == "":
            continue
        if attribute is None:
            problems.append(
                ProposalProblem(
                    str(raw_key),
                    str(raw_key),
                    f"champ inconnu « {raw_key} » (champs reconnus : titre, description, domaines, services, "
                    "territoires, public_cible)",
                )
            )
        elif attribute in values:
            problems.append(
                ProposalProblem(str(raw_key), str(raw_key), f"champ « {raw_key} » donné deux fois")
            )
        elif attribute in ("title", "description", "target_public"):
            if value is None:
                value = ""
            if not isinstance(value, str):
                problems.append(
                    ProposalProblem(
                        str(raw_key), repr(value), f"« {raw_key} » : un texte est attendu, pas {_kind(value)}"
                    )
                )
            else:
                values[attribute] = value.strip()
        else:
            items, problem = _items(str(raw_key), value, attribute)
            if problem is not None:
                problems.append(problem)
            else:
                values[attribute] = items
    if "title" not in values and not problems:
        problems.append(ProposalProblem("titre", "", "champ « titre » manquant"))
    if problems:
        raise ProposalError(problems, prefix=source)
    return Proposal(**values)


def _items(key: str, value: object, attribute: str) -> tuple[tuple[str, ...], ProposalProblem | None]:
    if value is None:
        return (), None
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip()), None
    if isinstance(value, int) and not isinstance(value, bool) and attribute == "territory":
        value = [value]
    if isinstance(value, list):
        items: list[str] = []
        for item in value:
            if isinstance(item, int) and not isinstance(item, bool) and attribute == "territory":
                if item < 10_000:
                    return (), ProposalProblem(
                        key,
                        str(item),
                        f"« {key} » : écrivez le code « {item} » entre guillemets (zéro initial perdu)",
                    )
                item = str(item)
            if not isinstance(item, str):
                return (), ProposalProblem(
                    key,
                    repr(item),
                    f"« {key} » : une liste de textes est attendue, elle contient {_kind(item)}",
                )
            if item.strip():
                items.append(item.strip())
        return tuple(items), None
    return (), ProposalProblem(key, repr(value), f"« {key} » : une liste est attendue, pas {_kind(value)}")


def _kind(value: object) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, int | float):
        return f"un nombre ({value})"
    if isinstance(value, str):
        return "un texte"
    if isinstance(value, Mapping):
        return "un objet"
    if isinstance(value, list):
        return "une liste"
    return type(value).__name__


def _file_error(source: str, key: str, rule: str) -> ProposalError:
    return ProposalError([ProposalProblem(key, "", rule)], prefix=source)


def load_proposal(path: str | Path) -> Proposal:
    """Read a proposal from a YAML (``.yaml``, ``.yml``) or JSON (``.json``) file, UTF-8.

    Keys: ``titre`` (required), ``description``, ``domaines``, ``services``, ``territoires``,
    ``public_cible`` — or their English names (``title``, ``fields``, ``services``, ``territory``,
    ``target_public``); ``commentaire`` is ignored. Concepts and territories are checked later, against
    an index (`resolve_proposal`).

    Raises
    ------
    ProposalError
        Its message starts with the file name, then the key: missing or unreadable file, unknown
        extension, file over 1 MB, invalid YAML / JSON (with the line), unknown or misspelt key, wrong
        kind of value.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "navettes.yaml"
    >>> _ = path.write_text("titre: Navettes solidaires\\ndomaines: [mobilite]\\nterritoires: [40312]\\n")
    >>> load_proposal(path).territory
    ('40312',)
    >>> _ = path.write_text("titre: [Navettes\\n")
    >>> load_proposal(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    maillage.graph.project_check.proposal.ProposalError: navettes.yaml : YAML invalide ligne 2...
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise _file_error(
            name, "", f"extension « {path.suffix} » non reconnue (.yaml, .yml ou .json attendu)"
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _file_error(name, "", f"fichier trop volumineux ({size} octets, au plus {MAX_FILE_BYTES})")
        content = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise _file_error(name, "", "fichier introuvable") from None
    except UnicodeDecodeError as error:
        raise _file_error(name, "", f"le fichier n'est pas en UTF-8 (octet {error.start})") from None
    except OSError as error:
        raise _file_error(name, "", f"lecture impossible ({error.strerror})") from None
    if suffix == ".json":
        try:
            data = json.loads(content)
        except json.JSONDecodeError as error:
            raise _file_error(
                name, "", f"JSON invalide ligne {error.lineno}, colonne {error.colno} ({error.msg})"
            ) from None
    else:
        try:
            data = yaml.safe_load(content)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" ligne {mark.line + 1}, colonne {mark.column + 1}" if mark is not None else ""
            problem = getattr(error, "problem", None) or "syntaxe"
            raise _file_error(name, "", f"YAML invalide{where} ({problem})") from None
    return proposal_from_mapping(data, source=name)
