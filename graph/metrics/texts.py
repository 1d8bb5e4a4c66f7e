"""The sentences the network indicators write for people: French first, English second.

The same conventions as `maillage.graph.texts` (whose `quote` and `quoted_list` are reused): names arrive
already quoted, languages without templates fall back to French.
"""

from __future__ import annotations

from maillage.graph.texts import quote, quoted_list, sentence_language

__all__ = ["count_phrase", "country_phrase", "metric_text", "number", "quote", "quoted_list"]

METRIC_TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        # centralities
        "betweenness_exact": "Intermédiarité exacte (algorithme de Brandes, toutes les {n} sources).",
        "betweenness_sampled": (
            "Intermédiarité estimée à partir de {k} acteurs de départ tirés au hasard parmi {n} "
            "(graine {seed}) ; erreur type estimée sur {batches} lots : ±{max_error} au plus{top} ; "
            "écart garanti au plus ±{bound} pour chaque acteur avec une probabilité d'au moins "
            "{confidence} % (borne de Hoeffding)."
        ),
        "betweenness_top_error": (
            " (±{relative} % de la valeur pour les {count} acteurs les plus intermédiaires)"
        ),
        # brokers
        "broker_fields": "{actor} relie des partenaires de {count} domaines : {groups}.",
        "broker_colleges": "{actor} relie des partenaires de {count} collèges : {groups}.",
        "broker_border": "{actor}, {own}, travaille avec {cross}{same}.",
        "broker_border_same": " et avec {same}",
        "group_count": "{group} ({count})",
        # communities
        "community": "Communauté {number} : {size}{fields}{colleges}{countries}.",
        "community_fields": " ; domaines dominants {groups}",
        "community_colleges": " ; collèges {groups}",
        "community_countries": " ; pays : {groups}",
        # periphery
        "isolated": "{actor} n'a encore ni projet ni partenariat dans le réseau{suggestion}.",
        "pendant": "{actor} n'est relié au réseau que par {contacts}{suggestion}.",
        "chain": (
            "{actor} n'est relié au réseau que par des liens en chaîne ({contacts}), hors du cœur "
            "du réseau{suggestion}."
        ),
        "small_component": (
            "{actor} fait partie d'un groupe de {size} séparé du reste du réseau ({contacts}){suggestion}."
        ),
        "suggest_one": " : à associer, par exemple avec {contacts}, très relié dans le domaine {field}",
        "suggest_many": " : à associer, par exemple avec {contacts}, très reliés dans le domaine {field}",
        "suggest_none": " : à associer à un prochain projet du réseau",
        # gaps
        "need_uncovered": (
            "Besoin {need} exprimé par {actors} : personne ne le propose dans le réseau, "
            "ni un concept voisin."
        ),
        "need_partly": (
            "Besoin {need} exprimé par {actors} : personne ne propose exactement {need}, mais {related}"
            " — besoin en partie couvert."
        ),
        "related_offer": "{offerers} {verb} {offer} ({relation})",
        "offers_one": "propose",
        "offers_many": "proposent",
        "broader": "concept plus large",
        "narrower": "concept plus précis",
        "field_none": "Domaine {field} : aucun acteur du réseau.",
        "field_one": "Domaine {field} : un seul acteur, {actors}.",
        "field_few": "Domaine {field} : seulement {count} ({actors}).",
        # evolution
        "year": (
            "En {year} : {members} ({joined} arrivée(s), {left} départ(s)), {projects} projet(s) actif(s), "
            "{participations} participation(s), {partnerships} partenariat(s) ; densité {density}, "
            "{components} composante(s), degré moyen {degree}."
        ),
        # paths
        "path": "{source} et {target} sont reliés en {length} : {steps}.",
        "path_same": "{source} : c'est le même acteur.",
        "path_none": (
            "Aucun chemin de collaboration ne relie {source} et {target} : ils sont dans deux parties "
            "séparées du réseau."
        ),
        "path_step": "{source} → {target} ({links})",
        "path_step_separator": " ; ",
        "path_project_one": "projet {projects}",
        "path_project_many": "projets {projects}",
        "path_partnership": "partenariat",
        "path_links_separator": " et ",
        # counted nouns: {n} and the noun
        "actor_one": "{n} acteur",
        "actor_many": "{n} acteurs",
        "step_one": "{n} étape",
        "step_many": "{n} étapes",
        "member_one": "{n} membre",
        "member_many": "{n} membres",
        "decimal": ",",
    },
    "en": {
        "betweenness_exact": "Exact betweenness (Brandes' algorithm, all {n} sources).",
        "betweenness_sampled": (
            "Betweenness estimated from {k} source actors drawn at random among {n} (seed {seed}); "
            "standard error estimated over {batches} batches: ±{max_error} at most{top}; guaranteed "
            "within ±{bound} for each actor with probability at least {confidence}% (Hoeffding bound)."
        ),
        "betweenness_top_error": " (±{relative}% of the value for the {count} most between actors)",
        "broker_fields": "{actor} links partners from {count} fields: {groups}.",
        "broker_colleges": "{actor} links partners from {count} colleges: {groups}.",
        "broker_border": "{actor}, {own}, works with {cross}{same}.",
        "broker_border_same": " and with {same}",
        "group_count": "{group} ({count})",
        "community": "Community {number}: {size}{fields}{colleges}{countries}.",
        "community_fields": "; main fields {groups}",
        "community_colleges": "; colleges {groups}",
        "community_countries": "; countries: {groups}",
        "isolated": "{actor} has no project or partnership in the network yet{suggestion}.",
        "pendant": "{actor} is linked to the network only through {contacts}{suggestion}.",
        "chain": (
            "{actor} is linked to the network only by chain links ({contacts}), outside its core{suggestion}."
        ),
        "small_component": (
            "{actor} belongs to a group of {size} cut off from the rest of the network "
            "({contacts}){suggestion}."
        ),
        "suggest_one": ": to involve, for instance with {contacts}, well connected in the field {field}",
        "suggest_many": ": to involve, for instance with {contacts}, well connected in the field {field}",
        "suggest_none": ": to involve in a coming project of the network",
        "need_uncovered": (
            "Need {need} expressed by {actors}: nobody in the network offers it, nor a related concept."
        ),
        "need_partly": (
            "Need {need} expressed by {actors}: nobody offers exactly {need}, but {related}"
            " — need partly met."
        ),
        "related_offer": "{offerers} {verb} {offer} ({relation})",
        "offers_one": "offers",
        "offers_many": "offer",
        "broader": "broader concept",
        "narrower": "narrower concept",
        "field_none": "Field {field}: no actor in the network.",
        "field_one": "Field {field}: a single actor, {actors}.",
        "field_few": "Field {field}: only {count} ({actors}).",
        "year": (
            "In {year}: {members} ({joined} joined, {left} left), {projects} active project(s), "
            "{participations} participation(s), {partnerships} partnership(s); density {density}, "
            "{components} component(s), average degree {degree}."
        ),
        "path": "{source} and {target} are linked in {length}: {steps}.",
        "path_same": "{source}: the same actor.",
        "path_none": (
            "No collaboration path links {source} and {target}: they are in two separate parts of "
            "the network."
        ),
        "path_step": "{source} → {target} ({links})",
        "path_step_separator": "; ",
        "path_project_one": "project {projects}",
        "path_project_many": "projects {projects}",
        "path_partnership": "partnership",
        "path_links_separator": " and ",
        "actor_one": "{n} actor",
        "actor_many": "{n} actors",
        "step_one": "{n} step",
        "step_many": "{n} steps",
        "member_one": "{n} member",
        "member_many": "{n} members",
        "decimal": ".",
    },
}

