"""The seeded-secret scan: no public output shows anything that is not public (DESIGN.md §10, issue 5).

What the model holds that the public must not see (graph/privacy.py): the persons who did not record their
consent, and every membership, participation, need, offer and partnership that names them; the properties
above the public level (e-mail, phone, internal note), on anyone; beside the graph, the API tokens, their
hashes and notes, and the login sessions. A copy of the sample network is
seeded with a unique secret in each of these places: the two persons of the sample who said « non »
(hab-jean-baptiste-dufau, hab-lucas-lafitte) get secret names, descriptions, web sites and coordinates,
secret texts on their needs, offers and partnerships, and e-mail, phone, mailbox and note triples the import
template has no column for; a third person (hab-sekretid3) is added with no consent recorded at all. A
consenting organisation of the sample (chantier-bois-adour), public itself, is imported with a secret
e-mail, phone and internal note in the template's own columns.
The sample is imported from a folder whose name is a secret too: no output may show the server's paths.

Every output is then requested as the public (`tests/public_outputs.py` enumerates them from the app's
routes) and scanned for every secret, raw and in the encodings the outputs use (JSON, HTML, XML, URL,
``\\uXXXX``), the zipped CSV export unzipped. The same secrets do show for an animator: the scan is not
blind; a member sees the organisation's e-mail and phone, and nothing else of them.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SDO, SKOS

from maillage.api.app import create_app
from maillage.graph.privacy import private_actors
from maillage.graph.sessions import SessionStore
from maillage.graph.sparql import SparqlLimits
from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.graph.tokens import TokenStore, token_hash
from maillage.ingest.importer import import_path
from maillage.ontology.iri import data_iri, network_graph

from .conftest import SAMPLE
from .public_outputs import SPARQL_EVERYTHING, Ids, Probe, app_routes, probes, store_ids

DUFAU, LAFITTE, THIRD = "hab-jean-baptiste-dufau", "hab-lucas-lafitte", "hab-sekretid3"
FOLDER = "sekretdossier-serveur"
MARKER = re.compile(rb"sekret[a-z0-9]*")
#: The person rows' secrets; the names carry what an encoding changes (accents, quote, ampersand, tags).
PERSONS = {
    DUFAU: {
        "nom": "Ëñaut D'Sekretnom1 & Ürrütÿ",
        "description": "Sekretdesc1 : habitant <b>bénévole</b> de la centrale solaire",
        "site_web": "https://exemple.org/sekretweb1",
        "latitude": "43.51739",
        "longitude": "-1.41287",
        "consentement_public": "non",
    },
    LAFITTE: {
        "nom": "Sekretnom2 Lafitte",
        "description": "Sekretdesc2, habitant d'un habitat participatif",
        "site_web": "https://exemple.org/sekretweb2",
        "latitude": "43.49821",
        "longitude": "-1.47863",
        "consentement_public": "non",
    },
}
THIRD_ROWS = {
    "acteurs.csv": [
        f"{THIRD},Sekretnom3 Ibarra,habitant,transition-energetique,40312,FR,"
        "Sekretdesc3 habitante bénévole,,,,,43.52911,-1.48773,"
    ],
    "adhesions.csv": [f"{THIRD},membre,habitants,2022-02-02,2022-02-02,"],
    "participations.csv": [f"eguzki-seignanx,{THIRD},beneficiaire,2022-03-01,"],
    "besoins.csv": [f"{THIRD},espace-coworking,Sekretbesoin3 un bureau,Sekretqte3b"],
    "offres.csv": [f"{THIRD},benevolat,Sekretoffre3 du bénévolat,Sekretqte3o"],
    "partenariats.csv": [
        f"{THIRD},asso-energie-citoyenne-seignanx,informel,2022-01-01,,Sekretpartenariat3",
        f"{LAFITTE},asso-habitat-partage-adour,informel,2020-01-01,,Sekretpartenariat2",
    ],
}
#: The public organisation's contact details, as typed in the template's columns.
ORGANISATION = "chantier-bois-adour"
CONTACTS = {
    "courriel": "Sekretcourriel@Exemple.ORG",
    "telephone": "05 99 88 77 66",
    "note_interne": "Sekretnoteinterne : <b>à ne pas publier</b>",
}
#: The same as stored (`maillage.ingest.contacts`: the domain in lower case, the phone in E.164) and as
#: the pages would show the phone.
STORED_CONTACTS = {
    "courriel": "Sekretcourriel@exemple.org",
    "telephone": "+33599887766",
    "note_interne": CONTACTS["note_interne"],
}
SHOWN_PHONE = "+33 5 99 88 77 66"
#: Texts of the rows that name a hidden person, by file and column: `Sekret<file><n>`.
FREE_TEXT = {"besoins.csv": ("description", "quantite"), "offres.csv": ("description", "quantite")}
#: Triples the template has no column for, on each hidden person.
EXTRA = {
    SDO.email: "sekretmail{n}@exemple.org",
    SDO.telephone: "+33 6 99 12 34 7{n}",
    SKOS.note: "Sekretnote{n} : à rappeler",
    FOAF.mbox: "mailto:sekretmbox{n}@exemple.org",
}


def seed_sample(folder: Path) -> dict[str, str]:
    """Copy the sample network into `folder` with the secrets written in; the secrets by label."""
    target = folder / FOLDER / SAMPLE.name
    shutil.copytree(SAMPLE, target)
    secrets: dict[str, str] = {f"dossier source {FOLDER}": FOLDER}
    for person, values in PERSONS.items():
        secrets.update(
            {f"{column} de {person}": v for column, v in values.items() if column != "consentement_public"}
        )
    for name in ("acteurs.csv", "besoins.csv", "offres.csv"):
        path = target / name
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns, rows = list(reader.fieldnames or []), list(reader)
        if name == "acteurs.csv":
            columns += list(CONTACTS)
        for number, row in enumerate(rows):
            if name == "acteurs.csv" and row["identifiant"] == ORGANISATION:
                row.update(CONTACTS)
            if name == "acteurs.csv" and row["identifiant"] in PERSONS:
                row.update(PERSONS[row["identifiant"]])
            elif row.get("acteur") in PERSONS:
                for column in FREE_TEXT[name]:
                    row[column] = f"Sekret{name.split('.')[0]}{number}{column}"
                    secrets[f"{name} › {row['acteur']} › {column}"] = row[column]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows(rows)
    secrets.update({f"{column} de {ORGANISATION}": v for column, v in STORED_CONTACTS.items()})
    secrets.update({f"telephone tapé de {ORGANISATION}": CONTACTS["telephone"]})
    secrets.update({f"telephone affiché de {ORGANISATION}": SHOWN_PHONE})
    for name, lines in THIRD_ROWS.items():
        with (target / name).open("a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
    for number, marker in enumerate(
        (
            "Sekretnom3 Ibarra",
            "Sekretdesc3",
            "Sekretbesoin3",
            "Sekretqte3b",
            "Sekretoffre3",
            "Sekretqte3o",
            "Sekretpartenariat3",
            "Sekretpartenariat2",
            "43.52911",
            "-1.48773",
        )
    ):
        secrets[f"ligne ajoutée {number}"] = marker
    return secrets


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, str]]]:
    """A copy of the sample with every secret in (the shared `sample_store` is never written to)."""
    folder = tmp_path_factory.mktemp("secrets")
    secrets = seed_sample(folder)
    store = OxigraphStore(folder / "oxigraph")
    import_path(store, folder / FOLDER / SAMPLE.name)
    graph = network_graph("ptce-sud-aquitain")
    extra = []
    for n, person in enumerate((DUFAU, LAFITTE, THIRD), start=1):
        for prop, pattern in EXTRA.items():
            value = pattern.format(n=n)
            obj = URIRef(value) if value.startswith("mailto:") else Literal(value)
            extra.append((data_iri("actor", person), prop, obj, graph))
            secrets[f"{prop.n3()} de {person}"] = value
        extra.append(
            (data_iri("actor", person), DCTERMS.description, Literal(f"Sekretdescen{n}", lang="en"), graph)
        )
        secrets[f"description en de {person}"] = f"Sekretdescen{n}"
    store.add_all(extra)
    yield store, secrets
    store.close()


@pytest.fixture(scope="module")
def scan(seeded: tuple[Store, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The app over the seeded copy, its tokens and a live session, with every token secret known."""
    store, secrets = seeded
    tokens = TokenStore(tmp_path_factory.mktemp("tokens") / "tokens.sqlite3")
    secrets = dict(secrets)
    headers = {}
    for role, actor in (("animator", None), ("admin", None), ("member", "ressourcerie-lur-berri")):
        record, token = tokens.create(role, actor=actor, note=f"Sekretjeton{role}")
        secrets.update({f"jeton {role}": token, f"haché du jeton {role}": token_hash(token)})
        secrets[f"note du jeton {role}"] = f"Sekretjeton{role}"
        headers[role] = {"Authorization": f"Bearer {token}"}
    cookie, session = SessionStore(tokens).open(headers["animator"]["Authorization"].split()[1]) or ("", None)
    assert session is not None
    secrets.update({"cookie de session": cookie, "jeton CSRF": session.csrf})
    app = create_app(store, tokens=tokens, sparql_limits=SparqlLimits(timeout=20, max_results=1_000_000))
    yield {"app": app, "client": TestClient(app), "secrets": secrets, "headers": headers, "store": store}
    app.state.sparql.close()


