"""What every letter shares: the request, the addressee, the paragraphs the law repeats."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from app.catalogue.schema import Platform, country_name
from app.deadlines.periods import (
    GDPR_EXTENSION_MONTHS,
    GDPR_MONTHS,
    phrase,
)
from app.i18n import N_, long_date
from app.i18n import gettext as _
from app.letters.document import Blank, Block, Paragraph, Part, Recipient
from app.letters.identifier_labels import letter_label
from app.letters.identity import Identity
from app.letters.options import Options

# The CNIL's postal address for complaints (domain.md §6).
CNIL_LINES = ("3 place de Fontenoy", "TSA 80715", "75334 Paris cedex 07")


def recipient_from_platform(platform: Platform, right: str | None = None) -> Recipient:
    """The addressee block and channels of a catalogue platform: those the record gives for
    `right` when it has a channel for it (a medical record to the director, an access request
    to the DPO), else those of its recommended right."""
    chosen = platform.channel(right) if right else None
    contact = chosen.contact() if chosen else platform.contact
    return Recipient(
        name=platform.legal_name or platform.name,
        address_lines=tuple(platform.recipient_lines(right if chosen else None)[1:]),
        email=contact.email,
        verified=platform.verified,
        platform_slug=platform.slug,
        language=platform.request_language,
        siren=platform.siren,
        category=platform.categories[0],
        web_form=contact.web_form,
        public=platform.public,
    )


@dataclass(frozen=True)
class Helper:
    """A volunteer of an association who prepared the letter under the person's mandate."""

    association: str
    name: str


@dataclass(frozen=True)
class Request:
    """What a letter is composed from."""

    kind: str
    identity: Identity
    recipient: Recipient
    options: Options
    today: date
    platform: Platform | None = None
    helper: Helper | None = None
    # The postal address the person found, when Reprise knows none.
    address_found: tuple[str, ...] = ()


def helper_paragraph(helper: Helper) -> Paragraph:
    return Paragraph.of(
        _(
            "Cette lettre a été préparée pour moi par %(helper)s, de l'association "
            "%(association)s, à qui j'ai donné mandat pour m'aider dans ces démarches : le "
            "mandat est joint.",
            helper=helper.name,
            association=helper.association,
        )
    )


@dataclass(frozen=True)
class Content:
    """What a kind contributes to a letter; the rest (sender, date, closing) is shared."""

    title: str
    subject: str
    blocks: list[Block]
    enclosures: list[str] = field(default_factory=list)
    recipient: Recipient | None = None  # None: the request's recipient
    delivery: str | None = None  # None: as the channel says (app.letters.channels)
    director: bool = False  # addressed to the establishment's director (a medical record)
    layout: Literal["letter", "document"] = "letter"
    signatures: tuple[tuple[str, str], ...] = ()


def sender_lines(identity: Identity, lang: str) -> tuple[str, ...]:
    address = identity.postal_address
    town = f"{address.postal_code} {address.city}".strip()
    lines = [line for line in (identity.full_name.strip(), *address.lines, town) if line]
    if address.country != "FR":
        lines.append(country_name(address.country, lang).upper())
    return tuple(lines)


def sender_contact(identity: Identity) -> tuple[str, ...]:
    return tuple(value for value in (identity.email, identity.phone) if value)


# The catalogue's most common identifier labels, so that an English letter translates them.
IDENTIFIER_LABELS = frozenset(
    {
        N_("Adresse e-mail du compte"),
        N_("Numéro de téléphone du compte"),
        N_("Numéro d'adhérent ou de contrat"),
        N_("Numéro de commande"),
        N_("Numéro de sécurité sociale (NIR)"),
        N_("Nom de naissance, s'il est différent de votre nom actuel"),
        N_("Numéro de carte de fidélité"),
        N_("Date et lieu du prélèvement"),
        N_("Numéro du kit ADN (s'il est connu)"),
    }
)


def references(identity: Identity) -> tuple[tuple[str, str], ...]:
    refs: list[tuple[str, str]] = []
    if identity.birth_date:
        refs.append((_("Date de naissance"), long_date(identity.birth_date)))
    refs.extend(
        (letter_label(label, IDENTIFIER_LABELS), value)
        for label, value in identity.identifiers.items()
    )
    if identity.email and identity.email not in identity.identifiers.values():
        refs.append((_("Adresse e-mail"), identity.email))
    return tuple(refs)


