"""The option pages of the follow-ups: the first request, its dates, what the answer lacked."""

from __future__ import annotations

from app.i18n import N_
from app.letters.option_pages.questions import (
    OLDER_QUESTION,
    YES_NO,
    Choice,
    OptionPage,
    Options,
    Question,
)

FOLLOW_UP_QUESTIONS = (
    Question(
        "request_kind",
        "radio",
        N_("Quelle demande aviez-vous envoyée ?"),
        choices=(
            Choice("access", N_("Accès à mes données")),
            Choice("erasure", N_("Effacement de mes données")),
            Choice("objection", N_("Opposition")),
            Choice("rectification", N_("Rectification")),
            Choice("portability", N_("Portabilité")),
            Choice("medical-record", N_("Dossier médical")),
        ),
    ),
    Question(
        "request_date",
        "date",
        N_("Date d'envoi de votre demande"),
        N_("Laissez vide si vous ne la connaissez pas : un espace sera laissé sur la lettre."),
    ),
    Question(
        "received",
        "date",
        N_("Date de réception par la plateforme"),
        N_("Elle figure sur l'accusé de réception, ou c'est la date de votre e-mail."),
    ),
    Question(
        "channel",
        "radio",
        N_("Comment l'aviez-vous envoyée ?"),
        choices=(
            Choice("post", N_("Lettre recommandée")),
            Choice("email", N_("E-mail")),
            Choice("web-form", N_("Formulaire du site")),
        ),
    ),
)

EXTENDED_QUESTION = Question(
    "extended",
    "yesno",
    N_("Elle a prolongé le délai de deux mois"),
    N_("Elle doit l'annoncer, avec ses raisons, dans le premier mois."),
    YES_NO,
)
IDENTITY_QUESTIONS = (
    Question(
        "identity_requested",
        "date",
        N_("Date de sa demande de justificatif"),
        N_("Laissez vide si elle ne vous a rien demandé. Le délai s'arrête jusqu'à votre réponse."),
    ),
    Question("identity_answered", "date", N_("Date à laquelle vous avez répondu")),
)


def _gdpr_request(options: Options) -> bool:
    return bool(options.get("request_kind", "access") != "medical-record")


MISSING_CHOICES = (
    Choice("copy", N_("La copie de mes données")),
    Choice("purposes", N_("À quoi servent mes données (finalités)")),
    Choice("categories", N_("Quelles catégories de données")),
    Choice("recipients", N_("À qui elles sont communiquées (destinataires)")),
    Choice("retention", N_("Combien de temps elles sont gardées")),
    Choice("rights", N_("Mes droits (rectification, effacement, opposition)")),
    Choice("complaint", N_("Mon droit de me plaindre à la CNIL")),
    Choice("source", N_("D'où viennent les données que je n'ai pas fournies")),
    Choice("automated", N_("Les décisions automatisées et le profilage")),
    Choice("safeguards", N_("Les garanties pour un transfert hors de l'Union européenne")),
    Choice("hosting", N_("Qui héberge mes données, et où")),
    Choice("hds", N_("Si l'hébergeur est certifié HDS")),
    Choice("transfers", N_("Si mes données sont accessibles depuis l'étranger")),
)

FOLLOW_UP_PAGES: tuple[OptionPage, ...] = (
    OptionPage("reminder", "demande", N_("Votre première demande"), FOLLOW_UP_QUESTIONS),
    OptionPage(
        "reminder",
        "prolongation",
        N_("La plateforme a-t-elle annoncé une prolongation ?"),
        (EXTENDED_QUESTION,),
        applies=_gdpr_request,
    ),
    OptionPage(
        "reminder",
        "justificatif",
        N_("La plateforme vous a-t-elle demandé un justificatif d'identité ?"),
        IDENTITY_QUESTIONS,
        applies=_gdpr_request,
    ),
    OptionPage(
        "reminder",
        "anciennete",
        N_("Les informations ont-elles plus de cinq ans ?"),
        (OLDER_QUESTION,),
        applies=lambda options: not _gdpr_request(options),
    ),
    OptionPage(
        "incomplete-answer", "demande", N_("Votre demande d'accès"), FOLLOW_UP_QUESTIONS[1:]
    ),
    OptionPage(
        "incomplete-answer",
        "manques",
        N_("Que manque-t-il dans la réponse ?"),
        (
            Question("answer_date", "date", N_("Date de la réponse")),
            Question(
                "missing",
                "checkboxes",
                N_("Cochez ce qui manque"),
                N_("Sans rien cocher, la lettre aura des espaces à remplir à la main."),
                MISSING_CHOICES,
            ),
        ),
    ),
    OptionPage("complaint-file", "demande", N_("Votre demande"), FOLLOW_UP_QUESTIONS),
    OptionPage(
        "complaint-file",
        "suite",
        N_("Qu'est-il arrivé ensuite ?"),
        (
            Question(
                "outcome",
                "radio",
                N_("La plateforme"),
                None,
                (
                    Choice("no-answer", N_("N'a pas répondu dans le délai")),
                    Choice("incomplete", N_("A répondu, mais pas complètement")),
                    Choice("refused", N_("A refusé")),
                    Choice("wrong", N_("A répondu à côté")),
                ),
            ),
            Question(
                "reminder_date", "date", N_("Date de votre relance, si vous en avez envoyé une")
            ),
            Question("answer_date", "date", N_("Date de sa réponse, si elle a répondu")),
            Question(
                "details",
                "textarea",
                N_("Précisions"),
                N_("Facultatif. Ce qui manque ou ce qui ne va pas, en quelques phrases."),
                maxlength=1000,
            ),
        ),
    ),
    OptionPage(
        "complaint-file",
        "delai",
        N_("Le délai de réponse a-t-il changé ?"),
        (EXTENDED_QUESTION, *IDENTITY_QUESTIONS),
        applies=lambda options: (
            _gdpr_request(options) and options.get("outcome", "no-answer") == "no-answer"
        ),
    ),
    OptionPage(
        "cada-referral",
        "demande",
        N_("Votre demande de dossier médical"),
        (
            Question("request_date", "date", N_("Date d'envoi de votre demande")),
            Question("received", "date", N_("Date de réception par l'hôpital")),
            Question(
                "refusal_date",
                "date",
                N_("Date du refus écrit, s'il y en a un"),
                N_("Laissez vide si l'hôpital n'a pas répondu : un mois de silence vaut refus."),
            ),
        ),
    ),
)