def encodings(secret: str) -> set[bytes]:
    """The forms a secret takes in the outputs: raw, JSON, HTML / XML, URL, ``\\uXXXX``; lower case."""
    forms = {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        html.escape(secret, quote=False),
        html.escape(secret).replace("&#x27;", "&#39;"),
        html.escape(secret).replace("&#x27;", "&apos;"),
        quote(secret),
        quote_plus(secret),
        secret.encode("unicode_escape").decode("ascii"),
    }
    # bytes.lower() folds ASCII only, as `bodies` does: "Ë" stays "Ë" on both sides
    return {form.encode("utf-8").lower() for form in forms}


def bodies(response: object) -> bytes:
    """A response's bytes, zip archives opened (the CSV export), lower case for the search."""
    content: bytes = response.content  # type: ignore[attr-defined]
    parts = [content, *(f"{k}: {v}" for k, v in response.headers.items())]  # type: ignore[attr-defined]
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts.extend(archive.read(name) for name in archive.namelist())
    return b"\n".join(p if isinstance(p, bytes) else p.encode() for p in parts).lower()


def send(client: TestClient, probe: Probe, headers: dict[str, str] | None = None) -> object:
    return client.request(
        probe.method,
        probe.url,
        headers={**dict(probe.headers), **(headers or {})},
        content=probe.body,
        follow_redirects=False,
    )


