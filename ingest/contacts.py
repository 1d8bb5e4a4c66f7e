"""The contact details of an actor — e-mail and telephone — as the import and the edit API read them: one
rule for both, and the form they are stored in (checked again by ontology/shapes.ttl).

Phones are stored in E.164 (``+33559123456``): the members type them in French or Spanish national form
(« 05 59 12 34 56 », « 943 12 34 56 »), with spaces, dots or dashes, or already international; one form
means one value per number, whatever the spreadsheet's habits, and a ``tel:`` link that works from either
side of the border. `phone_display` gives the number back in groups for reading.
"""

from __future__ import annotations

import re

#: An e-mail address as HTML's ``<input type="email">`` accepts it (WHATWG): ASCII, one ``@``, a dotted
#: domain. The same pattern is in ontology/shapes.ttl.
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
#: Longest e-mail address accepted (RFC 5321's limit on a path).
EMAIL_MAX = 254
EMAIL_RULE = "adresse électronique invalide"
EMAIL_HINT = "une seule adresse, de la forme nom@domaine.fr, sans espace"
PHONE_RULE = "numéro de téléphone illisible"
PHONE_HINT = (
    "un numéro français (05 59 12 34 56), espagnol (943 12 34 56) ou international (+33 5 59 12 34 56)"
)
_SEPARATORS = re.compile(r"[\s.\-/()\u00a0]")


class ContactError(ValueError):
    """A contact value cannot be read: `rule` says which rule it breaks, `hint` what is expected."""

    def __init__(self, value: str, rule: str, hint: str) -> None:
        super().__init__(f"« {value} » — {rule} ({hint})")
        self.value, self.rule, self.hint = value, rule, hint


def normalise_email(text: str) -> str:
    """The stored form of an e-mail address: trimmed, a leading ``mailto:`` dropped, the domain in lower
    case (the part before ``@`` is kept as typed: only its server may fold it).

    >>> normalise_email(" mailto:Contact@Lur-Berri.EUS ")
    'Contact@lur-berri.eus'
    >>> normalise_email("contact@lur berri.eus")
    Traceback (most recent call last):
    maillage.ingest.contacts.ContactError: « contact@lur berri.eus » — adresse électronique invalide (...)
    """
    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[len("mailto:") :]
    if len(value) > EMAIL_MAX or not EMAIL.fullmatch(value):
        raise ContactError(text.strip(), EMAIL_RULE, EMAIL_HINT)
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalise_phone(text: str) -> str:
    """The E.164 form of a French, Spanish or international phone number.

    French national numbers have 10 digits and start with 0 (« 05 59 12 34 56 » → ``+33559123456``);
    Spanish ones have 9 digits and start with 6, 7, 8 or 9 (« 943 12 34 56 » → ``+34943123456``);
    ``+`` or ``00`` starts an international number, whose country code is kept (« +33 (0)5… » drops the
    « (0) » French habit adds). Spaces, dots, dashes, slashes and brackets are ignored.

    >>> normalise_phone("05.59.12.34.56"), normalise_phone("943 12 34 56")
    ('+33559123456', '+34943123456')
    >>> normalise_phone("0034 600-12-34-56")
    '+34600123456'
    >>> normalise_phone("+33 (0)6 12 34 56 78")
    '+33612345678'
    >>> normalise_phone("12 34")
    Traceback (most recent call last):
    maillage.ingest.contacts.ContactError: « 12 34 » — numéro de téléphone illisible (...)
    """
    typed = text.strip()
    compact = _SEPARATORS.sub("", typed.replace("(0)", ""))
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        digits = compact[1:]
        valid = digits.isdigit() and (
            (digits.startswith("33") and re.fullmatch(r"33[1-9][0-9]{8}", digits) is not None)
            or (digits.startswith("34") and re.fullmatch(r"34[6-9][0-9]{8}", digits) is not None)
            or (digits[:2] not in ("33", "34") and re.fullmatch(r"[1-9][0-9]{7,14}", digits) is not None)
        )
    elif re.fullmatch(r"0[1-9][0-9]{8}", compact):
        digits, valid = "33" + compact[1:], True
    elif re.fullmatch(r"[6-9][0-9]{8}", compact):
        digits, valid = "34" + compact, True
    else:
        digits, valid = "", False
    if not valid:
        raise ContactError(typed, PHONE_RULE, PHONE_HINT)
    return "+" + digits


def phone_display(number: str) -> str:
    """A stored number in groups for reading: French by pairs after the national prefix, Spanish by threes;
    any other number as stored.

    >>> phone_display("+33559123456"), phone_display("+34943123456"), phone_display("+4930123456")
    ('+33 5 59 12 34 56', '+34 943 123 456', '+4930123456')
    """
    if re.fullmatch(r"\+33[1-9][0-9]{8}", number):
        rest = number[4:]
        return "+33 " + number[3] + " " + " ".join(rest[i : i + 2] for i in range(0, 8, 2))
    if re.fullmatch(r"\+34[6-9][0-9]{8}", number):
        rest = number[3:]
        return "+34 " + " ".join(rest[i : i + 3] for i in range(0, 9, 3))
    return number
