"""Why an event cannot be recorded in a proceeding: each refusal names the field to correct
and says why in plain words (the lifecycle's table says which event may follow which; these
checks add what the facts and dates forbid)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from app.deadlines.rules import EARLIEST, GDPR_START
from app.errors import Invalid
from app.i18n import gettext as _
from app.i18n import long_date
from app.proceedings.events import Event

if TYPE_CHECKING:
    from app.proceedings.lifecycle import Facts


def refuse(field_name: str, message: str) -> Invalid:
    return Invalid({field_name: message})


def check_fields(event: Event) -> None:
    if event.kind in {"sent", "reminder"} and event.channel is None:
        raise refuse("channel", _("Indiquez comment la lettre a été envoyée."))
    if event.kind == "answer" and event.outcome is None:
        raise refuse("outcome", _("Indiquez ce que dit la réponse."))
    if event.kind == "complaint" and event.authority is None:
        raise refuse("authority", _("Indiquez auprès de qui la réclamation a été déposée."))
    if event.kind == "generated" and event.letter is None:
        raise refuse("letter", _("Indiquez la lettre préparée."))
    if event.missing and not (event.kind == "answer" and event.outcome == "incomplete"):
        raise refuse(
            "missing", _("Les éléments manquants ne concernent qu'une réponse incomplète.")
        )
    if event.kind == "answer" and event.outcome == "incomplete" and not event.missing:
        # Allowed: the person may not have detailed what is missing.
        return


def why_refused(facts: Facts, key: str) -> str:
    if facts.state == "closed":
        return _("Cette démarche est close : rien ne peut plus y être ajouté.")
    if facts.sent_on is None:
        return _("Indiquez d'abord la date à laquelle vous avez envoyé la demande.")
    if key == "sent":
        return _("L'envoi de la demande est déjà indiqué.")
    if key == "identity-answered":
        return _("Aucune demande de justificatif d'identité n'attend de réponse.")
    if key == "letter:incomplete-answer":
        return _("Cette lettre suit une réponse incomplète : indiquez d'abord cette réponse.")
    return _("Cet événement n'est pas possible à ce stade de la démarche.")


def check_facts(facts: Facts, event: Event, key: str) -> None:
    gdpr = facts.regime == "gdpr"
    if key == "received" and facts.received_on is not None:
        raise refuse("kind", _("La date de réception est déjà indiquée."))
    if key in {"identity-requested", "extension"} and not gdpr:
        raise refuse(
            "kind",
            _(
                "Pour un dossier médical, le code de la santé publique ne prévoit ni "
                "prolongation ni suspension du délai."
            ),
        )
    if key == "identity-requested" and facts.identity_requested_on is not None:
        raise refuse(
            "kind", _("Reprise ne compte qu'une demande de justificatif d'identité par démarche.")
        )
    if key == "extension" and facts.extension_on is not None:
        raise refuse("kind", _("La prolongation est déjà indiquée."))
    if key == "commission" and gdpr:
        raise refuse(
            "kind",
            _(
                "La commission départementale des soins psychiatriques ne concerne que les "
                "demandes de dossier médical."
            ),
        )
    if key == "commission" and facts.commission_on is not None:
        raise refuse("kind", _("La saisine de la commission est déjà indiquée."))
    if key == "answer:erased" and facts.right != "erasure":
        raise refuse("outcome", _("Cette réponse ne concerne que les demandes d'effacement."))
    if key == "letter:incomplete-answer" and (
        facts.right != "access" or facts.incomplete_answer is None
    ):
        raise refuse(
            "letter",
            _("Cette lettre suit une réponse incomplète à une demande d'accès."),
        )
    if key == "letter:cada-referral" and facts.right != "medical-record":
        raise refuse("letter", _("La CADA ne traite que les demandes de dossier médical."))
    if event.kind == "complaint" and event.authority == "cada" and facts.right != "medical-record":
        raise refuse("authority", _("La CADA ne traite que les demandes de dossier médical."))


def check_date(facts: Facts, event: Event, today: dt.date) -> None:
    day = event.date
    if day > today:
        raise refuse("date", _("Cette date est dans le futur."))
    if day < EARLIEST:
        raise refuse("date", _("Indiquez une date à partir du 1er janvier 2000."))
    if event.kind == "sent" and facts.regime == "gdpr" and day < GDPR_START:
        raise refuse("date", _("Le RGPD s'applique aux demandes reçues à partir du 25 mai 2018."))
    if event.kind == "generated":
        return
    if event.kind == "received":
        assert facts.sent_on is not None
        if day < facts.sent_on:
            raise refuse("date", _("La demande ne peut pas être reçue avant d'être envoyée."))
        after_sending = [
            e.date
            for e in facts.events
            if e.kind in {"identity-requested", "extension", "commission", "answer"}
        ]
        if after_sending and day > min(after_sending):
            raise refuse(
                "date",
                _(
                    "La réception ne peut pas suivre ce que l'organisme a fait ensuite (le "
                    "%(day)s).",
                    day=long_date(min(after_sending)),
                ),
            )
        return
    if event.kind == "sent" and facts.generated_on is not None and day < facts.generated_on:
        raise refuse(
            "date",
            _(
                "La lettre a été préparée le %(day)s : elle ne peut pas avoir été envoyée avant.",
                day=long_date(facts.generated_on),
            ),
        )
    if facts.last_on is not None and day < facts.last_on:
        raise refuse(
            "date",
            _(
                "Cette date précède le dernier événement indiqué (le %(day)s).",
                day=long_date(facts.last_on),
            ),
        )
    if facts.received_on is not None and event.kind != "sent" and day < facts.received_on:
        raise refuse(
            "date",
            _(
                "Cette date précède la réception de la demande (le %(day)s).",
                day=long_date(facts.received_on),
            ),
        )