def expected(probe: Probe, response: object) -> bool:
    """Whether a public answer is the expected one: a hidden id in the path is a 404 like an unknown one;
    a read of a real id is a 200, or a 303 to the login form (the pages that need one), from an actor's
    IRI to its page or from the language switch; a variant may be declined (404 for a hidden id in a
    filter, 406 a format that does not fit the query, 422); a write is refused (401 without a token, 403
    from another site) or malformed (400, 415, 422) — or answered, for the public's own POSTs (/sparql, the
    project check)."""
    status = response.status_code  # type: ignore[attr-defined]
    location = response.headers.get("location", "")  # type: ignore[attr-defined]
    if status == 303 and location.startswith("/connexion"):
        return True  # asked of every id alike, known, hidden or not
    if probe.method != "GET":
        return status in {200, 400, 401, 403, 404, 415, 422} or (status, location) == (303, "/")
    if probe.hidden_path:
        return status == 404
    if status == 303 and probe.route == "/langue/{code}":
        return location == "/"  # the language switch goes back where it came from: here, nowhere
    if status == 303:
        return probe.route == "/id/{kind}/{key}" and location == probe.url.replace("/id/actor/", "/actors/")
    return status == 200 or (bool(probe.variant) and status in {404, 406, 422})


def test_every_public_output_is_free_of_every_secret(scan: dict) -> None:
    store, client, secrets = scan["store"], scan["client"], scan["secrets"]
    ids: Ids = store_ids(store)
    assert ids.hidden == sorted([DUFAU, LAFITTE, THIRD])
    assert {str(p) for p in private_actors(store)} == {str(data_iri("actor", k)) for k in ids.hidden}
    forms = {label: encodings(secret) for label, secret in secrets.items()}
    forms.update({f"identifiant {key}": encodings(key) for key in ids.hidden})
    leaks, wrong, routes, asked, count, size = [], [], set(), set(), 0, 0
    for probe in probes(scan["app"], ids):
        response = send(client, probe)
        routes.add(f"{probe.method} {probe.route}")
        asked.add(probe.url)
        count += 1
        status = response.status_code  # type: ignore[attr-defined]
        if not expected(probe, response):
            wrong.append(f"{probe.method} {probe.url} {dict(probe.headers)} → {status} {response.text[:200]}")
        text = bodies(response)
        size += len(text)
        for label, variants in forms.items():
            if label.startswith("identifiant") and any(label.split()[1] in name for name in probe.named):
                continue  # the caller's own input, echoed
            if any(v in text for v in variants):
                leaks.append(f"{probe.method} {probe.url} ({status}) montre « {label} »")
        # every seeded text carries a « sekret » word: a shortened or re-encoded secret is caught too
        for word in set(MARKER.findall(text)):
            if not any(word.decode() in name for name in probe.named):
                leaks.append(f"{probe.method} {probe.url} ({status}) montre le marqueur « {word.decode()} »")
    print(f"scan : {len(routes)} routes, {count} réponses, {size:,} octets")
    assert leaks == [], "\n".join(leaks[:40])
    assert wrong == [], "\n".join(wrong[:40])
    # every route and method the app registers was asked (static files aside), and every actor
    assert routes == {f"{m} {p}" for p, r in app_routes(scan["app"]) for m in r.methods - {"HEAD"}}
    assert {a for a in ids.actors if f"/api/actors/{a}" in asked} == set(ids.actors) and len(ids.actors) == 80
    assert count > 2000


