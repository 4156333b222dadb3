"""Where a letter goes and how it travels, from what its recipient carries (pure).

A recipient carries an address (or none), an email (or none) and a web form (or none), from
the catalogue's channel for the right asked (app.letters.compose.addressed) or as typed in. The
letter's head follows the channel: "Lettre recommandée avec accusé de réception" only for a
posted letter (a letter with no known channel can only be posted, to the address the person
writes on it), and a medical-record request goes to the establishment's director (CSP
R1111-1), never to a data protection officer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from app.i18n import N_
from app.i18n import gettext as _
from app.letters.document import Recipient

Channel = Literal["post", "email", "web-form", "none"]

REGISTERED_MAIL = N_("Lettre recommandée avec accusé de réception")
BY_EMAIL = N_("Envoyée par e-mail à %(email)s")
BY_WEB_FORM = N_("Envoyée par le formulaire en ligne de l'organisme")

# An address line or an email meant for the data protection officer or a privacy service.
_DPO = re.compile(
    r"\b(dpo|d\.p\.o|délégu[ée]e? à la protection|protection des donn[ée]es|data ?privacy|"
    r"privacy|rgpd|gdpr|cil)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Route:
    """The recipient as the letter addresses it, and the channel it travels by."""

    recipient: Recipient
    channel: Channel

    @property
    def delivery(self) -> str:
        """The line under the date that says how the letter is sent. Without any known
        channel the letter can only be posted: the person writes the address on it."""
        if self.channel == "email":
            return _(BY_EMAIL, email=self.recipient.email or "")
        if self.channel == "web-form":
            return _(BY_WEB_FORM)
        return _(REGISTERED_MAIL)


def needs_address(recipient: Recipient) -> bool:
    """Reprise knows no way to send this letter (no address, email or web form): the person
    is asked for the address they found."""
    return not recipient.address_lines and not recipient.email and not recipient.web_form


def is_privacy_contact(text: str) -> bool:
    return _DPO.search(text.replace("_", " ").replace(".", " ")) is not None


def to_director(recipient: Recipient) -> Recipient:
    """The establishment's director, at its postal address: no DPO line, no privacy email."""
    lines = tuple(line for line in recipient.address_lines if not is_privacy_contact(line))
    email = recipient.email if recipient.email and not is_privacy_contact(recipient.email) else None
    # A catalogue channel for medical records may already name the director in its address.
    named = any(line.casefold().startswith("à l'attention") for line in lines)
    return replace(
        recipient,
        address_lines=lines,
        email=email,
        web_form=None,
        attention=recipient.attention
        if named
        else _("À l'attention de la direction de l'établissement"),
    )


def route(
    kind: str, recipient: Recipient, *, director: bool = False, found: tuple[str, ...] = ()
) -> Route:
    """Where a letter of `kind` goes: the recipient (the director for a medical record asked
    of an establishment) and the channel, a posted letter whenever there is an address.
    `found`: the postal address the person found themselves, used when Reprise knows none."""
    if director:
        recipient = to_director(recipient)
    if found and not recipient.address_lines:
        recipient = replace(recipient, address_lines=found)
    if recipient.address_lines:
        return Route(recipient, "post")
    if recipient.email:
        return Route(recipient, "email")
    if recipient.web_form:
        return Route(recipient, "web-form")
    return Route(recipient, "none")
