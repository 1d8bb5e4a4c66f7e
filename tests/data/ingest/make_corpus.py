"""Writes the bad-file corpus of this folder (run once; the files are committed). See README.md."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
H = "identifiant,nom,type,domaines,commune,pays"


def workbook(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "acteurs"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def corpus() -> dict[str, bytes]:
    good_row = ["x", "X", "association", "emploi", "40312", "FR"]
    full = workbook([H.split(","), good_row])
    return {
        "acteurs-vide.csv": b"",
        "acteurs-blancs.csv": b"   \n\n  \n",
        "acteurs-binaire.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "acteurs-encodage.csv": (H + "\nx,Caf\x81 des Barthes,association,emploi,40312,FR\n").encode(
            "latin-1"
        ),
        "acteurs-guillemets.csv": (H + '\nx,"Atelier Bois,association,emploi,40312,FR\n').encode(),
        "acteurs-guillemet-colle.csv": (H + '\nx,"Atelier" Bois,association,emploi,40312,FR\n').encode(),
        "acteurs-colonne-manquante.csv": b"identifiant,nom,type,commune,pays\nx,X,association,40312,FR\n",
        "acteurs-colonne-en-trop.csv": (H + ",fax\nx,X,association,emploi,40312,FR,0559000000\n").encode(),
        "acteurs-courriel.csv": (H + ",courriel\nx,X,association,emploi,40312,FR,contact@atelier\n").encode(),
        "acteurs-telephone.csv": (H + ",telephone\nx,X,association,emploi,40312,FR,05 59 12 34\n").encode(),
        "acteurs-doublon.csv": (
            H + "\nx,X,association,emploi,40312,FR\nx,X bis,association,emploi,40312,FR\n"
        ).encode(),
        "acteurs-siret-luhn.csv": (H + ",siret\nx,X,association,emploi,40312,FR,73282932000075\n").encode(),
        "acteurs-siret-longueur.csv": (
            H + ",siret\nx,X,association,emploi,40312,FR,7328293200007\n"
        ).encode(),
        "acteurs-rna.csv": (H + ",rna\nx,X,association,emploi,40312,FR,W12345\n").encode(),
        "acteurs-nif.csv": (H + ",nif\nx,X,cooperative,emploi,20045,ES,B12345678\n").encode(),
        "acteurs-commune-inconnue.csv": (H + "\nx,X,association,emploi,40999,FR\n").encode(),
        "acteurs-commune-autre-pays.csv": (H + "\nx,X,association,emploi,64102,ES\n").encode(),
        "acteurs-pays-inconnu.csv": (H + "\nx,X,association,emploi,40312,Frnace\n").encode(),
        "acteurs-domaine-inconnu.csv": (H + "\nx,X,association,astrologie,40312,FR\n").encode(),
        "acteurs-type-inconnu.csv": (H + "\nx,X,assosiassion,emploi,40312,FR\n").encode(),
        "acteurs-formule.csv": (
            H + '\nx,"=HYPERLINK(""http://exemple.org"",""clic"")",association,emploi,40312,FR\n'
        ).encode(),
        "acteurs-formule-arobase.csv": (H + "\nx,@SUM(1+1),association,emploi,40312,FR\n").encode(),
        "acteurs-formule.xlsx": workbook([H.split(","), ["x", '=CONCATENATE("A","B")', *good_row[2:]]]),
        "acteurs-latitude.csv": (
            H + ",latitude,longitude\nx,X,association,emploi,40312,FR,95,-1.4\n"
        ).encode(),
        "acteurs-latitude-texte.csv": (
            H + ",latitude,longitude\nx,X,association,emploi,40312,FR,nord,-1.4\n"
        ).encode(),
        "acteurs-site-web.csv": (H + ",site_web\nx,X,association,emploi,40312,FR,www exemple org\n").encode(),
        "acteurs-consentement.csv": (
            H + ",consentement_public\nx,X,habitant,emploi,40312,FR,peut-être\n"
        ).encode(),
        "acteurs-identifiant-espaces.csv": (H + "\natelier bois,X,association,emploi,40312,FR\n").encode(),
        "acteurs-valeur-manquante.csv": (H + "\nx,,association,emploi,40312,FR\n").encode(),
        "besoins-acteur-inconnu.csv": b"acteur,ressource\nfantome,atelier\n",
        "besoins-ressource-inconnue.csv": b"acteur,ressource\natelier,licorne\n",
        "participations-projet-inconnu.csv": b"projet,acteur,role\nprojet-fantome,atelier,partenaire\n",
        "participations-date.csv": (
            b"projet,acteur,role,date_debut\nlegumerie,atelier,partenaire,31/02/2020\n"
        ),
        "partenariats-soi-meme.csv": b"acteur_a,acteur_b,nature\natelier,atelier,informel\n",
        "projets-statut-inconnu.csv": b"identifiant,nom,domaines,statut\np2,P2,emploi,suspendu\n",
        "inconnu.csv": b"a,b\n1,2\n",
        "acteurs.ods": b"PK\x03\x04 not really an OpenDocument file",
        "acteurs-tronque.xlsx": full[: len(full) // 2],
        "acteurs-faux-classeur.xlsx": (H + "\nx,X,association,emploi,40312,FR\n").encode(),
    }


if __name__ == "__main__":
    for name, data in corpus().items():
        (HERE / name).write_bytes(data)
