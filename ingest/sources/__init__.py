"""The registry of import readers: each format by name, file extensions, MIME types and content sniffing.

`maillage import FILE` asks `reader_for` which reader takes a file: the one named by ``--source`` when
given, else the first whose sniffing function recognises the content (a ``.json`` file may be JSON-LD, a
GoGoCarto export or the Basque ESF list; a ``.csv`` file may be the import template or a public dataset),
else the one registered for the extension. Built-in formats are registered exactly like any other.

>>> [r.name for r in readers()][:3]
['tableur-csv', 'tableur-xlsx', 'turtle']
>>> reader_for("carte.json", b'{"ontology": "gogofull", "data": []}').name
'gogocarto'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["spreadsheet", "rdf", "records", "scheme"]


@dataclass(frozen=True)
class Reader:
    """One importable format.

    `kind` says which pipeline takes it: ``spreadsheet`` (the French template, `ingest.spreadsheet`),
    ``rdf`` (one network as `maillage export` writes it), ``records`` (a public dataset mapped by a module
    of `ingest.sources`) or ``scheme`` (a reference SKOS scheme, loaded into its own graph). `sniff` looks
    at the first bytes and says whether the content is this format; `module` is the module holding the
    mapping of a ``records`` or ``scheme`` reader (imported only when used).
    """

    name: str
    label: str
    kind: Kind
    extensions: tuple[str, ...]
    mime_types: tuple[str, ...] = ()
    sniff: Callable[[bytes], bool] | None = None
    module: str | None = None
    rdf_format: str | None = None


class UnknownSourceError(ValueError):
    """No reader has this name, or none takes this file."""


_REGISTRY: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    """Add a reader (a plug-in registers its own the same way); a name is registered once."""
    if reader.name in _REGISTRY:
        raise ValueError(f"lecteur déjà enregistré : « {reader.name} »")
    _REGISTRY[reader.name] = reader
    return reader


def readers() -> list[Reader]:
    """Every registered reader, in registration order."""
    return list(_REGISTRY.values())


def reader_named(name: str) -> Reader:
    """The reader registered under `name`; raises `UnknownSourceError` listing the known names."""
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(_REGISTRY)
        raise UnknownSourceError(f"source inconnue : « {name} » (sources connues : {known})") from None


def reader_for_mime(mime_type: str) -> Reader | None:
    """The first reader declaring this MIME type (parameters such as ``; charset=`` ignored)."""
    wanted = mime_type.split(";", 1)[0].strip().lower()
    return next((r for r in _REGISTRY.values() if wanted in r.mime_types), None)


def reader_for(file_name: str, data: bytes, *, source: str | None = None) -> Reader:
    """The reader for a file: forced by `source`, else sniffed from its content `data`, else by extension.

    When no sniffer recognises the content, the first reader registered for the extension takes the file
    (a ``.json`` file is then read as JSON-LD, whose parser says what is wrong with it). Raises
    `UnknownSourceError` when no reader takes the extension.
    """
    if source:
        return reader_named(source)
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    candidates = [r for r in _REGISTRY.values() if suffix in r.extensions]
    for reader in candidates:
        if reader.sniff is not None and reader.sniff(data):
            return reader
    if candidates:  # nothing recognised the content: the first reader of the extension reports why
        return next((r for r in candidates if r.sniff is None), candidates[0])
    raise UnknownSourceError(
        f"format non pris en charge : « {suffix or file_name} »"
        f" (formats : {', '.join(sorted({e for r in _REGISTRY.values() for e in r.extensions}))})"
    )


def _json(head: bytes) -> Any:
    """The parsed JSON when `head` is a whole JSON document, else None (sniffers read whole small files)."""
    try:
        return json.loads(head)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return None


def _is_jsonld(head: bytes) -> bool:
    data = _json(head)
    items = data if isinstance(data, list) else [data]
    return any(isinstance(i, dict) and ({"@context", "@graph", "@id"} & set(i)) for i in items)


def _is_gogocarto(head: bytes) -> bool:
    data = _json(head)
    records = data.get("data") if isinstance(data, dict) else data
    return (
        isinstance(records, list)
        and bool(records)
        and all(isinstance(r, dict) and {"name", "optionValues"} <= set(r) for r in records[:5])
    ) or (isinstance(data, dict) and data.get("ontology") == "gogofull")


def _is_esf(head: bytes) -> bool:
    data = _json(head)
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(r, dict) and {"beneficiary", "operation", "po_str"} <= set(r) for r in data[:5])
    )


def _csv_header(head: bytes) -> str:
    return head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").lower()


def _is_eu_projects(head: bytes) -> bool:
    header = _csv_header(head)
    return "bénéficiaire" in header and "thématique" in header and "fond" in header


def _is_naf(head: bytes) -> bool:
    header = _csv_header(head)
    return "niv5" in header and "lib_niv5" in header


SPREADSHEET_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

for _reader in (
    Reader("tableur-csv", "Modèle d'import (CSV)", "spreadsheet", (".csv",), ("text/csv",)),
    Reader("tableur-xlsx", "Modèle d'import (classeur XLSX)", "spreadsheet", (".xlsx",), (SPREADSHEET_XLSX,)),
    Reader("turtle", "RDF Turtle", "rdf", (".ttl",), ("text/turtle",), rdf_format="turtle"),
    Reader(
        "json-ld",
        "RDF JSON-LD",
        "rdf",
        (".jsonld", ".json"),
        ("application/ld+json",),
        _is_jsonld,
        rdf_format="json-ld",
    ),
    Reader("rdf-xml", "RDF/XML", "rdf", (".rdf", ".owl", ".xml"), ("application/rdf+xml",), rdf_format="xml"),
    Reader("n-triples", "RDF N-Triples", "rdf", (".nt",), ("application/n-triples",), rdf_format="nt"),
    Reader(
        "gogocarto",
        "Export JSON GoGoCarto / Transiscope",
        "records",
        (".json",),
        ("application/json",),
        _is_gogocarto,
        "maillage.ingest.sources.gogocarto",
    ),
    Reader(
        "fse-euskadi",
        "Bénéficiaires du FSE 2007-2013, Pays basque (UAFSE)",
        "records",
        (".json",),
        (),
        _is_esf,
        "maillage.ingest.sources.esf_euskadi",
    ),
    Reader(
        "projets-ue",
        "Projets exemplaires financés par l'UE 2007-2013 (europe-en-france)",
        "records",
        (".csv",),
        (),
        _is_eu_projects,
        "maillage.ingest.sources.eu_projects",
    ),
    Reader(
        "naf",
        "Nomenclature NAF rév. 2 (INSEE), en schéma SKOS",
        "scheme",
        (".csv",),
        (),
        _is_naf,
        "maillage.ingest.sources.schemes",
    ),
    Reader(
        "essglobal",
        "Vocabulaires SKOS ESSGlobal (RIPESS)",
        "scheme",
        (".skos",),
        (),
        module="maillage.ingest.sources.schemes",
        rdf_format="xml",
    ),
):
    register(_reader)
