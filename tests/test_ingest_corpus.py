"""The bad-file corpus (tests/data/ingest/README.md).

Each file gets its expected error, and the store is untouched.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from maillage.graph.stores.base import Store
from maillage.graph.stores.oxigraph import OxigraphStore
from maillage.ingest.importer import MAX_FILE_BYTES, import_path
from maillage.ingest.report import ImportRefusedError

CORPUS = Path(__file__).resolve().parent / "data" / "ingest"

# file → [(line, column, rule)] — one entry per expected problem
EXPECTED: dict[str, list[tuple[int | None, str | None, str]]] = {
    "acteurs-vide.csv": [(None, None, "fichier vide")],
    "acteurs-blancs.csv": [(None, None, "fichier vide")],
    "acteurs-binaire.csv": [(None, None, "ce n'est pas un fichier texte CSV (contenu binaire)")],
    "acteurs-encodage.csv": [(None, None, "encodage illisible : ni UTF-8 ni Windows-1252")],
    "acteurs-guillemets.csv": [(2, None, "guillemets mal fermés ou mal placés (unexpected end of data)")],
    "acteurs-guillemet-colle.csv": [
        (2, None, "guillemets mal fermés ou mal placés (',' expected after '\"')")
    ],
    "acteurs-colonne-manquante.csv": [(None, "domaines", "colonne obligatoire absente")],
    "acteurs-colonne-en-trop.csv": [(None, "fax", "colonne inconnue du modèle d'import")],
    "acteurs-courriel.csv": [(2, "courriel", "adresse électronique invalide")],  # no dotted domain
    "acteurs-telephone.csv": [(2, "telephone", "numéro de téléphone illisible")],  # 8 digits
    "acteurs-doublon.csv": [(3, None, "doublon de la ligne 2")],
    "acteurs-siret-luhn.csv": [(2, "siret", "SIRET invalide : la clé de contrôle (Luhn) ne correspond pas")],
    "acteurs-siret-longueur.csv": [(2, "siret", "SIRET invalide : 14 chiffres attendus")],
    "acteurs-rna.csv": [(2, "rna", "numéro RNA invalide : W suivi de 9 chiffres")],
    "acteurs-nif.csv": [(2, "nif", "CIF invalide : caractère de contrôle faux")],
    "acteurs-commune-inconnue.csv": [
        (2, "commune", "code INSEE de commune inconnu (Pyrénées-Atlantiques et Landes)")
    ],
    "acteurs-commune-autre-pays.csv": [(2, "commune", "code INE de municipio inconnu (Euskadi et Navarre)")],
    "acteurs-pays-inconnu.csv": [(2, "pays", "code pays ISO 3166 attendu : FR ou ES")],
    "acteurs-domaine-inconnu.csv": [(2, "domaines", "domaine d'activité inconnu dans la taxonomie")],
    "acteurs-type-inconnu.csv": [(2, "type", "type d'acteur inconnu dans la taxonomie")],
    "acteurs-formule.csv": [(2, "nom", "formule de tableur refusée")],
    "acteurs-formule-arobase.csv": [(2, "nom", "formule de tableur refusée")],
    "acteurs-formule.xlsx": [(2, "nom", "formule de tableur refusée")],
    "acteurs-latitude.csv": [(2, "latitude", "nombre décimal entre -90 et 90 attendu")],
    "acteurs-latitude-texte.csv": [(2, "latitude", "nombre décimal entre -90 et 90 attendu")],
    "acteurs-site-web.csv": [(2, "site_web", "adresse web invalide")],
    "acteurs-consentement.csv": [(2, "consentement_public", "oui ou non attendu")],
    "acteurs-identifiant-espaces.csv": [
        (
            2,
            "identifiant",
            "Identifiant invalide : « atelier bois » (lettres sans "
            "accent, chiffres, « - », « _ », « . » ; pas d'espace)",
        )
    ],
    "acteurs-valeur-manquante.csv": [(2, "nom", "valeur obligatoire manquante")],
    "besoins-acteur-inconnu.csv": [(2, "acteur", "acteur inconnu : ni dans ce fichier ni déjà dans la base")],
    "besoins-ressource-inconnue.csv": [(2, "ressource", "ressource inconnue dans la taxonomie")],
    "participations-projet-inconnu.csv": [
        (2, "projet", "projet inconnu : ni dans ce fichier ni déjà dans la base")
    ],
    "participations-date.csv": [(2, "date_debut", "date illisible")],
    "partenariats-soi-meme.csv": [(2, "acteur_b", "un acteur ne peut être partenaire de lui-même")],
    "projets-statut-inconnu.csv": [(2, "statut", "statut de projet inconnu dans la taxonomie")],
    "inconnu.csv": [(None, None, "feuille inconnue du modèle d'import")],
    "acteurs.ods": [(None, None, "format non pris en charge")],
    "acteurs-tronque.xlsx": [(None, None, "classeur .xlsx illisible ou tronqué (BadZipFile)")],
    "acteurs-faux-classeur.xlsx": [(None, None, "classeur .xlsx illisible ou tronqué (BadZipFile)")],
}


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A small network the bad files may refer to: actors atelier and garraio, project legumerie."""
    folder = tmp_path_factory.mktemp("base")
    (folder / "reseau.csv").write_text("identifiant,nom,commune,pays\nbase,Réseau de base,40312,FR\n")
    (folder / "acteurs.csv").write_text(
        "identifiant,nom,type,domaines,commune,pays\n"
        "atelier,Atelier,association,emploi,40312,FR\ngarraio,Garraio,cooperative,emploi,20045,ES\n"
    )
    (folder / "projets.csv").write_text(
        "identifiant,nom,domaines,statut\nlegumerie,Légumerie,circuits-courts,en-cours\n"
    )
    store = OxigraphStore(folder / "db")
    import_path(store, folder)
    yield store
    store.close()


