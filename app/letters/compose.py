"""Letter composition: who writes, to whom, which right -> the letter's content (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.catalogue.schema import Platform, country_name
from app.i18n import N_, long_date, use_locale
from app.i18n import gettext as _
from app.letters.document import Block, Bullets, Letter, Paragraph, Recipient
from app.letters.identity import Identity
from app.letters.options import ErasureOptions, Options

REGISTERED_MAIL = N_("Lettre recommandée avec accusé de réception")


def recipient_from_platform(platform: Platform) -> Recipient:
    """The addressee block and channels of a catalogue platform."""
    return Recipient(
        name=platform.legal_name or platform.name,
        address_lines=tuple(platform.recipient_lines()[1:]),
        email=platform.contact.email,
        verified=platform.verified,
        platform_slug=platform.slug,
        language=platform.request_language,
    )


@dataclass(frozen=True)
class Request:
    """What a letter is composed from."""

    kind: str
    identity: Identity
    recipient: Recipient
    options: Options
    today: date
    platform: Platform | None = None


def _sender_lines(identity: Identity, lang: str) -> tuple[str, ...]:
    address = identity.postal_address
    lines = [identity.full_name, *address.lines, f"{address.postal_code} {address.city}"]
    if address.country != "FR":
        lines.append(country_name(address.country, lang).upper())
    return tuple(lines)


def _sender_contact(identity: Identity) -> tuple[str, ...]:
    return tuple(value for value in (identity.email, identity.phone) if value)


def _references(identity: Identity) -> tuple[tuple[str, str], ...]:
    refs: list[tuple[str, str]] = []
    if identity.birth_date:
        refs.append((_("Date de naissance"), long_date(identity.birth_date)))
    refs.extend(identity.identifiers.items())
    if identity.email and identity.email not in identity.identifiers.values():
        refs.append((_("Adresse e-mail"), identity.email))
    return tuple(refs)


def _identity_paragraph() -> Paragraph:
    return Paragraph.of(
        _(
            "Les informations ci-dessus doivent vous permettre de retrouver mes données. "
            "Je ne joins pas de copie de pièce d'identité. Si vous aviez un doute raisonnable "
            "sur mon identité, je répondrai à une demande d'information complémentaire "
            "justifiée (article 12, paragraphe 6, du RGPD)."
        )
    )


def _gdpr_deadline_paragraph() -> Paragraph:
    return Paragraph.of(
        _(
            "L'article 12, paragraphe 3, du RGPD vous impose de me répondre dans un délai "
            "d'un mois à compter de la réception de cette demande. Ce délai ne peut être "
            "prolongé de deux mois que si la complexité ou le nombre des demandes le "
            "justifie, et à condition de m'en informer, avec les motifs, dans le premier mois."
        )
    )


def _complaint_paragraph() -> Paragraph:
    return Paragraph.of(
        _(
            "Sans réponse dans ce délai, ou en cas de réponse incomplète, je pourrai saisir "
            "la Commission nationale de l'informatique et des libertés (CNIL) d'une "
            "réclamation, comme le prévoit l'article 77 du RGPD."
        )
    )


GROUND_TEXT: dict[str, str] = {
    "no-longer-needed": N_(
        "mes données ne sont plus nécessaires au regard des finalités pour lesquelles "
        "elles ont été collectées (article 17, paragraphe 1, a) ;"
    ),
    "consent-withdrawn": N_(
        "je retire mon consentement au traitement de mes données, et aucun autre "
        "fondement juridique ne le permet (article 17, paragraphe 1, b) ;"
    ),
    "objection": N_(
        "je m'oppose au traitement de mes données en application de l'article 21 "
        "(article 17, paragraphe 1, c) ;"
    ),
    "unlawful": N_(
        "mes données ont fait l'objet d'un traitement illicite (article 17, paragraphe 1, d) ;"
    ),
    "legal-obligation": N_(
        "mes données doivent être effacées pour respecter une obligation légale "
        "(article 17, paragraphe 1, e) ;"
    ),
    "child": N_(
        "mes données ont été collectées lorsque j'étais mineur, dans le cadre de "
        "l'offre d'un service en ligne (article 17, paragraphe 1, f) ;"
    ),
}


def _erasure_blocks(request: Request) -> list[Block]:
    options = request.options
    assert isinstance(options, ErasureOptions)
    grounds = [_(GROUND_TEXT[ground]) for ground in options.grounds]
    grounds[-1] = grounds[-1].rstrip(" ;") + "."
    blocks: list[Block] = [
        Paragraph.of(
            _(
                "Je vous demande d'effacer toutes les données personnelles me concernant "
                "que vous détenez, en application de l'article 17 du règlement général sur "
                "la protection des données (RGPD, règlement (UE) 2016/679)."
            )
        ),
        Paragraph.of(_("Ma demande repose sur les motifs suivants (article 17, paragraphe 1) :")),
        Bullets.of(*grounds),
    ]
    if options.close_account:
        blocks.append(Paragraph.of(_("Je vous demande aussi de fermer mon compte, s'il existe.")))
    blocks += [
        Paragraph.of(
            _(
                "Conformément à l'article 19 du RGPD, je vous demande de notifier cet "
                "effacement à chaque destinataire à qui mes données ont été communiquées, "
                "et de m'indiquer qui sont ces destinataires."
            )
        ),
        Paragraph.of(
            _(
                "Si une obligation légale vous impose de conserver certaines données "
                "(article 17, paragraphe 3), indiquez-moi lesquelles, sur quel fondement et "
                "jusqu'à quand, et effacez toutes les autres."
            )
        ),
        _gdpr_deadline_paragraph(),
        _identity_paragraph(),
        _complaint_paragraph(),
    ]
    return blocks


@dataclass(frozen=True)
class KindText:
    """The words that change from one kind to another."""

    title: Callable[[], str]
    subject: Callable[[], str]
    blocks: Callable[[Request], list[Block]]
    file_word: str


KIND_TEXTS: dict[str, KindText] = {
    "erasure": KindText(
        title=lambda: _("Demande d'effacement de données personnelles"),
        subject=lambda: _("demande d'effacement de mes données personnelles (article 17 du RGPD)"),
        blocks=_erasure_blocks,
        file_word="effacement",
    ),
}


def compose(request: Request, lang: str | None = None) -> Letter:
    """Compose the letter of `request` in `lang` (the recipient's language by default)."""
    lang = lang or request.recipient.language
    text = KIND_TEXTS[request.kind]
    with use_locale(lang):
        identity = request.identity
        slug = request.recipient.platform_slug or "organisme"
        return Letter(
            kind=request.kind,
            lang=lang,
            title=f"{text.title()} - {request.recipient.name}",
            sender_lines=_sender_lines(identity, lang),
            sender_contact=_sender_contact(identity),
            recipient=request.recipient,
            place_date=_(
                "À %(city)s, le %(date)s",
                city=identity.postal_address.city,
                date=long_date(request.today),
            ),
            delivery=_(REGISTERED_MAIL),
            subject=_("Objet : %(subject)s", subject=text.subject()),
            references=_references(identity),
            salutation=_("Madame, Monsieur,"),
            blocks=tuple(text.blocks(request)),
            closing=_(
                "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations "
                "distinguées."
            ),
            signature_name=identity.full_name,
            file_stem=f"reprise-{text.file_word}-{slug}",
        )
