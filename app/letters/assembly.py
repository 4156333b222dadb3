"""The letter around a kind's content: the request addressed where the catalogue sends that
right, the content composed by its kind, then the sender, the routed recipient, the place and date,
the salutation and the enclosures (pure)."""

from __future__ import annotations

from dataclasses import replace

from app.catalogue.loader import get_catalogue
from app.i18n import gettext as _
from app.i18n import long_date, use_locale
from app.letters import kinds as registry
from app.letters.channels import route
from app.letters.compose.common import (
    Content,
    Request,
    helper_paragraph,
    recipient_from_platform,
    references,
    sender_contact,
    sender_lines,
)
from app.letters.document import Letter


def addressed(request: Request) -> Request:
    """A request to a catalogue platform goes where its record sends that right."""
    slug = request.recipient.platform_slug
    platform = get_catalogue().get(slug) if slug else None
    if platform is None or platform.channel(request.kind) is None:
        return request
    return replace(request, recipient=recipient_from_platform(platform, request.kind))


def compose(request: Request, lang: str | None = None) -> Letter:
    """Compose the letter of `request` in `lang` (the recipient's language by default).
    What goes to a French authority (the CNIL, the CADA) is always in French."""
    request = addressed(request)
    kind = registry.LETTER_KINDS[request.kind]
    lang = "fr" if kind.addressee == "authority" else (lang or request.recipient.language)
    with use_locale(lang):
        identity = request.identity
        content: Content = kind.compose(request)
        routed = route(
            request.kind,
            content.recipient or request.recipient,
            director=content.director,
            found=request.address_found,
        )
        recipient = routed.recipient
        slug = request.recipient.platform_slug or "organisme"
        helper = None if content.layout == "document" else request.helper
        helped = (helper_paragraph(helper),) if helper else ()
        helped_enclosure = (
            (_("Mandat donné à %(association)s", association=helper.association),) if helper else ()
        )
        document = content.layout == "document"
        title = content.title if document else f"{content.title} - {request.recipient.name}"
        return Letter(
            kind=request.kind,
            lang=lang,
            title=title,
            sender_lines=sender_lines(identity, lang),
            sender_contact=sender_contact(identity),
            recipient=recipient,
            place_date=_(
                "À %(city)s, le %(date)s",
                city=identity.postal_address.city,
                date=long_date(request.today),
            ),
            delivery=None if document else (content.delivery or routed.delivery),
            subject=content.subject
            if document
            else _("Objet : %(subject)s", subject=content.subject),
            references=() if document else references(identity),
            salutation="" if document else _("Madame, Monsieur,"),
            blocks=tuple(content.blocks) + helped,
            closing=""
            if document
            else _(
                "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations "
                "distinguées."
            ),
            signature_name=identity.full_name,
            enclosures=tuple(content.enclosures) + helped_enclosure,
            file_stem=f"reprise-{kind.file_word}-{slug}",
            layout=content.layout,
            signatures=content.signatures,
        )