def test_the_secrets_do_show_for_an_animator(scan: dict) -> None:
    """The scan is not blind: the animator's record route and /sparql show the persons' secrets."""
    client, secrets, animator = scan["client"], scan["secrets"], scan["headers"]["animator"]
    for person, values in PERSONS.items():
        response = client.get(f"/api/actors/{person}/record", headers=animator)
        assert response.status_code == 200, response.text
        record = response.json()
        assert (record["name"], record["description"]) == (values["nom"], values["description"])
        assert client.get(f"/api/actors/{person}/record").status_code == 404
    answer = client.get("/sparql", params={"query": SPARQL_EVERYTHING[1], "format": "nt"}, headers=animator)
    assert answer.status_code == 200, answer.text
    dump = bodies(answer)
    stored = {
        label: s
        for label, s in secrets.items()
        if not any(word in label for word in ("jeton", "session", "tapé", "affiché"))
    }
    missing = [
        label
        for label, s in stored.items()
        if label != f"dossier source {FOLDER}" and not any(v in dump for v in encodings(s))
    ]
    assert missing == [], missing


def test_a_member_sees_the_organisation_s_contacts_and_nothing_else_secret(scan: dict) -> None:
    """The level between: a member's /sparql dump holds the organisation's e-mail and phone, not its
    internal note, nor anything of the persons who did not consent."""
    client, secrets, member = scan["client"], scan["secrets"], scan["headers"]["member"]
    answer = client.get("/sparql", params={"query": SPARQL_EVERYTHING[1], "format": "nt"}, headers=member)
    assert answer.status_code == 200, answer.text
    dump = bodies(answer)
    shown = {
        label
        for label, s in secrets.items()
        if "jeton" not in label and "session" not in label and any(v in dump for v in encodings(s))
    }
    assert shown == {f"courriel de {ORGANISATION}", f"telephone de {ORGANISATION}"}
    page = client.get(f"/actors/{ORGANISATION}", headers={**member, "accept": "text/html"})
    assert SHOWN_PHONE in page.text and STORED_CONTACTS["courriel"] in page.text
    assert "sekretnoteinterne" not in page.text.lower()
