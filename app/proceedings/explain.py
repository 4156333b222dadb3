"""The due date told in plain French: which rule, from which date, which days were skipped."""

from __future__ import annotations

from app.deadlines.periods import (
    GDPR_EXTENDED_MONTHS,
    GDPR_MONTHS,
    MEDICAL_RECORD_DAYS,
    MEDICAL_RECORD_LONG_MONTHS,
    REFERRAL_MONTHS,
    REMINDER_DAYS,
    SILENCE_MONTHS,
    period,
    phrase,
)
from app.i18n import N_, long_date
from app.i18n import gettext as _
from app.proceedings.deadline import POST_WORKING_DAYS, extension_too_late
from app.proceedings.due_changes import act_sentence, last_due_change, upper_first
from app.proceedings.events import CHANNEL_LABELS
from app.proceedings.service import ProceedingView

# What the answer to an access request must hold (GDPR art. 15), as the checker asks it.
CHECK_ITEMS: dict[str, tuple[str, str]] = {
    "confirmation": (
        N_("La confirmation qu'elle traite, ou non, des données sur vous"),
        N_("Même si elle n'a rien sur vous, elle doit vous le dire."),
    ),
    "copy": (
        N_("Une copie de vos données"),
        N_("Un fichier ou un document avec les données elles-mêmes, pas seulement leur liste."),
    ),
    "purposes": (
        N_("Pourquoi elle les utilise (les finalités)"),
        N_("Par exemple : gérer vos rendez-vous, faire de la publicité, la recherche."),
    ),
    "categories": (
        N_("Quels types de données elle a"),
        N_("Par exemple : identité, rendez-vous, données de santé, localisation."),
    ),
    "recipients": (
        N_("À qui elle les transmet"),
        N_("Les destinataires, en particulier ceux qui sont hors de l'Union européenne."),
    ),
    "retention": (
        N_("Combien de temps elle les garde"),
        N_("Une durée, ou au moins les critères qui la fixent."),
    ),
    "rights": (
        N_("Vos droits de rectification, d'effacement, de limitation et d'opposition"),
        N_("La réponse doit vous rappeler que vous pouvez les exercer."),
    ),
    "complaint": (
        N_("Votre droit de saisir la CNIL"),
        N_("La CNIL est l'autorité qui fait respecter vos droits sur vos données."),
    ),
    "source": (
        N_("D'où viennent les données qu'elle n'a pas reçues de vous"),
        N_("Si elle dit que toutes viennent de vous, cochez la case."),
    ),
    "automated": (
        N_("Si une décision automatique ou un profilage vous concerne"),
        N_("Si elle dit qu'il n'y en a pas, cochez la case."),
    ),
    "safeguards": (
        N_("Les garanties des transferts hors de l'Union européenne"),
        N_("Si elle dit qu'aucune donnée ne quitte l'Union, cochez la case."),
    ),
    "hosting": (
        N_("Qui héberge vos données, et dans quel pays"),
        N_("Votre lettre le demandait."),
    ),
    "hds": (
        N_("Si l'hébergeur est certifié pour les données de santé (HDS)"),
        N_("Votre lettre le demandait."),
    ),
    "transfers": (
        N_("Si vos données sont accessibles depuis un pays hors de l'Union"),
        N_("Votre lettre le demandait."),
    ),
}
SOVEREIGNTY_ITEMS = ("hosting", "hds", "transfers")


def check_items(options: dict[str, object]) -> list[str]:
    """What this access request asked for: art. 15 always, hosting questions if asked."""
    items = [item for item in CHECK_ITEMS if item not in SOVEREIGNTY_ITEMS]
    if options.get("sovereignty", True):
        items += list(SOVEREIGNTY_ITEMS)
    return items


def missing_items(options: dict[str, object], ticked: list[str]) -> list[str]:
    """What the answer lacks: every item asked for and not ticked."""
    return [item for item in check_items(options) if item not in ticked]


