"""Follow-ups: a reminder, an incomplete answer (the complaint file is in
app.letters.compose.complaint), and what they share: the request recalled, the period ended."""

from __future__ import annotations

from app.deadlines.periods import (
    GDPR_EXTENDED_MONTHS,
    GDPR_MONTHS,
    MEDICAL_RECORD_DAYS,
    MEDICAL_RECORD_LONG_MONTHS,
    REMINDER_DAYS,
    period,
    phrase,
)
from app.i18n import N_, long_date
from app.i18n import gettext as _
from app.letters.compose.access import ACCESS_ITEMS_TEXT, SOVEREIGNTY_TEXT
from app.letters.compose.common import (
    CNIL_LINES,
    REQUEST_NAMES,
    Content,
    Request,
    bare_item,
    date_or_blank,
    last_item,
    sentence,
)
from app.letters.document import Blank, Block, Bullets, Paragraph, Part, Recipient
from app.letters.options import (
    ACCESS_ITEMS,
    FollowUpOptions,
    IncompleteAnswerOptions,
    ReminderOptions,
    TimedFollowUpOptions,
)
from app.letters.timing import counted, holder_in_alsace_moselle

CNIL = Recipient(
    name="Commission nationale de l'informatique et des libertés (CNIL)",
    address_lines=CNIL_LINES,
    verified=True,
    public=True,
)

CHANNEL_TEXT: dict[str, str] = {
    "post": N_("par lettre recommandée avec accusé de réception"),
    "email": N_("par e-mail"),
    "web-form": N_("par le formulaire de votre site"),
}

# Items an access answer may lack, as an incomplete-answer letter lists them.
MISSING_TEXT: dict[str, str] = {
    "confirmation": N_(
        "la confirmation que vous traitez, ou non, des données me concernant (article 15, "
        "paragraphe 1) ;"
    ),
    "copy": N_("la copie de mes données personnelles (article 15, paragraphe 3) ;"),
    "safeguards": N_(
        "les garanties appropriées qui encadrent le transfert de mes données hors de l'Union "
        "européenne (article 15, paragraphe 2) ;"
    ),
}


def _missing_text(item: str) -> str:
    if item in MISSING_TEXT:
        return _(MISSING_TEXT[item])
    if item in ACCESS_ITEMS_TEXT:
        text = bare_item(_(ACCESS_ITEMS_TEXT[item]))
        # "(a)" -> "(article 15, paragraphe 1, a)"
        head, _sep, letter = text.rpartition(" (")
        return _(
            "%(item)s (article 15, paragraphe 1, %(letter)s) ;",
            item=head,
            letter=letter.rstrip(")"),
        )
    return _(
        "%(item)s (question posée dans ma demande) ;",
        item=bare_item(_(SOVEREIGNTY_TEXT[item])),
    )


def _request_recall(options: FollowUpOptions, recipient: Recipient) -> list[Block]:
    channel: Part = (
        _(CHANNEL_TEXT[options.channel]) if options.channel else Blank(_("moyen d'envoi"))
    )
    blocks: list[Block] = [
        sentence(
            N_(
                "Le %(sent)s, je vous ai adressé %(what)s, %(channel)s. Vous l'avez reçue le "
                "%(received)s."
            ),
            sent=date_or_blank(options.request_date, _("date d'envoi")),
            what=_(REQUEST_NAMES[options.request_kind]),
            channel=channel,
            received=date_or_blank(options.received, _("date de réception")),
        )
    ]
    if options.reference:
        blocks.append(
            Paragraph.of(
                _(
                    "Référence de l'envoi ou du dossier : %(reference)s.",
                    reference=options.reference,
                )
            )
        )
    return blocks


def _expired_on(request: Request, options: TimedFollowUpOptions) -> Part:
    """The day the period ended, as checked by the deadline rules; a blank without dates."""
    count = counted(options, holder_in_alsace_moselle(request.recipient, request.platform))
    if count is None or count.deadline.due is None:
        return Blank(_("date de fin du délai"))
    return long_date(count.deadline.due)


