"""The complaint file for the CNIL: who complains, about whom, what happened, date by date."""

from __future__ import annotations

from app.i18n import N_, long_date
from app.i18n import gettext as _
from app.letters.compose.common import (
    REQUEST_NAMES,
    Content,
    Request,
    date_or_blank,
)
from app.letters.compose.followups import CHANNEL_TEXT, CNIL, period_passed_paragraph
from app.letters.document import Blank, Block, Bullets, Heading, Paragraph, Part
from app.letters.options import ChronologyEntry, ComplaintFileOptions

# "no-answer" is period_passed_paragraph: it names the day the period ended.
OUTCOME_TEXT: dict[str, str] = {
    "incomplete": N_("La réponse reçue est incomplète."),
    "refused": N_("L'organisme a refusé de donner suite à ma demande."),
    "wrong": N_("La réponse reçue ne correspond pas à ma demande."),
}


ANSWER_TEXT: dict[str, str] = {
    "complete": N_(" : l'organisme me répond."),
    "incomplete": N_(" : l'organisme me répond, de façon incomplète."),
    "refusal": N_(" : l'organisme refuse de donner suite à ma demande."),
    "erased": N_(" : l'organisme m'annonce l'effacement de mes données."),
}
CHRONOLOGY_TEXT: dict[str, str] = {
    "received": N_(" : l'organisme reçoit ma demande."),
    "identity-requested": N_(" : l'organisme me demande un justificatif d'identité."),
    "identity-answered": N_(" : j'envoie le justificatif demandé."),
    "extension": N_(" : l'organisme m'annonce une prolongation du délai de réponse."),
}


def _chronology_line(entry: ChronologyEntry, options: ComplaintFileOptions) -> tuple[Part, ...]:
    when = long_date(entry.date)
    reference = (
        _(" (référence : %(reference)s)", reference=entry.reference) if entry.reference else ""
    )
    channel = " " + _(CHANNEL_TEXT[entry.channel]) if entry.channel else ""
    if entry.event == "sent":
        what = _(REQUEST_NAMES[options.request_kind])
        return (when, _(" : j'envoie %(what)s", what=what) + channel + reference + ".")
    if entry.event == "reminder":
        return (when, _(" : j'envoie une relance") + channel + reference + ".")
    if entry.event == "answer":
        return (when, _(ANSWER_TEXT[entry.outcome or "complete"]))
    return (when, _(CHRONOLOGY_TEXT[entry.event]))


def _who_complains(request: Request, options: ComplaintFileOptions) -> list[Block]:
    """The person whose data it is, and the one acting for them, each by name."""
    if not options.on_behalf:
        return []
    subject = options.data_subject
    name: Part = (
        f"{subject.given_name} {subject.family_name}"
        if subject
        else Blank(_("prénom et nom de la personne concernée"))
    )
    return [
        Heading(_("Les personnes")),
        Bullets(
            (
                (_("Personne concernée par les données : "), name),
                (
                    _(
                        "Personne qui agit pour elle, en vertu du mandat joint : %(name)s",
                        name=request.identity.full_name,
                    ),
                ),
            )
        ),
    ]


def compose_complaint_file(request: Request) -> Content:
    options = request.options
    assert isinstance(options, ComplaintFileOptions)
    target = request.recipient
    address: Part = (
        ", ".join(target.address_lines)
        if target.address_lines
        else Blank(_("adresse de l'organisme"))
    )
    siren: Part = target.siren or Blank(_("numéro SIREN, s'il est connu"))
    organisation: list[tuple[Part, ...]] = [
        (_("Nom : %(name)s", name=target.name),),
        (_("Adresse : "), address),
        (_("SIREN : "), siren),
    ]
    if target.email:
        organisation.append((_("Adresse e-mail de contact : %(email)s", email=target.email),))
    channel: Part = (
        _(CHANNEL_TEXT[options.channel]) if options.channel else Blank(_("moyen d'envoi"))
    )
    events: list[tuple[Part, ...]] = [
        (
            date_or_blank(options.request_date, _("date")),
            _(" : j'envoie %(what)s ", what=_(REQUEST_NAMES[options.request_kind])),
            channel,
            ".",
        ),
        (
            date_or_blank(options.received, _("date")),
            _(" : l'organisme reçoit ma demande."),
        ),
    ]
    if options.reminder_date:
        events.append((long_date(options.reminder_date), _(" : j'envoie une relance.")))
    if options.answer_date:
        events.append((long_date(options.answer_date), _(" : l'organisme me répond.")))
    if options.chronology:
        events = [_chronology_line(entry, options) for entry in options.chronology]
    outcome: Block = (
        period_passed_paragraph(request, options, to_holder=False)
        if options.outcome == "no-answer"
        else Paragraph.of(_(OUTCOME_TEXT[options.outcome]))
    )
    blocks: list[Block] = [
        Paragraph.of(
            _(
                "Je vous adresse une réclamation, en application de l'article 77 du RGPD, "
                "contre l'organisme ci-dessous. J'ai d'abord exercé mes droits auprès de lui, "
                "comme vous le demandez ; vous trouverez les preuves de ces démarches en "
                "pièces jointes."
            )
        ),
        *_who_complains(request, options),
        Heading(_("L'organisme mis en cause")),
        Bullets(tuple(organisation)),
        Heading(_("Chronologie")),
        Bullets(tuple(events), ordered=True),
        Heading(_("Ce qui ne va pas")),
        outcome,
    ]
    if options.details:
        blocks.append(Paragraph.of(options.details))
    blocks += [
        Heading(_("Ce que je demande")),
        Paragraph.of(
            _(
                "Je vous demande d'intervenir auprès de cet organisme pour qu'il donne suite "
                "à ma demande, et de me faire connaître l'avancement et l'issue de ma "
                "réclamation (article 77, paragraphe 2, du RGPD)."
            )
        ),
    ]
    enclosures = [
        _("Copie de ma demande"),
        _(
            "Preuve d'envoi de ma demande (reçu de lettre recommandée, e-mail envoyé ou capture "
            "d'écran du formulaire)"
        ),
        _("Preuve de réception (accusé de réception), si je l'ai"),
    ]
    if options.reminder_date:
        enclosures.append(_("Copie de ma relance"))
    if options.answer_date or options.outcome != "no-answer":
        enclosures.append(_("Copie de la réponse de l'organisme"))
    if options.on_behalf:
        enclosures.append(_("Mandat signé par la personne concernée"))
    return Content(
        title=_("Réclamation auprès de la CNIL"),
        subject=_("réclamation contre l'organisme %(name)s (article 77 du RGPD)", name=target.name),
        blocks=blocks,
        enclosures=enclosures,
        recipient=CNIL,
        delivery=_(
            "À déposer avec les pièces jointes sur le formulaire de plainte en ligne de la "
            "CNIL, ou à envoyer par courrier"
        ),
    )
