"""The sentences of the overlaps (`maillage.graph.overlaps`): French first, English second.

The same conventions as `maillage.graph.texts` (and meant to join its catalogue): `str.format`
templates, names passed already quoted, languages without templates falling back to French.
"""

from __future__ import annotations

from maillage.graph.texts import sentence_language

OVERLAP_TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "offers_and_fields": (
            "{source} et {target} proposent tous deux {offers} et travaillent dans {fields}{place}."
        ),
        "offers": "{source} et {target} proposent tous deux {offers}{place}.",
        "fields": "{source} et {target} travaillent tous deux dans {fields}{place}.",
        "related_offer": "{source} propose {first} et {target} {second}, un concept voisin{place}.",
        "related_field": (
            "{source} travaille dans {first} et {target} dans {second}, un domaine voisin{place}."
        ),
        "linked": "Ils coopèrent déjà (projet commun ou partenariat).",
        "place_km": ", à {km} km l'un de l'autre",
        "place_under_one_km": ", à moins d'un kilomètre l'un de l'autre",
        "place_same_commune": ", dans la même commune ({commune})",
        "place_unknown": " (distance inconnue : coordonnées manquantes)",
        "cross_border": " (de part et d'autre de la frontière)",
        "certain": "Doublon certain : ",
        "probable": "Doublon probable : ",
        "same_identifier": "{source} et {target} ont le même {what} : {value}.",
        "same_siren": "{source} ({first}) et {target} ({second}) ont le même SIREN : {value}.",
        "similar_names": (
            "{source} et {target} ont des noms presque identiques (similarité {similarity} / 100 après "
            "normalisation : {first} et {second}){place}."
        ),
        "identifier_siret": "SIRET",
        "identifier_siren": "SIREN",
        "identifier_rna": "numéro RNA",
        "identifier_nif": "NIF",
    },
    "en": {
        "offers_and_fields": "{source} and {target} both offer {offers} and work in {fields}{place}.",
        "offers": "{source} and {target} both offer {offers}{place}.",
        "fields": "{source} and {target} both work in {fields}{place}.",
        "related_offer": "{source} offers {first} and {target} {second}, a related concept{place}.",
        "related_field": "{source} works in {first} and {target} in {second}, a related field{place}.",
        "linked": "They already cooperate (shared project or partnership).",
        "place_km": ", {km} km apart",
        "place_under_one_km": ", less than a kilometre apart",
        "place_same_commune": ", in the same municipality ({commune})",
        "place_unknown": " (distance unknown: missing coordinates)",
        "cross_border": " (across the border)",
        "certain": "Certain duplicate: ",
        "probable": "Probable duplicate: ",
        "same_identifier": "{source} and {target} have the same {what}: {value}.",
        "same_siren": "{source} ({first}) and {target} ({second}) have the same SIREN: {value}.",
        "similar_names": (
            "{source} and {target} have nearly identical names (similarity {similarity}/100 after "
            "normalisation: {first} and {second}){place}."
        ),
        "identifier_siret": "SIRET",
        "identifier_siren": "SIREN",
        "identifier_rna": "RNA number",
        "identifier_nif": "NIF",
    },
}


def overlap_text(lang: str, name: str, **values: object) -> str:
    """The overlap template `name` of `lang` (French when `lang` has none) filled with `values`.

    >>> overlap_text("fr", "place_km", km=4)
    ", à 4 km l'un de l'autre"
    >>> overlap_text("eu", "cross_border")
    " (de part et d'autre de la frontière)"
    """
    return OVERLAP_TEXTS[sentence_language(lang)][name].format(**values)


def place_phrase(lang: str, distance_km: float | None, same_commune: str | None = None) -> str:
    """Where the two actors are relative to each other (leading comma or space included).

    `same_commune` is the commune's name when both are based in it: it is said instead of the distance.

    >>> place_phrase("fr", 4.2), place_phrase("fr", 0.4)
    (", à 4 km l'un de l'autre", ", à moins d'un kilomètre l'un de l'autre")
    >>> place_phrase("en", None, "Pau")
    ', in the same municipality (Pau)'
    >>> place_phrase("fr", None)
    ' (distance inconnue : coordonnées manquantes)'
    """
    if same_commune:
        return overlap_text(lang, "place_same_commune", commune=same_commune)
    if distance_km is None:
        return overlap_text(lang, "place_unknown")
    if distance_km < 1.0:
        return overlap_text(lang, "place_under_one_km")
    return overlap_text(lang, "place_km", km=round(distance_km))
