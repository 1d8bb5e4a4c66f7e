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
        # pooling (mutualisation)
        "shared_need": (
            "{source} et {target} ont tous deux besoin de {need}{supply} : ils pourraient {form}{place}."
        ),
        "pooling_group": "{members} ont besoin de {need}{supply} : ils pourraient {form}{place}.",
        "supply_none": ", que personne ne propose dans le réseau",
        "supply_one": (
            ", que seul {offerers} propose dans le réseau{related}, pour {demand} acteurs qui en ont besoin"
        ),
        "supply_many": (
            ", que seuls {offerers} proposent dans le réseau{related}, "
            "pour {demand} acteurs qui en ont besoin"
        ),
        "supply_related": " (un concept voisin)",
        "span": " (à {km} km au plus les uns des autres)",
        "span_under_one_km": " (à moins d'un kilomètre les uns des autres)",
        "and_others": "{names} et {count} autres",
        "form_emploi-partage": "créer un groupement d'employeurs",
        "form_temps-salarie": "partager du temps salarié",
        "form_locaux": "partager un local",
        "form_equipements": "partager un équipement",
        "form_vehicules": "partager un véhicule",
        "form_competences": "partager une compétence (par exemple un poste commun)",
        "form_services": "organiser un service commun",
        "form_financement": "chercher un financement en commun",
        "form_default": "le mutualiser",
        # closing triangles
        "intermediary": (
            "{source} et {target} travaillent tous deux avec {via} ({source_link} ; {target_link}) "
            "mais pas encore ensemble : {via} pourrait les présenter{place}."
        ),
        "link": "{actor} : {what}",
        "link_project": "projet {projects}",
        "link_projects": "projets {projects}",
        "link_partnership": "partenariat",
        "link_and_partnership": "{projects} et partenariat",
        # cross-border bridges
        "bridge": "{actor} relie les deux côtés de la frontière : il travaille avec {others} ({abroad}) "
        "et avec {same} ({home}).",
        "bridge_alone": "{actor} ({home}) travaille avec {others} ({abroad}).",
        "cross_border_link": "{source} travaille avec {target} ({what}){place}.",
        "actors_one": "1 acteur",
        "actors_many": "{count} acteurs",
        "country_FR": "France",
        "country_ES": "Espagne",
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
        # pooling
        "shared_need": "{source} and {target} both need {need}{supply}: they could {form}{place}.",
        "pooling_group": "{members} need {need}{supply}: they could {form}{place}.",
        "supply_none": ", which nobody in the network offers",
        "supply_one": (
            ", which only {offerers} offers in the network{related}, for {demand} actors who need it"
        ),
        "supply_many": (
            ", which only {offerers} offer in the network{related}, for {demand} actors who need it"
        ),
        "supply_related": " (a related concept)",
        "span": " (at most {km} km apart)",
        "span_under_one_km": " (less than a kilometre apart)",
        "and_others": "{names} and {count} others",
        "form_emploi-partage": "set up an employer group",
        "form_temps-salarie": "share staff time",
        "form_locaux": "share premises",
        "form_equipements": "share equipment",
        "form_vehicules": "share a vehicle",
        "form_competences": "share a skill (for instance a joint post)",
        "form_services": "organise a common service",
        "form_financement": "seek funding together",
        "form_default": "pool it",
        # closing triangles
        "intermediary": (
            "{source} and {target} both work with {via} ({source_link}; {target_link}) "
            "but not yet together: {via} could introduce them{place}."
        ),
        "link": "{actor}: {what}",
        "link_project": "project {projects}",
        "link_projects": "projects {projects}",
        "link_partnership": "partnership",
        "link_and_partnership": "{projects} and partnership",
        # cross-border bridges
        "bridge": "{actor} links both sides of the border: it works with {others} ({abroad}) "
        "and with {same} ({home}).",
        "bridge_alone": "{actor} ({home}) works with {others} ({abroad}).",
        "cross_border_link": "{source} works with {target} ({what}){place}.",
        "actors_one": "1 actor",
        "actors_many": "{count} actors",
        "country_FR": "France",
        "country_ES": "Spain",
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


def quoted_list_capped(lang: str, items: Sequence[str], cap: int, *, total: int | None = None) -> str:
    """Like `quoted_list`, naming at most `cap` items and counting the others — `total` of them in all,
    when `items` holds only the first ones (a caller need not name hundreds of actors to quote eight).

    >>> quoted_list_capped("fr", ["A", "B", "C", "D"], 2)
    '« A », « B » et 2 autres'
    >>> quoted_list_capped("fr", ["A", "B"], 2, total=40)
    '« A », « B » et 38 autres'
    >>> quoted_list_capped("en", ["A", "B"], 2)
    '“A” and “B”'
    """
    count = len(items) if total is None else total
    if count <= cap:
        return quoted_list(lang, items)
    named = TEXTS[sentence_language(lang)]["list_separator"].join(quote(lang, item) for item in items[:cap])
    return text(lang, "and_others", names=named, count=count - cap)


def has_text(lang: str, name: str) -> bool:
    """True when the catalogue of `lang` (or French, its fallback) has the template `name`.

    >>> has_text("en", "form_locaux"), has_text("en", "form_permaculture")
    (True, False)
    """
    return name in TEXTS[sentence_language(lang)]


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
