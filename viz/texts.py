"""The catalogue of user-facing words in the visualisations, French first, English second."""

from __future__ import annotations

from collections.abc import Mapping

SUPPORTED_LANGUAGES: tuple[str, ...] = ("fr", "en")
"""Languages of the interface; the first one is the default and the fallback."""

TEXTS: Mapping[str, Mapping[str, str]] = {
    "fr": {
        "legend.title": "Légende",
        "legend.edge.projet": "Projet commun",
        "legend.edge.partenariat": "Partenariat",
        "legend.edge.suggestion": "Coopération suggérée",
        "legend.edge.groupe": "Liens entre groupes (épaisseur : nombre de liens)",
        "legend.edge.transfrontalier": "Lien transfrontalier",
        "legend.node.transfrontalier": "Partenaire transfrontalier",
        "network.label": "Réseau de coopération",
        "network.summary": "Réseau de coopération : {actors}, {links}.",
        "network.actors.one": "{count} acteur",
        "network.actors.other": "{count} acteurs",
        "network.links.one": "{count} lien",
        "network.links.other": "{count} liens",
        "network.inner_links.one": "{count} lien interne",
        "network.inner_links.other": "{count} liens internes",
        "network.of_which_cross_border.one": "{count} transfrontalier",
        "network.of_which_cross_border.other": "{count} transfrontaliers",
        "group.open": "Cliquez pour voir ses membres.",
        "group.link": "{links} entre « {first} » et « {second} »",
        "group.link.cross_border": "{title}, dont {cross_border}",
        "chart.bar": "{series} en {label} : {value}",
        "network.noscript": "Activez JavaScript pour afficher le dessin du réseau.",
        "map.summary": "Carte du réseau : {actors}.",
        "map.classes.title": "Acteurs par commune",
        "map.help": "Molette : zoomer. Glisser : se déplacer. Double-clic : tout le territoire / retour.",
        "map.class.0": "aucun",
        "map.class.1": "1",
        "map.class.2": "2",
        "map.class.3": "3 ou 4",
        "map.class.4": "5 et plus",
        "map.spain": (
            "Côté Euskadi et Navarre, contours non disponibles hors ligne : "
            "les municipios sont des points gris."
        ),
    },
    "en": {
        "legend.title": "Legend",
        "legend.edge.projet": "Joint project",
        "legend.edge.partenariat": "Partnership",
        "legend.edge.suggestion": "Suggested cooperation",
        "legend.edge.groupe": "Links between groups (width: number of links)",
        "legend.edge.transfrontalier": "Cross-border link",
        "legend.node.transfrontalier": "Cross-border partner",
        "network.label": "Cooperation network",
        "network.summary": "Cooperation network: {actors}, {links}.",
        "network.actors.one": "{count} actor",
        "network.actors.other": "{count} actors",
        "network.links.one": "{count} link",
        "network.links.other": "{count} links",
        "network.inner_links.one": "{count} internal link",
        "network.inner_links.other": "{count} internal links",
        "network.of_which_cross_border.one": "{count} of them cross-border",
        "network.of_which_cross_border.other": "{count} of them cross-border",
        "group.open": "Click to see its members.",
        "group.link": "{links} between “{first}” and “{second}”",
        "group.link.cross_border": "{title}, {cross_border}",
        "chart.bar": "{series} in {label}: {value}",
        "network.noscript": "Turn on JavaScript to see the network drawing.",
        "map.summary": "Map of the network: {actors}.",
        "map.classes.title": "Actors per commune",
        "map.help": "Wheel: zoom. Drag: move. Double click: the whole territory / back.",
        "map.class.0": "none",
        "map.class.1": "1",
        "map.class.2": "2",
        "map.class.3": "3 or 4",
        "map.class.4": "5 or more",
        "map.spain": (
            "On the Basque Country and Navarre side, outlines are not available offline: "
            "municipalities are grey dots."
        ),
    },
}


def check_language(lang: str) -> str:
    """Return *lang* if the catalogue has it.

    Raises
    ------
    ValueError
        If *lang* is not one of :data:`SUPPORTED_LANGUAGES`.

    Examples
    --------
    >>> check_language("en")
    'en'
    """
    if lang not in TEXTS:
        raise ValueError(
            f"Language {lang!r} is not in the viz catalogue; use one of {', '.join(SUPPORTED_LANGUAGES)}."
        )
    return lang


def text(key: str, *, lang: str = "fr", **values: object) -> str:
    """Return the catalogue entry *key* in *lang*, with ``{placeholders}`` filled from *values*.

    A key missing in English falls back to French, the reference language.

    Raises
    ------
    ValueError
        If *lang* is not supported.
    KeyError
        If *key* is in no catalogue (a programming error, caught by the tests).

    Examples
    --------
    >>> text("legend.title")
    'Légende'
    >>> text("network.actors.other", lang="en", count=3)
    '3 actors'
    """
    catalogue = TEXTS[check_language(lang)]
    template = catalogue.get(key)
    if template is None:
        template = TEXTS[SUPPORTED_LANGUAGES[0]].get(key)
    if template is None:
        raise KeyError(f"No text {key!r} in the viz catalogue (viz/texts.py).")
    return template.format(**values) if values else template


def format_count(count: int, *, lang: str = "fr") -> str:
    """Write an integer the way readers of *lang* expect (French groups thousands with a narrow space).

    Examples
    --------
    >>> format_count(16000)
    '16\\u202f000'
    >>> format_count(16000, lang="en")
    '16,000'
    """
    grouped = f"{count:,}"
    return grouped.replace(",", "\u202f") if check_language(lang) == "fr" else grouped


def counted(noun: str, count: int, *, lang: str = "fr") -> str:
    """Return ``"<count> <noun>"`` with the singular or plural entry ``network.<noun>.one|other``.

    French treats 0 and 1 as singular, English only 1.

    Examples
    --------
    >>> counted("actors", 1)
    '1 acteur'
    >>> counted("links", 0, lang="en")
    '0 links'
    """
    singular = count in (0, 1) if check_language(lang) == "fr" else count == 1
    form = "one" if singular else "other"
    return text(f"network.{noun}.{form}", lang=lang, count=format_count(count, lang=lang))