def explain(view: ProceedingView) -> list[str]:
    """Sentences saying how the due date shown was found."""
    facts, due = view.facts, view.due
    receipt = due.receipt
    if receipt is None:
        return [
            _(
                "La date limite sera calculée dès que vous aurez indiqué la date d'envoi de la "
                "demande."
            )
        ]
    lines: list[str] = []
    if not receipt.estimated:
        lines.append(_("L'organisme a reçu votre demande le %(day)s.", day=long_date(receipt.day)))
    elif receipt.acted is not None:
        lines.append(
            _(
                "Vous avez envoyé la demande %(channel)s le %(sent)s. %(act)s : il avait donc "
                "reçu votre demande au plus tard ce jour-là. Reprise compte le délai à partir "
                "de cette date (estimation) ; indiquez la date de réception dès que vous la "
                "connaissez, elle remplacera l'estimation.",
                channel=_(CHANNEL_LABELS.get(receipt.channel or "", "")),
                sent=long_date(receipt.sent_on),
                act=upper_first(act_sentence(receipt.acted, receipt.day)),
            )
        )
    elif receipt.channel == "post":
        lines.append(
            _(
                "Vous avez envoyé la demande par courrier le %(sent)s. En attendant l'avis de "
                "réception, Reprise estime qu'elle est arrivée le %(day)s, %(n)s jours ouvrables "
                "plus tard. C'est une hypothèse prudente de Reprise, pas une règle de droit : "
                "indiquez la date de l'avis de réception dès que vous l'avez, elle remplacera "
                "l'estimation.",
                sent=long_date(receipt.sent_on),
                day=long_date(receipt.day),
                n=POST_WORKING_DAYS,
            )
        )
    else:
        lines.append(
            _(
                "Vous avez envoyé la demande %(channel)s le %(sent)s : Reprise compte qu'elle a "
                "été reçue le jour même (estimation). Si l'organisme vous indique une autre "
                "date de réception, indiquez-la.",
                channel=_(CHANNEL_LABELS.get(receipt.channel or "", "")),
                sent=long_date(receipt.sent_on),
            )
        )
    deadline = due.deadline
    if deadline is None:
        return lines
    if deadline.regime == "medical-record":
        if deadline.psychiatric_commission and facts.commission_on is not None:
            lines.append(
                _(
                    "La commission départementale des soins psychiatriques a été saisie le "
                    "%(day)s : le code de la santé publique (article L. 1111-7) donne alors "
                    "%(period)s à partir de la réception.",
                    day=long_date(facts.commission_on),
                    period=period(months=MEDICAL_RECORD_LONG_MONTHS),
                )
            )
        elif deadline.older_than_5_years:
            lines.append(
                _(
                    "Le code de la santé publique (article L. 1111-7) donne %(period)s à "
                    "partir de la réception quand les informations ont plus de cinq ans.",
                    period=period(months=MEDICAL_RECORD_LONG_MONTHS),
                )
            )
        else:
            lines.append(
                _(
                    "Le code de la santé publique (article L. 1111-7) donne %(period)s à "
                    "partir de la réception pour communiquer le dossier médical.",
                    period=period(days=MEDICAL_RECORD_DAYS),
                )
            )
        if deadline.not_before:
            lines.append(
                _(
                    "Le dossier ne peut pas vous être envoyé avant un délai de réflexion de 48 "
                    "heures, soit pas avant le %(day)s.",
                    day=long_date(deadline.not_before),
                )
            )
    elif deadline.extended:
        lines.append(
            _(
                "L'organisme a annoncé une prolongation le %(day)s, dans le premier mois : le "
                "RGPD (article 12) lui laisse alors %(period)s à partir de la réception.",
                day=long_date(facts.extension_on),  # type: ignore[arg-type]
                period=period(months=GDPR_EXTENDED_MONTHS),
            )
        )
    else:
        lines.append(
            _(
                "Le RGPD (article 12) donne %(period)s à l'organisme pour répondre, à partir "
                "de la réception. Le jour de la réception ne compte pas.",
                period=period(months=GDPR_MONTHS),
            )
        )
        if extension_too_late(facts, due):
            lines.append(
                _(
                    "L'organisme a annoncé une prolongation le %(day)s, après le premier mois : "
                    "elle ne compte pas.",
                    day=long_date(facts.extension_on),  # type: ignore[arg-type]
                )
            )
    if deadline.identity_requested and deadline.due is None:
        lines.append(
            _(
                "Le délai est suspendu depuis le %(day)s : l'organisme attend le justificatif "
                "d'identité qu'il vous a demandé. Il reprendra quand vous l'aurez envoyé.",
                day=long_date(deadline.identity_requested),
            )
        )
    elif deadline.identity_requested and "12(6)" not in deadline.basis:
        lines.append(
            _(
                "La demande de justificatif d'identité est arrivée après la date limite : elle "
                "ne suspend pas le délai."
            )
        )
    elif deadline.suspended_days:
        lines.append(
            ngettext_days(deadline.suspended_days)
            + " "
            + _(
                "(du %(start)s au %(end)s, le temps de votre justificatif d'identité).",
                start=long_date(deadline.identity_requested),  # type: ignore[arg-type]
                end=long_date(deadline.identity_answered),  # type: ignore[arg-type]
            )
        )
    if deadline.period_end and deadline.due and deadline.skipped:
        reasons = ", ".join(
            _("le %(day)s (%(reason)s)", day=long_date(skip.date), reason=skip.reason)
            for skip in deadline.skipped
        )
        lines.append(
            _(
                "Le délai tombait un jour non ouvré : %(reasons)s. Il est reporté au jour "
                "ouvrable suivant, le %(due)s.",
                reasons=reasons,
                due=long_date(deadline.due),
            )
        )
    elif deadline.due:
        lines.append(_("La date limite est donc le %(day)s.", day=long_date(deadline.due)))
    if view.alsace_moselle:
        lines.append(
            _(
                "L'organisme est en Alsace-Moselle : le Vendredi saint et le 26 décembre y sont "
                "aussi comptés comme fériés."
            )
        )
    if due.basis == "practical" and due.reminder_on is not None and due.day is not None:
        lines.append(
            _(
                "Vous avez envoyé une relance le %(day)s. Reprise vous propose d'attendre "
                "%(period)s, le délai annoncé dans la relance : jusqu'au %(due)s. Ce délai est "
                "un choix pratique de Reprise, pas un délai légal.",
                day=long_date(due.reminder_on),
                due=long_date(due.day),
                period=period(days=REMINDER_DAYS),
            )
        )
    change = last_due_change(view)
    if change and view.due.day is not None:
        lines.append(change)
    return lines


