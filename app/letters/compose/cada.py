"""The CADA referral, when a public hospital refuses a medical record or stays silent."""

from __future__ import annotations

from app.deadlines.periods import REFERRAL_MONTHS, SILENCE_MONTHS, period, phrase
from app.i18n import N_, long_date
from app.i18n import gettext as _
from app.letters.compose.common import Content, Request, date_or_blank, sentence
from app.letters.document import Block, Paragraph, Recipient
from app.letters.options import CadaReferralOptions
from app.letters.timing import cada_window

CADA_SCOPE = N_(
    "mon dossier médical complet, c'est-à-dire l'ensemble des informations concernant ma "
    "santé détenues par l'établissement"
)


# Postal address from the State's directory of administrations (lannuaire.service-public.fr,
# "Commission d'accès aux documents administratifs (CADA)", page dated 3 January 2018, seen
# 2026-11-28): an older official source, so the letter's page asks to check it on cada.fr.
CADA = Recipient(
    name="Commission d'accès aux documents administratifs (CADA)",
    address_lines=("TSA 50730", "75334 Paris Cedex 07"),
    verified=False,
    public=True,
)


def compose_cada_referral(request: Request) -> Content:
    options = request.options
    assert isinstance(options, CadaReferralOptions)
    establishment = request.recipient
    blocks: list[Block] = [
        sentence(
            N_(
                "Le %(sent)s, j'ai demandé à l'établissement public de santé %(establishment)s "
                "la communication de mon dossier médical, en application de l'article L. 1111-7 "
                "du code de la santé publique. Ma demande a été reçue le %(received)s."
            ),
            sent=date_or_blank(options.request_date, _("date de la demande")),
            establishment=establishment.name,
            received=date_or_blank(options.received, _("date de réception")),
        )
    ]
    window = cada_window(options)
    if options.refusal_date:
        blocks.append(
            Paragraph.of(
                _(
                    "Par une décision du %(date)s, l'établissement a refusé de me communiquer "
                    "ce dossier.",
                    date=long_date(options.refusal_date),
                )
            )
        )
    elif window is not None and options.received is not None:
        blocks.append(
            sentence(
                N_(
                    "L'établissement ne m'a pas répondu dans le mois qui a suivi la réception "
                    "de ma demande : ce silence vaut décision de refus depuis le %(day)s "
                    "(articles R. 311-12 et R. 311-13 du code des relations entre le public et "
                    "l'administration)."
                ),
                day=long_date(window.refused_on),
            )
        )
    else:
        # Without the receipt date Reprise cannot tell when silence became a refusal: the
        # letter states the rule and what the person observes, never a day to fill in as if
        # it had been counted.
        blocks.append(
            Paragraph.of(
                _(
                    "Selon les articles R. 311-12 et R. 311-13 du code des relations entre le "
                    "public et l'administration, le silence gardé pendant %(silence)s à compter "
                    "de la réception d'une demande vaut décision de refus. À la date de cette "
                    "lettre, l'établissement ne m'a pas répondu.",
                    silence=period(months=SILENCE_MONTHS),
                )
            )
        )
    blocks += [
        Paragraph.of(
            _(
                "En application de l'article L. 342-1 du code des relations entre le public et "
                "l'administration, je vous saisis de ce refus, %(limit)s prévu par l'article "
                "R. 343-1 de ce code.",
                limit=phrase("within-the-time-limit", months=REFERRAL_MONTHS),
            )
            if window is not None
            else _(
                "En application des articles L. 342-1 et R. 343-1 du code des relations entre "
                "le public et l'administration, je vous saisis de ce refus."
            )
        ),
        sentence(
            N_("Documents demandés : %(documents)s."),
            documents=options.documents or _(CADA_SCOPE),
        ),
        Paragraph.of(
            _(
                "Je vous remercie de rendre un avis favorable à la communication de ces "
                "documents. Mes coordonnées figurent en tête de cette lettre."
            )
        ),
    ]
    if options.refusal_date:
        enclosures = [
            _("Copie de ma demande"),
            _("Preuve d'envoi et de réception de cette demande (accusé de réception)"),
            _("Copie de la décision de refus"),
        ]
    else:
        enclosures = [
            _("Copie de ma demande restée sans réponse"),
            _("Preuve d'envoi et de réception de cette demande (accusé de réception)"),
        ]
    return Content(
        title=_("Saisine de la CADA"),
        subject=_(
            "saisine de la Commission d'accès aux documents administratifs : refus de "
            "communication de mon dossier médical par %(establishment)s",
            establishment=establishment.name,
        ),
        blocks=blocks,
        enclosures=enclosures,
        recipient=CADA,
    )