#: How a sentence names a country (`country_phrase`): French uses « en » / « au » before it.
COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "fr": {"FR": "en France", "ES": "en Espagne", "PT": "au Portugal", "AD": "en Andorre"},
    "en": {"FR": "in France", "ES": "in Spain", "PT": "in Portugal", "AD": "in Andorra"},
}
COUNTRY_LABELS: dict[str, dict[str, str]] = {
    "fr": {"FR": "France", "ES": "Espagne", "PT": "Portugal", "AD": "Andorre"},
    "en": {"FR": "France", "ES": "Spain", "PT": "Portugal", "AD": "Andorra"},
}


def metric_text(lang: str, name: str, **values: object) -> str:
    """The template `name` of `lang` (French when `lang` has none) filled with `values`.

    >>> print(metric_text("fr", "path_same", source="« A »"))
    « A » : c'est le même acteur.
    """
    return METRIC_TEXTS[sentence_language(lang)][name].format(**values)


def count_phrase(lang: str, noun: str, n: int) -> str:
    """« 1 acteur », « 3 acteurs »: a number with its noun (`actor`, `step`, `member`).

    >>> count_phrase("fr", "actor", 1), count_phrase("fr", "actor", 3), count_phrase("en", "step", 2)
    ('1 acteur', '3 acteurs', '2 steps')
    """
    return metric_text(lang, f"{noun}_{'one' if n == 1 else 'many'}", n=n)


def number(lang: str, value: float, digits: int = 2) -> str:
    """A decimal number written the way `lang` writes it.

    >>> number("fr", 0.125, 3), number("en", 0.125, 2)
    ('0,125', '0.12')
    """
    return f"{value:.{digits}f}".replace(".", metric_text(lang, "decimal"))


def country_phrase(lang: str, code: str | None, *, preposition: bool = True) -> str:
    """« en Espagne » (with `preposition`) or « Espagne »; the code itself for a country not listed.

    >>> country_phrase("fr", "ES"), country_phrase("fr", "ES", preposition=False), country_phrase("en", "IT")
    ('en Espagne', 'Espagne', 'IT')
    """
    table = COUNTRY_NAMES if preposition else COUNTRY_LABELS
    names = table[sentence_language(lang)]
    if code is None:
        return "?"
    return names.get(code, code)
