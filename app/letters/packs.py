"""Packs: all of a patient's letters at once, as one PDF to print or a ZIP of single PDFs."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from app.catalogue.organisation import Organisation
from app.deadlines.periods import answer_periods
from app.errors import Invalid, NotFound
from app.i18n import N_, get_locale
from app.i18n import gettext as _
from app.letters.address_sources import address_source
from app.letters.channels import needs_address, route
from app.letters.document import Letter
from app.letters.identity import Identity
from app.letters.kinds import KINDS, LETTER_KINDS
from app.letters.render import html_pdfs, letter_html, merged_pdf
from app.letters.service import (
    make_letter,
    parse_options,
    recipient_from_input,
    resolve_recipient,
)
from app.templating import get_environment

MAX_PACK = 200


class PackItem(BaseModel):
    """One letter of a pack: a kind, to a catalogue platform or an organisation, options."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=40)
    platform: str | None = Field(default=None, max_length=80)
    organisation: Organisation | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    # When Reprise knows no way to send the letter: the postal address the person found, or
    # their choice to write it by hand on the printed letter.
    address_found: list[Annotated[str, StringConstraints(max_length=120)]] = Field(
        default_factory=list, max_length=4
    )
    address_by_hand: bool = False

    @model_validator(mode="after")
    def _known_kind_and_one_recipient(self) -> PackItem:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind: {self.kind}")
        if (self.platform is None) == (self.organisation is None):
            raise ValueError("give either a platform or an organisation")
        return self


def parse_items(raw: list[Any]) -> list[PackItem]:
    """Validate a selection (a draft's or an API body's); errors name `items.N.field`."""
    if len(raw) > MAX_PACK:
        raise Invalid({"items": _("Un lot contient au plus %(max)s lettres.", max=MAX_PACK)})
    items: list[PackItem] = []
    errors: dict[str, str] = {}
    for index, entry in enumerate(raw):
        try:
            items.append(PackItem.model_validate(entry))
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"])
                errors[f"items.{index}" + (f".{where}" if where else "")] = error["msg"]
    if errors:
        raise Invalid(errors)
    return items


def build_letters(
    items: list[PackItem], identity: Identity, today: date, lang: str | None = None
) -> list[Letter]:
    """Compose every letter of a pack (nothing is rendered yet)."""
    if not items:
        raise Invalid({"items": _("Le lot est vide : choisissez au moins une lettre.")})
    letters: list[Letter] = []
    for index, item in enumerate(items):
        try:
            recipient = (
                recipient_from_input(item.organisation)
                if item.organisation is not None
                else resolve_recipient(item.platform, None)
            )
            options = parse_options(item.kind, item.options)
            letters.append(
                make_letter(
                    item.kind,
                    identity,
                    recipient,
                    options,
                    today,
                    lang,
                    address_found=tuple(item.address_found),
                )
            )
        except Invalid as exc:
            errors = {f"items.{index}.{key}": value for key, value in exc.errors.items()}
            raise Invalid(errors) from exc
        except NotFound as exc:
            raise Invalid({f"items.{index}.platform": exc.message}) from exc
    return letters


@dataclass(frozen=True)
class ChecklistEntry:
    """How to send one letter of a pack, and what to keep as proof."""

    file_name: str
    title: str
    to: str
    address: tuple[str, ...]
    channel: str
    proof: str
    deadline: str | None
    check_address: bool
    # Where to look for the address when Reprise knows no way to send the letter.
    source: str | None = None


def file_names(letters: list[Letter]) -> list[str]:
    width = len(str(len(letters)))
    return [f"{index:0{width}d}-{letter.file_stem}.pdf" for index, letter in enumerate(letters, 1)]


# The period to answer, by the deadline regime of the letter's kind (app.letters.kinds).
DEADLINES: dict[str, str] = {
    "gdpr": N_("Délai de réponse : %(gdpr)s à compter de la réception (RGPD, article 12)."),
    "medical-record": N_(
        "Délai de réponse : %(medical_record)s à compter de la réception, "
        "%(medical_record_long)s pour les informations de plus de cinq ans (code de la santé "
        "publique, article L. 1111-7)."
    ),
    "cada": N_("La CADA rend son avis %(cada_within)s."),
}


def addresses_missing(items: list[PackItem], letters: list[Letter]) -> list[int]:
    """The letters Reprise knows no way to send, whose address the person has neither given
    nor chosen to write by hand: none of them is handed over yet."""
    return [
        index
        for index, (item, letter) in enumerate(zip(items, letters, strict=True))
        if letter.layout == "letter"
        and needs_address(letter.recipient)
        and not item.address_by_hand
    ]


def checklist(letters: list[Letter]) -> list[ChecklistEntry]:
    """One entry per letter, in the person's language (not the letters')."""
    entries: list[ChecklistEntry] = []
    for name, letter in zip(file_names(letters), letters, strict=True):
        recipient = letter.recipient
        if letter.kind == "mandate":
            channel = _(
                "Signez ce mandat, faites-le signer par le mandataire, puis remettez-le-lui : "
                "il le joindra à ses demandes."
            )
            proof = _("Gardez un exemplaire signé.")
        elif letter.kind == "complaint-file":
            channel = _(
                "Déposez ce document et ses pièces jointes sur le formulaire de plainte en "
                "ligne de la CNIL, ou envoyez-le par courrier à l'adresse écrite sur le "
                "document."
            )
            proof = _("Gardez l'accusé de dépôt ou le reçu du courrier.")
        else:
            channel, proof = _how_to_send(letter)
        source = address_source(recipient) if needs_address(recipient) else None
        regime = LETTER_KINDS[letter.kind].regime
        deadline = _(DEADLINES[regime], **answer_periods()) if regime else None
        entries.append(
            ChecklistEntry(
                file_name=name,
                title=letter.title,
                to=recipient.name,
                address=recipient.address_lines,
                channel=channel,
                proof=proof,
                deadline=deadline,
                check_address=not recipient.verified
                and letter.kind != "mandate"
                and not needs_address(recipient),
                source=source,
            )
        )
    return entries


