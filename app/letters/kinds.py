"""Letter kinds as a person sees them: a name, what the letter does, when to choose it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.i18n import N_

Group = Literal["right", "follow-up", "mandate"]


@dataclass(frozen=True)
class KindInfo:
    name: str
    label: str  # N_ marked
    explanation: str  # N_ marked: plain French, one or two short sentences
    group: Group


KIND_INFO: dict[str, KindInfo] = {
    info.name: info
    for info in (
        KindInfo(
            "access",
            N_("Obtenir une copie de mes données"),
            N_(
                "Droit d'accès (article 15 du RGPD). La plateforme doit vous dire quelles "
                "données elle a sur vous, pourquoi, à qui elle les donne, combien de temps elle "
                "les garde, et vous en envoyer une copie gratuite."
            ),
            "right",
        ),
        KindInfo(
            "erasure",
            N_("Faire effacer mes données"),
            N_(
                "Droit à l'effacement (article 17 du RGPD). La plateforme doit supprimer vos "
                "données, sauf si la loi l'oblige à en garder certaines : elle doit alors vous "
                "dire lesquelles et pourquoi."
            ),
            "right",
        ),
        KindInfo(
            "objection",
            N_("Refuser une utilisation de mes données"),
            N_(
                "Droit d'opposition (article 21 du RGPD). Par exemple, refuser que vos données "
                "servent à la recherche, entrent dans un entrepôt de données de santé ou "
                "servent à de la publicité. La plateforme garde les données utiles à vos soins."
            ),
            "right",
        ),
        KindInfo(
            "rectification",
            N_("Faire corriger mes données"),
            N_(
                "Droit de rectification (article 16 du RGPD). La plateforme doit corriger une "
                "information fausse et compléter une information incomplète."
            ),
            "right",
        ),
        KindInfo(
            "portability",
            N_("Récupérer mes données dans un fichier"),
            N_(
                "Droit à la portabilité (article 20 du RGPD). Vous recevez les données que vous "
                "avez fournies (mesures, historique) dans un fichier qu'un autre service peut "
                "lire. Vos données ne sont pas effacées."
            ),
            "right",
        ),
        KindInfo(
            "medical-record",
            N_("Obtenir mon dossier médical"),
            N_(
                "Code de la santé publique, article L. 1111-7. Un hôpital, une clinique ou un "
                "médecin doit vous communiquer votre dossier dans les huit jours (deux mois "
                "pour les informations de plus de cinq ans). Vos proches peuvent aussi le "
                "demander dans certains cas."
            ),
            "right",
        ),
        KindInfo(
            "reminder",
            N_("Relancer : pas de réponse dans le délai"),
            N_(
                "Vous avez déjà écrit, et le délai pour vous répondre est passé. La relance "
                "rappelle votre demande et la date où elle a été reçue."
            ),
            "follow-up",
        ),
        KindInfo(
            "incomplete-answer",
            N_("Signaler une réponse incomplète"),
            N_(
                "La plateforme a répondu à votre demande d'accès, mais il manque des éléments. "
                "La lettre liste, un par un, ceux que la loi l'oblige à donner."
            ),
            "follow-up",
        ),
        KindInfo(
            "complaint-file",
            N_("Porter plainte auprès de la CNIL"),
            N_(
                "La CNIL est l'autorité qui fait respecter vos droits sur vos données. Le "
                "dossier raconte vos démarches, date par date, et liste les preuves à joindre. "
                "Il faut avoir d'abord écrit à la plateforme."
            ),
            "follow-up",
        ),
        KindInfo(
            "cada-referral",
            N_("Saisir la CADA (hôpital public)"),
            N_(
                "Un hôpital public n'a pas donné votre dossier médical un mois après votre "
                "demande, ou l'a refusé. La CADA, Commission d'accès aux documents "
                "administratifs, donne son avis. Vous avez deux mois pour la saisir."
            ),
            "follow-up",
        ),
        KindInfo(
            "mandate",
            N_("Faire agir un proche ou une association pour moi"),
            N_(
                "Un mandat permet à une personne de confiance ou à une association de faire "
                "les demandes à votre place. Il dit quels droits, quelles données, auprès de "
                "qui, pour combien de temps, et à qui les réponses sont envoyées."
            ),
            "mandate",
        ),
    )
}

GROUP_TITLES: dict[Group, str] = {
    "right": N_("Faire une première demande"),
    "follow-up": N_("Après une première demande"),
    "mandate": N_("Faire agir quelqu'un pour moi"),
}


def kinds_for(categories: Sequence[str], public: bool | None = None) -> list[str]:
    """The kinds worth offering for a holder (the CADA only for hospitals that may be public)."""
    names = list(KIND_INFO)
    if public is False or ("hospital" not in categories and not public):
        names.remove("cada-referral")
    return names
