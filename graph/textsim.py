"""Free-text similarity: an accent-folded French / Spanish / Basque tokeniser and TF-IDF cosines.

The corpus of an index is one document per actor (name and description) and one per project (name and
description); a query text is compared to every document with one sparse product. Formulas
(docs/decisions/20261128-project-check.md):

- tokens: folded (`fold`, from `maillage.graph.folding`: accents, case and punctuation ignored), words of
  two characters or more, numbers and stopwords (fr, es, eu) dropped, French plurals and final ``-er`` /
  ``-ee`` / ``-e`` cut (`stem`: « partager », « partagées » → « partag »);
- ``tf(t, d) = 1 + ln(count(t, d))`` (sublinear), ``idf(t) = ln((1 + N) / (1 + df(t)))`` over the N
  documents of the corpus: a word found in every document (« exemple », « fictif » in the sample) weighs
  nothing, a word of the query found in none weighs ``ln(1 + N)`` (in the query's norm only);
- vectors ``tf · idf``, L2-normalised; ``similarity = cosine``, in [0, 1].

No outside library: scipy sparse matrices, built once per index and kept in ``index.derived["textsim"]``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from maillage.graph.folding import fold  # re-exported: `maillage.graph.textsim.fold` is public
from maillage.graph.index import NetworkIndex

__all__ = [
    "STOPWORDS",
    "TextModel",
    "build_text_model",
    "corpus_keys",
    "fold",
    "index_text_model",
    "stem",
    "tokenize",
]

FloatArray = npt.NDArray[np.float64]

_FRENCH = """
a au aux avec ce ces cet cette ci comme dans de des du elle elles en entre est et etc etre eux il ils
je la le les leur leurs lui ma mais me meme mes moi mon ne ni nos notre nous on ont ou par pas peu plus
pour qu que qui sa sans se ses si son sont sous sur ta te tes toi ton tous tout toute toutes tres tu un
une vos votre vous y ete etait sera sont leurs dont ainsi aussi apres avant chez contre depuis donc
lors puis quand selon vers via afin autre autres chaque deja encore ici meme plusieurs tel telle tels
avoir fait faire peut doit ceux celle celles celui cela ca
"""
_SPANISH = """
al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante el ella ellas
ellos en entre era es esa esas ese eso esos esta estas este esto estos fue ha hay hasta la las le les lo
los mas me mi mis muy ni no nos nuestra nuestro o otra otras otro otros para pero poco por porque que
quien se ser si sin sobre su sus tambien tanto te todo todos tu un una uno unos y ya
"""
_BASQUE = """
ala baina bai bat bere beste bezala da dira du dute edo eta ez gabe hau hauek hori horiek hura ere izan
oso zen ziren zer zein non nola
"""
#: Words carrying no meaning for the comparison, accent-folded (French, Spanish, Basque).
STOPWORDS: frozenset[str] = frozenset((_FRENCH + _SPANISH + _BASQUE).split())

_PUNCTUATION = re.compile(r"[^\w]+")


def stem(word: str) -> str:
    """Reduce a folded French word to a crude stem, the same for its plural, feminine and infinitive.

    Two steps, a light and predictable rule rather than a full stemmer: the plural (``-eaux`` → ``-eau``,
    ``-aux`` → ``-al``, ``-eux`` → ``-eu``, final ``-s`` but not ``-ss`` or ``-us``), then a final
    ``-er``, ``-ee`` or ``-e``, keeping at least four letters. « partager », « partagé », « partagées »
    and « partage » all become « partag ».

    >>> [stem(w) for w in ("partager", "partagees", "partage", "bureaux", "locaux", "legumes", "bus")]
    ['partag', 'partag', 'partag', 'bureau', 'local', 'legum', 'bus']
    """
    if len(word) > 4 and word.endswith("eaux"):
        word = word[:-1]
    elif len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word.endswith("eux"):
        word = word[:-1]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        word = word[:-1]
    for ending in ("er", "ee", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def tokenize(text: str) -> list[str]:
    """The words of `text` that count: folded, stemmed, without stopwords, numbers or single letters.

    >>> tokenize("Légumerie pour la restauration collective : 600 repas, des légumes de l'Adour")
    ['legumeri', 'restauration', 'collectiv', 'repa', 'legum', 'adour']
    """
    return [stem(word) for word in fold(text).split() if _counts(word)]


def _counts(word: str) -> bool:
    return len(word) >= 2 and not word.isdigit() and word not in STOPWORDS


def surface_forms(text: str) -> dict[str, str]:
    """token → the first word of `text` that gave it, as written (to show people real words).

    >>> surface_forms("Des Légumes, des légumes")
    {'legum': 'Légumes'}
    """
    forms: dict[str, str] = {}
    for raw in _PUNCTUATION.sub(" ", text).split():
        for word in fold(raw).split():
            if _counts(word):
                forms.setdefault(stem(word), raw)
    return forms


@dataclass(frozen=True)
class TextModel:
    """TF-IDF vectors of a fixed corpus, ready to compare a query text against every document.

    `matrix` has one L2-normalised row per document (documents × vocabulary, CSR); `idf` follows
    `vocabulary` (token → column).
    """

    vocabulary: dict[str, int]
    idf: FloatArray
    matrix: sparse.csr_array

    @property
    def terms(self) -> list[str]:
        """The vocabulary in column order."""
        result = [""] * len(self.vocabulary)
        for term, column in self.vocabulary.items():
            result[column] = term
        return result

    def vector(self, text: str) -> sparse.csr_array:
        """The query's L2-normalised TF-IDF row (1 × vocabulary).

        A word no document has gets the largest idf, ``ln(1 + N)``, in the norm (it is the query's own
        and shares nothing): a query mostly made of new words is not close to anything.
        """
        counts = Counter(tokenize(text))
        known = [t for t in counts if t in self.vocabulary]
        columns = np.array([self.vocabulary[t] for t in known], dtype=np.int64)
        values = np.array([1.0 + math.log(counts[t]) for t in known], dtype=np.float64)
        if len(columns):
            values *= self.idf[columns]
        unknown_idf = math.log(1.0 + self.matrix.shape[0])
        unknown = sum(
            ((1.0 + math.log(c)) * unknown_idf) ** 2 for t, c in counts.items() if t not in self.vocabulary
        )
        norm = math.sqrt(float(np.square(values).sum()) + unknown)
        if norm > 0:
            values /= norm
        rows = np.zeros(len(columns), dtype=np.int64)
        return sparse.csr_array((values, (rows, columns)), shape=(1, len(self.vocabulary)))

    def similarities(self, text: str) -> FloatArray:
        """Cosine between the query and every document, in corpus order. Cost: O(nnz of the matrix).

        Three documents: idf(légumerie) = idf(bio) = ln(4/2) = 0.6931, idf(cantine) = ln(4/3) = 0.2877.
        « cantines bio » has the third document's words (cosine 1) and shares « cantine » with the first:
        (0.2877 / √(0.6931² + 0.2877²))² = 0.3833² = 0.1469. « légumes » is in no document: its idf
        ln(1 + 3) = 1.3863 only lengthens the query, whose cosine with « cantines bio » drops to
        0.2877 / √(0.2877² + 1.3863²) × 0.3833 = 0.0779:

        >>> model = build_text_model(["légumerie pour les cantines", "atelier vélo", "cantines bio"])
        >>> model.similarities("cantines bio").round(4).tolist()
        [0.1469, 0.0, 1.0]
        >>> model.similarities("Des légumes pour les cantines").round(4).tolist()
        [0.0779, 0.0, 0.0779]
        """
        query = self.vector(text)
        result: FloatArray = np.asarray((self.matrix @ query.T).toarray(), dtype=np.float64).ravel()
        return np.clip(result, 0.0, 1.0)

    def shared_terms(self, text: str, document: int, *, limit: int = 5) -> list[tuple[str, float]]:
        """The words the query shares with one document, by their share of the cosine, strongest first.

        Ties are broken by the word, so the list is stable.

        >>> model = build_text_model(["légumerie pour les cantines", "atelier vélo", "cantines bio"])
        >>> [(w, round(s, 4)) for w, s in model.shared_terms("cantines bio", 2)]
        [('bio', 0.8531), ('cantin', 0.1469)]
        """
        query = self.vector(text)
        row = self.matrix[[document], :]
        product = query.multiply(row).tocoo()
        terms = self.terms
        found = [
            (terms[int(c)], float(v))
            for c, v in zip(product.coords[1].tolist(), product.data.tolist(), strict=True)
            if v > 0
        ]
        found.sort(key=lambda item: (-item[1], item[0]))
        return found[:limit]


def build_text_model(documents: Sequence[str]) -> TextModel:
    """Fit TF-IDF on `documents` (see the module docstring for the formulas). Cost: O(total words).

    Examples
    --------
    Two documents; « cantine » is in both (idf = ln(3/3) = 0), « bio » in one (idf = ln(3/2)):

    >>> model = build_text_model(["cantines bio", "cantine"])
    >>> sorted(model.vocabulary), model.idf.round(4).tolist()
    (['bio', 'cantin'], [0.4055, 0.0])
    """
    counted = [Counter(tokenize(document)) for document in documents]
    vocabulary = {term: i for i, term in enumerate(sorted({t for c in counted for t in c}))}
    document_frequency = np.zeros(len(vocabulary), dtype=np.float64)
    rows: list[int] = []
    columns: list[int] = []
    values: list[float] = []
    for row, counts in enumerate(counted):
        for term, count in counts.items():
            column = vocabulary[term]
            document_frequency[column] += 1
            rows.append(row)
            columns.append(column)
            values.append(1.0 + math.log(count))
    n = len(documents)
    idf: FloatArray = np.log((1.0 + n) / (1.0 + document_frequency))
    weighted = np.array(values, dtype=np.float64) * idf[np.array(columns, dtype=np.int64)]
    matrix = sparse.csr_array((weighted, (rows, columns)), shape=(n, len(vocabulary)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float64)).ravel()
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    matrix = (sparse.diags_array(inverse) @ matrix).tocsr()
    return TextModel(vocabulary=vocabulary, idf=idf, matrix=matrix)


def corpus_keys(index: NetworkIndex) -> list[tuple[str, str]]:
    """(kind, key) of each document of `index_text_model`: every actor, then every project.

    >>> from maillage.graph.index import build_index
    >>> from maillage.graph.stores.oxigraph import OxigraphStore
    >>> corpus_keys(build_index(OxigraphStore(None)))
    []
    """
    return [("actor", a.key) for a in index.actors] + [("project", p.key) for p in index.projects]


def _documents(index: NetworkIndex) -> Iterable[str]:
    for actor in index.actors:
        yield f"{actor.label}\n{actor.description}"
    for project in index.projects:
        yield f"{project.label}\n{project.description}"


def index_text_model(index: NetworkIndex) -> TextModel:
    """The TF-IDF model of an index's actors and projects (rows in `corpus_keys` order), built once.

    Kept in ``index.derived["textsim"]``; about 10 ms for the 97 documents of the sample network.
    """
    return index.derive("textsim", TextModel, lambda: build_text_model(list(_documents(index))))
