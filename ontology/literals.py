"""Typed literals in their canonical lexical form, so that a value read back from a store compares equal
to the value written (Oxigraph keeps `-1.46590`^^xsd:decimal as `-1.4659`)."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal
from rdflib.namespace import XSD


def decimal_literal(value: float | str | Decimal, *, places: int = 5) -> Literal:
    """An `xsd:decimal` rounded to `places` digits, without trailing zeros.

    >>> str(decimal_literal(-1.46590)), str(decimal_literal("43.000"))
    ('-1.4659', '43')
    """
    number = round(Decimal(str(value)), places).normalize()
    return Literal(format(number, "f"), datatype=XSD.decimal)
