"""The catalogue of sentences the analysis writes for people: French first, English second.

Templates are `str.format` strings; names of actors and concepts are passed already quoted
(`quote`). Languages without templates (Basque, Spanish) fall back to French, labels included, so a
sentence never mixes two languages.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Languages that have their own templates; the first one is the fallback.
SENTENCE_LANGUAGES = ("fr", "en")

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "quote": "« {} »",
        "list_separator": ", ",
        "list_last": " et ",
        "need_offer": "{source} a besoin de {need} ; {target} propose {offer}{place}.",
        "need_offer_related": (
            "{source} a besoin de {need} ; {target} propose {offer}, un concept voisin de {need}{place}."
        ),
        "distance": " (à {km} km)",
        "distance_under_one_km": " (à moins d'un kilomètre)",
        "distance_unknown": " (distance inconnue : coordonnées manquantes, score non modulé par la distance)",
        "cross_border": " (coopération transfrontalière)",
        "shared_field": "{source} et {target} partagent le domaine {concepts}{not_linked}{place}.",
        "shared_fields": "{source} et {target} partagent les domaines {concepts}{not_linked}{place}.",
        "related_fields": (
            "{source} et {target} ont des domaines proches, rattachés à {concepts}{not_linked}{place}."
        ),
        "not_linked": " et n'ont encore aucun projet ni partenariat ensemble",
    },
    "en": {
        "quote": "“{}”",
        "list_separator": ", ",
        "list_last": " and ",
        "need_offer": "{source} needs {need}; {target} offers {offer}{place}.",
        "need_offer_related": (
            "{source} needs {need}; {target} offers {offer}, a concept close to {need}{place}."
        ),
        "distance": " ({km} km away)",
        "distance_under_one_km": " (less than a kilometre away)",
        "distance_unknown": " (distance unknown: missing coordinates, score not adjusted for distance)",
        "cross_border": " (cross-border cooperation)",
        "shared_field": "{source} and {target} share the field {concepts}{not_linked}{place}.",
        "shared_fields": "{source} and {target} share the fields {concepts}{not_linked}{place}.",
        "related_fields": "{source} and {target} have related fields, under {concepts}{not_linked}{place}.",
        "not_linked": " and have no project or partnership together yet",
    },
}


def sentence_language(lang: str) -> str:
    """The template language used for `lang`: itself when it has templates, else French.

    >>> sentence_language("en"), sentence_language("eu")
    ('en', 'fr')
    """
    return lang if lang in TEXTS else SENTENCE_LANGUAGES[0]


def text(lang: str, name: str, **values: object) -> str:
    """The template `name` of `lang` (French when `lang` has none) filled with `values`.

    >>> text("fr", "distance", km=12)
    ' (à 12 km)'
    """
    return TEXTS[sentence_language(lang)][name].format(**values)


def quote(lang: str, words: str) -> str:
    """Quote a name the way `lang` does.

    >>> quote("fr", "Coop Garraio"), quote("en", "Coop Garraio")
    ('« Coop Garraio »', '“Coop Garraio”')
    """
    return TEXTS[sentence_language(lang)]["quote"].format(words)


def quoted_list(lang: str, items: Sequence[str]) -> str:
    """Quote and join names: « a », « b » et « c ».

    >>> quoted_list("fr", ["Emploi", "Circuits courts", "Mobilité"])
    '« Emploi », « Circuits courts » et « Mobilité »'
    >>> quoted_list("en", ["Employment"])
    '“Employment”'
    """
    quoted = [quote(lang, item) for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    catalogue = TEXTS[sentence_language(lang)]
    return catalogue["list_separator"].join(quoted[:-1]) + catalogue["list_last"] + quoted[-1]


def distance_phrase(lang: str, distance_km: float | None) -> str:
    """The parenthesis saying how far the other actor is (leading space included).

    >>> distance_phrase("fr", 12.4), distance_phrase("fr", 0.3), distance_phrase("en", None)[:19]
    (' (à 12 km)', " (à moins d'un kilomètre)", ' (distance unknown:')
    """
    if distance_km is None:
        return text(lang, "distance_unknown")
    if distance_km < 1.0:
        return text(lang, "distance_under_one_km")
    return text(lang, "distance", km=round(distance_km))