# Without dates Reprise cannot tell whether the period has ended: the letter states the rule
# and what the person observes, never an end date to fill in as if it had been checked.
UNDATED_MEDICAL = N_(
    "L'article L. 1111-7 du code de la santé publique prévoit la communication du dossier "
    "au plus tard %(days)s après la réception de la demande, ou %(months)s pour les "
    "informations de plus de cinq ans. À la date de cette lettre, je n'ai reçu ni mon dossier, "
    "ni aucune réponse."
)
UNDATED_EXTENDED_TO_HOLDER = N_(
    "Vous m'avez annoncé une prolongation du délai. L'article 12, paragraphe 3, du RGPD "
    "limite ce délai à %(limit)s au plus à compter de la réception de ma demande. À la date "
    "de cette lettre, je n'ai reçu aucune réponse à ma demande."
)
UNDATED_EXTENDED = N_(
    "L'organisme m'a annoncé une prolongation du délai. L'article 12, paragraphe 3, du RGPD "
    "limite ce délai à %(limit)s au plus à compter de la réception de ma demande. À la date "
    "de cette réclamation, il n'a pas répondu à ma demande."
)
UNDATED_TO_HOLDER = N_(
    "L'article 12, paragraphe 3, du RGPD vous donne %(limit)s à compter de la réception de ma "
    "demande pour y répondre, ou pour m'informer d'une prolongation du délai. À la date de "
    "cette lettre, je n'ai reçu ni réponse, ni information sur une prolongation."
)
UNDATED = N_(
    "L'article 12, paragraphe 3, du RGPD donne à l'organisme %(limit)s à compter de la "
    "réception de ma demande pour y répondre, ou pour m'informer d'une prolongation du délai. "
    "À la date de cette réclamation, je n'ai reçu ni réponse, ni information sur une "
    "prolongation."
)


def _undated_paragraph(options: TimedFollowUpOptions, to_holder: bool) -> Paragraph:
    if options.request_kind == "medical-record":
        return Paragraph.of(
            _(
                UNDATED_MEDICAL,
                days=period(days=MEDICAL_RECORD_DAYS),
                months=period(months=MEDICAL_RECORD_LONG_MONTHS),
            )
        )
    if options.extended:
        template = UNDATED_EXTENDED_TO_HOLDER if to_holder else UNDATED_EXTENDED
        return Paragraph.of(_(template, limit=period(months=GDPR_EXTENDED_MONTHS)))
    template = UNDATED_TO_HOLDER if to_holder else UNDATED
    return Paragraph.of(_(template, limit=period(months=GDPR_MONTHS)))


def period_passed_paragraph(
    request: Request, options: TimedFollowUpOptions, *, to_holder: bool = True
) -> Paragraph:
    """That the period to answer has ended, on which day, as the deadline rules count it;
    without the dates to count it, the rule and what the person observes, nothing more.
    `to_holder`: written to the holder itself, else about it (to the CNIL)."""
    expired = _expired_on(request, options)
    if isinstance(expired, Blank):
        return _undated_paragraph(options, to_holder)
    extended = {"limit": phrase("the-time-limit", months=GDPR_EXTENDED_MONTHS)}
    if options.request_kind == "medical-record":
        words = {
            "limit": phrase("the-time-limit", months=MEDICAL_RECORD_LONG_MONTHS)
            if options.older_than_5_years
            else phrase("the-time-limit", days=MEDICAL_RECORD_DAYS)
        }
        template = (
            N_(
                "%(limit)s prévu par l'article L. 1111-7 du code de la santé publique pour les "
                "informations de plus de cinq ans a pris fin le %(day)s, et je n'ai reçu ni "
                "mon dossier, ni aucune réponse."
            )
            if options.older_than_5_years
            else N_(
                "%(limit)s prévu par l'article L. 1111-7 du code de la santé publique a pris "
                "fin le %(day)s, et je n'ai reçu ni mon dossier, ni aucune réponse."
            )
        )
    elif options.extended and not to_holder:
        words = extended
        template = N_(
            "L'organisme m'a annoncé une prolongation du délai. %(limit)s à compter de la "
            "réception de ma demande, le plus long que permet l'article 12, paragraphe 3, du "
            "RGPD, a lui aussi pris fin le %(day)s, sans réponse de sa part."
        )
    elif options.extended:
        words = extended
        template = N_(
            "Vous m'avez annoncé une prolongation du délai. %(limit)s à compter de la "
            "réception de ma demande, le plus long que permet l'article 12, paragraphe 3, du "
            "RGPD, a lui aussi pris fin le %(day)s, sans réponse de votre part."
        )
    else:
        words = {"limit": phrase("the-time-limit", months=GDPR_MONTHS)}
        template = N_(
            "%(limit)s prévu par l'article 12, paragraphe 3, du RGPD a pris fin le %(day)s, et "
            "je n'ai reçu ni réponse, ni information sur une prolongation de ce délai."
        )
    return sentence(template, words, day=expired)