def dump(store: Store) -> bytes:
    out = io.BytesIO()
    store.dump_nquads(out)
    return out.getvalue()


def test_the_corpus_has_every_file_and_at_least_30() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.suffix not in (".py", ".md")}
    assert files == set(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_with_its_error_and_changes_nothing(base_store: Store, name: str) -> None:
    before = dump(base_store)
    with pytest.raises(ImportRefusedError) as refused:
        import_path(base_store, CORPUS / name)
    found = [(p.row, p.column, p.rule) for p in refused.value.report.problems]
    assert found == EXPECTED[name]
    assert all(p.file == name for p in refused.value.report.problems)
    assert dump(base_store) == before


def test_ten_megabytes_of_junk(base_store: Store, tmp_path: Path) -> None:
    junk = tmp_path / "acteurs-bruit.csv"
    junk.write_bytes(os.urandom(10 * 2**20))
    before = dump(base_store)
    with pytest.raises(ImportRefusedError, match="contenu binaire"):
        import_path(base_store, junk)
    assert dump(base_store) == before


def test_a_file_over_the_size_limit(base_store: Store, tmp_path: Path) -> None:
    big = tmp_path / "acteurs-geant.csv"
    with big.open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ImportRefusedError, match="fichier trop gros \\(plus de 20 Mo\\)"):
        import_path(base_store, big)


def test_keep_valid_imports_the_good_rows_and_lists_the_others(base_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "melange"
    folder.mkdir()
    (folder / "acteurs.csv").write_text(
        "identifiant,nom,type,domaines,commune,pays\n"
        "bon,Bon Acteur,association,emploi,40312,FR\n"
        "mauvais,Mauvais,association,astrologie,40312,FR\n"
        "autre,Autre,scop,eco-construction,64102,FR\n"
    )
    (folder / "besoins.csv").write_text("acteur,ressource\nbon,atelier\nmauvais,atelier\n")
    with pytest.raises(ImportRefusedError):
        import_path(base_store, folder)
    report = import_path(base_store, folder, keep_valid=True, dry_run=True)
    # acteurs line 3 is wrong; besoins line 3 points to it, so it goes too (second round)
    assert [(p.file, p.row) for p in report.problems] == [("acteurs.csv", 3), ("besoins.csv", 3)]
    assert report.rejected_rows == 2
    assert (report.created, report.updated) == (3, 0)  # bon, autre, the need of bon
    assert "2 ligne(s) écartée(s) (--keep-valid), le reste est importé" in report.as_text()
