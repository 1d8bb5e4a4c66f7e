"""Identifier rules: SIRET/SIREN (Luhn), RNA, Spanish NIF/NIE/CIF.

Each check returns None or the broken rule.
"""

from __future__ import annotations

import re

_NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum used by SIREN and SIRET.

    >>> luhn_ok("732829320"), luhn_ok("732829321")
    (True, False)
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def check_siret(value: str) -> str | None:
    text = value.replace(" ", "")
    if not re.fullmatch(r"\d{14}", text):
        return "SIRET invalide : 14 chiffres attendus"
    if not luhn_ok(text):
        return "SIRET invalide : la clé de contrôle (Luhn) ne correspond pas"
    if not luhn_ok(text[:9]):
        return "SIRET invalide : le SIREN (9 premiers chiffres) a une clé de contrôle fausse"
    return None


def check_siren(value: str) -> str | None:
    text = value.replace(" ", "")
    if not re.fullmatch(r"\d{9}", text):
        return "SIREN invalide : 9 chiffres attendus"
    return None if luhn_ok(text) else "SIREN invalide : la clé de contrôle (Luhn) ne correspond pas"


def check_rna(value: str) -> str | None:
    return (
        None
        if re.fullmatch(r"W\d{9}", value.strip().upper())
        else "numéro RNA invalide : W suivi de 9 chiffres"
    )


def check_nif(value: str) -> str | None:
    """Spanish NIF (DNI), NIE or CIF with its control character.

    >>> check_nif("12345678Z") is None, check_nif("B12345674") is None, check_nif("B12345678") is None
    (True, True, False)
    """
    text = value.replace(" ", "").replace("-", "").upper()
    if re.fullmatch(r"\d{8}[A-Z]", text):
        return (
            None
            if _NIF_LETTERS[int(text[:8]) % 23] == text[8]
            else "NIF invalide : lettre de contrôle fausse"
        )
    if re.fullmatch(r"[XYZ]\d{7}[A-Z]", text):
        number = int("XYZ".index(text[0]).__str__() + text[1:8])
        return None if _NIF_LETTERS[number % 23] == text[8] else "NIE invalide : lettre de contrôle fausse"
    if re.fullmatch(r"[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]", text):
        digits = text[1:8]
        odd = sum(sum(divmod(int(d) * 2, 10)) for d in digits[0::2])
        even = sum(int(d) for d in digits[1::2])
        control = (10 - (odd + even) % 10) % 10
        expected = {str(control), "JABCDEFGHI"[control]}
        return None if text[8] in expected else "CIF invalide : caractère de contrôle faux"
    return "NIF/CIF invalide : format attendu 12345678Z, X1234567L ou B1234567x"