def date_or_blank(value: date | None, label: str) -> Part:
    """A date as written in a letter, or a blank to fill in by hand."""
    return long_date(value) if value else Blank(label)


def text_or_blank(value: str | None, label: str) -> Part:
    return value if value else Blank(label)


def sentence(template: str, words: Mapping[str, str] | None = None, **parts: Part) -> Paragraph:
    """A translated sentence whose %(name)s slots may be blanks: splits around each slot.
    `words` fill their slots in the text itself (a period in words), before it is split."""
    text = _(template)
    for name, value in (words or {}).items():
        text = text.replace(f"%({name})s", value)
    out: list[Part] = []
    rest = text
    while "%(" in rest:
        before, _sep, after = rest.partition("%(")
        name, _sep, rest = after.partition(")s")
        out.append(before)
        out.append(parts[name])
    out.append(rest)
    return Paragraph(tuple(part for part in out if part != ""))


def identity_paragraph() -> Paragraph:
    return Paragraph.of(
        _(
            "Les informations ci-dessus doivent vous permettre de retrouver mes données. "
            "Je ne joins pas de copie de pièce d'identité. Si vous aviez un doute raisonnable "
            "sur mon identité, je répondrai à une demande d'information complémentaire "
            "justifiée (article 12, paragraphe 6, du RGPD)."
        )
    )


def gdpr_deadline_paragraph() -> Paragraph:
    return Paragraph.of(
        _(
            "L'article 12, paragraphe 3, du RGPD vous impose de me répondre %(within)s à "
            "compter de la réception de cette demande. Ce délai ne peut être %(extension)s que "
            "si la complexité ou le nombre des demandes le justifie, et à condition de m'en "
            "informer, avec les motifs, dans le premier mois.",
            within=phrase("within", months=GDPR_MONTHS),
            extension=phrase("extended-by", months=GDPR_EXTENSION_MONTHS),
        )
    )


def complaint_paragraph() -> Paragraph:
    return Paragraph.of(
        _(
            "Sans réponse dans ce délai, ou en cas de réponse incomplète, je pourrai saisir "
            "la Commission nationale de l'informatique et des libertés (CNIL) d'une "
            "réclamation, comme le prévoit l'article 77 du RGPD."
        )
    )


def acts_as_processor(request: Request) -> bool:
    return request.platform is not None and request.platform.role in {"processor", "both"}


def processor_paragraph() -> Paragraph:
    return Paragraph.of(
        _(
            "Si vous traitez certaines de mes données pour le compte d'un autre organisme "
            "(en tant que sous-traitant, par exemple pour un professionnel de santé), "
            "transmettez-lui cette demande sans délai et indiquez-moi son nom et ses "
            "coordonnées, afin que je puisse aussi m'adresser à lui."
        )
    )


def closing_paragraphs(request: Request, processor: bool | None = None) -> list[Block]:
    """Deadline, identity and complaint: the end of every first request under the GDPR.

    `processor`: whether to remind a processor to pass the request on (None: from the record).
    """
    blocks: list[Block] = []
    if acts_as_processor(request) if processor is None else processor:
        blocks.append(processor_paragraph())
    return [*blocks, gdpr_deadline_paragraph(), identity_paragraph(), complaint_paragraph()]


# What each first request asked for, as a follow-up recalls it.
REQUEST_NAMES: dict[str, str] = {
    "access": N_("une demande d'accès à mes données personnelles (article 15 du RGPD)"),
    "erasure": N_("une demande d'effacement de mes données personnelles (article 17 du RGPD)"),
    "objection": N_(
        "une opposition au traitement de mes données personnelles (article 21 du RGPD)"
    ),
    "rectification": N_(
        "une demande de rectification de mes données personnelles (article 16 du RGPD)"
    ),
    "portability": N_("une demande de portabilité de mes données (article 20 du RGPD)"),
    "medical-record": N_(
        "une demande de communication de mon dossier médical (article L. 1111-7 du code "
        "de la santé publique)"
    ),
}


# French list items end with " ;" (a no-break space in French typography) until the last one.
_ITEM_END = " ;.\u00a0\u202f"


def bare_item(text: str) -> str:
    """A list item's text without its closing mark (" ;" or ".")."""
    return text.rstrip(_ITEM_END)


def last_item(text: str) -> str:
    """A list item closed as the last of its list: with a full stop."""
    return bare_item(text) + "."
