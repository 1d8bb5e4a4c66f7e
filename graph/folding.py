"""Text folding: the one rule by which two spellings of a word compare equal (accents, case, punctuation).

Every matcher folds with `fold`: spreadsheet cells against concept labels and territory names
(`maillage.ingest.concepts`, `maillage.ingest.territories`), proposals against concepts and free text
(`maillage.graph.textsim`, `maillage.graph.project_check`), actor names for duplicates
(`maillage.graph.overlaps.normalise_name`, which also drops legal forms and short words).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold"]

_PUNCTUATION = re.compile(r"[^\w]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters NFKD does not decompose but French, Basque and Spanish writers use: spelled out, not dropped.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: accents removed, punctuation made into spaces.

    Punctuation is turned into spaces *before* the accents are removed, so that a curly apostrophe (’),
    a guillemet or a dash separates words like a straight apostrophe (NFKD alone would drop ’ and glue
    « d’activité » into one word). Ligatures are spelled out (œ → oe); other letters without an ASCII
    decomposition (Greek, …) are dropped.

    Parameters
    ----------
    text : str
        Any text: a label, a name, a cell, a query.

    Returns
    -------
    str
        Words of ``[a-z0-9]``, one space between them, none at either end (``""`` for no word).

    Examples
    --------
    >>> fold("Éco-Rénovation : l’ÉPICERIE d'Ondres, Señora Iruña")
    'eco renovation l epicerie d ondres senora iruna'
    >>> fold("  Éco-Construction  et  ÉCO-HABITAT ")
    'eco construction et eco habitat'
    >>> fold("coopérative d’activité") == fold("Coopérative d'activité") == "cooperative d activite"
    True
    >>> fold("« — »")
    ''
    >>> fold("Main-d’œuvre")
    'main d oeuvre'
    """
    spaced = _PUNCTUATION.sub(" ", text.translate(_LIGATURES))
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_ALNUM.sub(" ", folded).strip()