REGISTERED_PROOF = N_(
    "Gardez le reçu du recommandé et l'accusé de réception : ils prouvent les dates d'envoi "
    "et de réception."
)


def _how_to_send(letter: Letter) -> tuple[str, str]:
    """How to send a letter, as its head says (app.letters.channels), and the proof to keep."""
    recipient = letter.recipient
    channel = route(letter.kind, recipient).channel
    if channel == "email":
        return (
            _(
                "Par e-mail à %(email)s : joignez le PDF signé, ou collez le texte de la lettre "
                "dans le message.",
                email=recipient.email,
            ),
            _("Gardez l'e-mail envoyé : il prouve la date d'envoi."),
        )
    if channel == "web-form":
        return (
            _(
                "Par le formulaire en ligne de l'organisme (%(url)s) : collez-y le texte de la "
                "lettre.",
                url=recipient.web_form,
            ),
            _(
                "Gardez une capture d'écran de la confirmation d'envoi : elle prouve la date "
                "de votre demande."
            ),
        )
    if channel == "post":
        return (
            _(
                "Signez la lettre, puis envoyez-la en lettre recommandée avec accusé de "
                "réception à l'adresse écrite sur la lettre."
            ),
            _(REGISTERED_PROOF),
        )
    return (
        _(
            "Reprise ne connaît pas l'adresse de cet organisme. Cherchez-la dans sa politique "
            "de confidentialité ou ses mentions légales, écrivez-la à la main sur la lettre, "
            "signez-la, puis envoyez-la en lettre recommandée avec accusé de réception."
        ),
        _(REGISTERED_PROOF),
    )


def checklist_text(entries: list[ChecklistEntry]) -> str:
    """The sending checklist as plain text (LISEZ-MOI.txt in the ZIP)."""
    out = [_("Reprise : comment envoyer vos lettres"), ""]
    out.append(
        _(
            "Pour chaque lettre : relisez-la, signez-la, envoyez-la comme indiqué, et gardez "
            "la preuve d'envoi. Le délai de réponse court à partir de la réception."
        )
    )
    out.append("")
    for number, entry in enumerate(entries, 1):
        out.append(f"{number}. {entry.file_name}")
        out.append("   " + _("À qui : %(name)s", name=entry.to))
        out += [f"   {line}" for line in entry.address]
        if entry.check_address:
            out.append("   " + _("Vérifiez cette adresse dans la politique de confidentialité."))
        out.append("   " + _("Comment : %(channel)s", channel=entry.channel))
        if entry.source:
            out.append("   " + _("Où chercher l'adresse : %(url)s", url=entry.source))
        out.append("   " + _("Preuve : %(proof)s", proof=entry.proof))
        if entry.deadline:
            out.append(f"   {entry.deadline}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def checklist_html(entries: list[ChecklistEntry], author: str) -> str:
    return (
        get_environment()
        .get_template("letters/checklist.html")
        .render(entries=entries, lang=get_locale(), author=author)
    )


def pack_title(identity: Identity) -> str:
    return _("Lettres de %(name)s", name=identity.full_name)


def pack_documents(letters: list[Letter], identity: Identity | None, fmt: str) -> list[str]:
    """What a pack renders, in order: the checklist first in the PDF to print, then each letter."""
    documents = [letter_html(letter) for letter in letters]
    if fmt == "pdf":
        assert identity is not None
        documents.insert(0, checklist_html(checklist(letters), identity.full_name))
    return documents


def assemble_pack(
    letters: list[Letter], identity: Identity | None, fmt: str, pdfs: list[bytes]
) -> bytes:
    """The pack's file from its rendered documents: one tagged PDF to print, or a ZIP of one
    PDF per letter with the sending checklist as a text file."""
    if fmt == "pdf":
        assert identity is not None
        return merged_pdf(pdfs, pack_title(identity), identity.full_name, get_locale())
    entries = checklist(letters)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_("LISEZ-MOI.txt"), checklist_text(entries))
        for entry, pdf in zip(entries, pdfs, strict=True):
            archive.writestr(entry.file_name, pdf)
    return buffer.getvalue()


def pack_file(letters: list[Letter], identity: Identity | None, fmt: str) -> bytes:
    """The whole pack rendered now, while the person waits (small packs, the command line)."""
    return assemble_pack(letters, identity, fmt, html_pdfs(pack_documents(letters, identity, fmt)))


def pack_pdf(letters: list[Letter], identity: Identity) -> bytes:
    """Every letter in one tagged PDF to print, the sending checklist first."""
    return pack_file(letters, identity, "pdf")


def pack_zip(letters: list[Letter]) -> bytes:
    """A ZIP of one PDF per letter, with the sending checklist as a text file."""
    return pack_file(letters, None, "zip")