def _suspension(options: TimedFollowUpOptions) -> list[Block]:
    if options.identity_requested is None or options.identity_answered is None:
        return []
    return [
        Paragraph.of(
            _(
                "Ce délai tient compte de sa suspension entre votre demande de justificatif "
                "d'identité, le %(asked)s, et ma réponse, le %(answered)s.",
                asked=long_date(options.identity_requested),
                answered=long_date(options.identity_answered),
            )
        )
    ]


def _next_remedy(request: Request, options: ReminderOptions) -> Paragraph:
    """The authority the person will turn to: the CADA for a public hospital's record."""
    recipient = request.recipient
    medical = options.request_kind == "medical-record" and recipient.public is not False
    if medical and (recipient.public or recipient.category == "hospital"):
        return Paragraph.of(
            _(
                "Sans réponse de votre part dans les %(period)s, je saisirai la Commission "
                "d'accès aux documents administratifs (CADA), comme le prévoit l'article L. "
                "342-1 du code des relations entre le public et l'administration.",
                period=period(days=REMINDER_DAYS),
            )
            if recipient.public
            else _(
                "Sans réponse de votre part dans les %(period)s, je saisirai la Commission "
                "d'accès aux documents administratifs (CADA) si votre établissement est "
                "public, ou sinon la Commission nationale de l'informatique et des libertés "
                "(CNIL) d'une réclamation (article 77 du RGPD).",
                period=period(days=REMINDER_DAYS),
            )
        )
    return Paragraph.of(
        _(
            "Sans réponse de votre part dans les %(period)s, je saisirai la Commission "
            "nationale de l'informatique et des libertés (CNIL) d'une réclamation (article 77 "
            "du RGPD).",
            period=period(days=REMINDER_DAYS),
        )
    )


def compose_reminder(request: Request) -> Content:
    options = request.options
    assert isinstance(options, ReminderOptions)
    blocks = _request_recall(options, request.recipient)
    blocks.append(period_passed_paragraph(request, options))
    blocks += _suspension(options)
    blocks += [
        Paragraph.of(
            _(
                "Je renouvelle donc ma demande, dont vous trouverez la copie jointe, et vous "
                "demande d'y donner suite sans attendre."
            )
        ),
        _next_remedy(request, options),
    ]
    return Content(
        title=_("Relance"),
        subject=(
            _(
                "relance de ma demande du %(date)s, restée sans réponse",
                date=long_date(options.request_date),
            )
            if options.request_date
            else _("relance de ma demande restée sans réponse")
        ),
        blocks=blocks,
        enclosures=[
            _("Copie de ma demande"),
            _("Preuve d'envoi ou de réception de ma demande"),
        ],
    )


def compose_incomplete_answer(request: Request) -> Content:
    options = request.options
    assert isinstance(options, IncompleteAnswerOptions)
    blocks = _request_recall(options, request.recipient)
    blocks.append(
        sentence(
            N_(
                "Vous m'avez répondu le %(answered)s, et je vous en remercie. Votre réponse est "
                "cependant incomplète : il y manque les éléments suivants, que l'article 15 du "
                "RGPD vous impose de me communiquer."
            ),
            answered=date_or_blank(options.answer_date, _("date de la réponse")),
        )
    )
    if options.missing:
        ordered = [item for item in MISSING_ORDER if item in options.missing]
        items = [_missing_text(item) for item in ordered]
        items[-1] = last_item(items[-1])
        blocks.append(Bullets.of(*items))
    else:
        blank = Blank(_("élément manquant"))
        blocks.append(Bullets(((blank,), (blank,), (blank,))))
    blocks += [
        Paragraph.of(
            _(
                "%(limit)s prévu par l'article 12, paragraphe 3, du RGPD court depuis la "
                "réception de ma demande. Je vous demande de me transmettre ces éléments sans "
                "attendre.",
                limit=phrase("the-time-limit", months=GDPR_MONTHS),
            )
        ),
        Paragraph.of(
            _(
                "Sans réponse complète dans les %(period)s, je saisirai la Commission "
                "nationale de l'informatique et des libertés (CNIL) d'une réclamation (article "
                "77 du RGPD).",
                period=period(days=REMINDER_DAYS),
            )
        ),
    ]
    return Content(
        title=_("Réponse incomplète à ma demande d'accès"),
        subject=_("réponse incomplète à ma demande d'accès (article 15 du RGPD)"),
        blocks=blocks,
        enclosures=[_("Copie de ma demande"), _("Copie de votre réponse")],
    )


# The order of GDPR art. 15 (then the hosting questions), as the options declare it.
MISSING_ORDER = ACCESS_ITEMS