def legal_basis(view: ProceedingView) -> str | None:
    """The texts behind the due date, for who asks (they are not plain words)."""
    deadline = view.due.deadline
    return deadline.basis if deadline is not None else None


def explain_cada(view: ProceedingView) -> list[str]:
    """Sentences saying until when the CADA can be seized, and why (empty: not a CADA case)."""
    cada = view.cada
    if cada is None:
        return []
    today = view.today
    due, refused = long_date(cada.due), long_date(cada.refused_on)
    lines: list[str] = []
    if not cada.implicit:
        lines.append(
            _(
                "L'établissement a refusé le %(day)s. Vous avez %(period)s à partir de ce "
                "refus pour saisir la CADA : jusqu'au %(due)s.",
                day=refused,
                due=due,
                period=period(months=REFERRAL_MONTHS),
            )
        )
    elif not cada.started(today):
        lines.append(
            _(
                "Si l'établissement ne vous répond pas d'ici le %(day)s, %(silence)s après la "
                "réception de votre demande, ce silence vaudra refus. Vous aurez alors "
                "%(period)s pour saisir la CADA : jusqu'au %(due)s.",
                day=refused,
                due=due,
                silence=period(months=SILENCE_MONTHS),
                period=period(months=REFERRAL_MONTHS),
            )
        )
    else:
        lines.append(
            _(
                "L'établissement ne vous a pas répondu dans le mois qui a suivi la réception "
                "de votre demande : depuis le %(day)s, ce silence vaut refus. Vous avez "
                "%(period)s pour saisir la CADA : jusqu'au %(due)s.",
                day=refused,
                due=due,
                period=period(months=REFERRAL_MONTHS),
            )
        )
    if cada.implicit and cada.estimated:
        lines.append(
            _(
                "La date de réception n'est pas connue : Reprise compte à partir du jour de "
                "l'envoi, pour que vous n'agissiez pas trop tard. Indiquez la date de réception "
                "dès que vous la connaissez."
            )
        )
    if cada.later_refusal is not None:
        lines.append(
            _(
                "L'établissement a refusé le %(day)s, après ce mois de silence : par prudence, "
                "Reprise garde la date la plus proche.",
                day=long_date(cada.later_refusal),
            )
        )
    if cada.due < today:
        lines.append(_("Ce délai s'est terminé le %(due)s.", due=due))
    lines += [
        _(
            "La saisine de la CADA est gratuite. Elle est obligatoire avant tout recours "
            "devant le tribunal administratif. %(limit)s ne compte contre vous que si "
            "l'établissement vous a indiqué les voies et délais de recours, dans son refus ou "
            "dans l'accusé de réception de votre demande.",
            limit=phrase("this-time-limit", months=REFERRAL_MONTHS),
        ),
        _(
            "Reprise ne reporte pas cette date quand elle tombe un samedi, un dimanche ou un "
            "jour férié : saisir la CADA plus tôt ne vous fait rien perdre."
        ),
    ]
    return lines


def ngettext_days(days: int) -> str:
    from app.i18n import ngettext

    return ngettext(
        "Le délai a été suspendu %(num)s jour", "Le délai a été suspendu %(num)s jours", days
    )
