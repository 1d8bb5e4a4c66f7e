"""The sentences of the project check, French first, English second (same conventions as `graph.texts`).

Kept beside the check until the shared catalogue (`maillage.graph.texts`) takes them in.
"""

from __future__ import annotations

from maillage.graph.texts import quote, quoted_list, sentence_language

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        # verdicts
        "verdict.doublon": "doublon",
        "verdict.chevauchement-partiel": "chevauchement partiel",
        "verdict.complementaire": "complémentaire",
        "verdict.nouveau": "nouveau",
        "duplicate": "Doublon : {title} reprend ce que fait déjà {targets}. Mieux vaut rejoindre l'existant "
        "que créer un projet concurrent.",
        "duplicate_many": "Doublon : {title} reprend ce que font déjà {targets}. Mieux vaut rejoindre "
        "l'existant que créer un projet concurrent.",
        "overlap": "Chevauchement partiel : {title} recoupe en partie {targets}. Précisez ce que le projet "
        "apporte de plus, ou associez-les.",
        "complement": "Complémentaire : {title} répond {needs}, que personne ne propose dans le réseau.",
        "complement_overlap": " Il recoupe en partie {targets}.",
        "new": "Nouveau : aucun projet ni membre du réseau ne fait déjà ce que propose {title}.",
        "new_closest": " La ressemblance la plus forte est avec {target} (score {score}).",
        "target_project": "le projet {label} ({status}score {score})",
        "target_actor": "le membre {label} (score {score})",
        "target_status": "{status}, ",
        "need_of": "au besoin {need} exprimé par {actors}",
        "need_of_related": "au besoin {need} exprimé par {actors} (avec {service}, un concept voisin)",
        "duplicate_needs": " Il répondrait aussi à des besoins que personne ne propose ({needs}) : "
        "mieux vaut les porter avec l'existant.",
        "status": " ({status})",
        # matches
        "match_project": "Le projet {label}{status}",
        "match_actor": "Le membre {label}",
        "nothing_shared": "rien de commun avec le projet proposé sinon le territoire",
        "shared_field": "domaine commun {concepts}",
        "shared_fields": "domaines communs {concepts}",
        "related_fields": "domaines voisins, rattachés à {concepts}",
        "offers": "propose déjà {concepts}",
        "offers_related": "propose {offer}, un concept voisin de {service}",
        "mentions": "cite {concepts} dans sa description",
        "mentions_related": "cite {offer}, un concept voisin de {service}",
        "words": "mots communs : {words}",
        "same_territory": "même territoire ({place})",
        "distance": "à {km} km",
        "distance_under_one_km": "à moins d'un kilomètre",
        "place_unknown": "lieu inconnu : score non modulé par le territoire",
        "clauses": "{subject} : {clauses}.",
        "clause_separator": " ; ",
        "needed_by": "{need} : besoin de {actors}, que personne ne propose ; "
        "le projet apporterait {service}.",
        "word_separator": ", ",
    },
    "en": {
        "verdict.doublon": "duplicates",
        "verdict.chevauchement-partiel": "overlaps partly",
        "verdict.complementaire": "complements",
        "verdict.nouveau": "new",
        "duplicate": "Duplicates: {title} repeats what {targets} already does. Better to join what exists "
        "than to start a competing project.",
        "duplicate_many": "Duplicates: {title} repeats what {targets} already do. Better to join what "
        "exists than to start a competing project.",
        "overlap": "Overlaps partly: {title} partly covers {targets}. Say what the project adds, or bring "
        "them in.",
        "complement": "Complements: {title} meets {needs}, which nobody in the network offers.",
        "complement_overlap": " It partly overlaps {targets}.",
        "new": "New: no project or member of the network already does what {title} proposes.",
        "new_closest": " The closest is {target} (score {score}).",
        "target_project": "the project {label} ({status}score {score})",
        "target_actor": "the member {label} (score {score})",
        "target_status": "{status}, ",
        "need_of": "the need for {need} stated by {actors}",
        "need_of_related": "the need for {need} stated by {actors} (with {service}, a related concept)",
        "duplicate_needs": " It would also meet needs nobody offers ({needs}): better to take them up with "
        "what exists.",
        "status": " ({status})",
        "match_project": "The project {label}{status}",
        "match_actor": "The member {label}",
        "nothing_shared": "nothing in common with the proposed project but the territory",
        "shared_field": "shared field {concepts}",
        "shared_fields": "shared fields {concepts}",
        "related_fields": "related fields, under {concepts}",
        "offers": "already offers {concepts}",
        "offers_related": "offers {offer}, a concept close to {service}",
        "mentions": "mentions {concepts} in its description",
        "mentions_related": "mentions {offer}, a concept close to {service}",
        "words": "shared words: {words}",
        "same_territory": "same territory ({place})",
        "distance": "{km} km away",
        "distance_under_one_km": "less than a kilometre away",
        "place_unknown": "place unknown: score not adjusted for territory",
        "clauses": "{subject}: {clauses}.",
        "clause_separator": "; ",
        "needed_by": "{need}: needed by {actors}, offered by nobody; the project would bring {service}.",
        "word_separator": ", ",
    },
}


def say(lang: str, name: str, **values: object) -> str:
    """The template `name` in `lang` (French when `lang` has none), filled with `values`.

    >>> say("fr", "distance", km=12), say("eu", "verdict.complementaire"), say("en", "verdict.doublon")
    ('à 12 km', 'complémentaire', 'duplicates')
    """
    return TEXTS[sentence_language(lang)][name].format(**values)


def lower_first(words: str) -> str:
    """The label as written inside a sentence: « En cours » → « en cours ».

    >>> lower_first("En cours")
    'en cours'
    """
    return words[:1].lower() + words[1:]


def number(lang: str, value: float) -> str:
    """A score with two decimals, French decimal comma.

    >>> number("fr", 0.8765), number("en", 0.8765)
    ('0,88', '0.88')
    """
    written = f"{value:.2f}"
    return written.replace(".", ",") if sentence_language(lang) == "fr" else written


def distance_clause(lang: str, distance_km: float) -> str:
    """How far, without parentheses.

    >>> distance_clause("fr", 0.4), distance_clause("fr", 31.2)
    ("à moins d'un kilomètre", 'à 31 km')
    """
    if distance_km < 1.0:
        return say(lang, "distance_under_one_km")
    return say(lang, "distance", km=round(distance_km))


__all__ = ["TEXTS", "distance_clause", "lower_first", "number", "quote", "quoted_list", "say"]
