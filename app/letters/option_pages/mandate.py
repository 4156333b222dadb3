"""The option pages of a mandate: who acts, for which rights, for how long."""

from __future__ import annotations

from app.i18n import N_
from app.letters.option_pages.questions import YES_NO, Choice, OptionPage, Question

MANDATE_PAGES: tuple[OptionPage, ...] = (
    OptionPage(
        "mandate",
        "mandataire",
        N_("Qui agira pour vous ?"),
        (
            Question("agent.name", "text", N_("Nom du mandataire")),
            Question(
                "agent.kind",
                "radio",
                N_("C'est"),
                None,
                (
                    Choice("person", N_("Une personne")),
                    Choice("association", N_("Une association")),
                ),
            ),
            Question("agent.address_lines", "lines", N_("Adresse du mandataire"), lines=2),
            Question(
                "article_80",
                "yesno",
                N_("L'association remplit les conditions pour porter plainte en votre nom"),
                N_(
                    "Seulement si l'association vous l'a déclaré : la loi le réserve aux "
                    "associations qui remplissent certaines conditions (article 80 du RGPD). "
                    "Sinon, elle vous aide à préparer la plainte, que vous déposez vous-même."
                ),
                YES_NO,
            ),
        ),
    ),
    OptionPage(
        "mandate",
        "droits",
        N_("Que pourra-t-il faire pour vous ?"),
        (
            Question(
                "rights",
                "checkboxes",
                N_("Les droits qu'il exercera"),
                None,
                (
                    Choice("access", N_("Demander une copie de mes données")),
                    Choice("rectification", N_("Faire corriger mes données")),
                    Choice("erasure", N_("Faire effacer mes données")),
                    Choice("objection", N_("M'opposer à une utilisation")),
                    Choice("portability", N_("Récupérer mes données dans un fichier")),
                    Choice("complaint", N_("Porter plainte auprès de la CNIL")),
                ),
            ),
            Question(
                "data",
                "textarea",
                N_("Données concernées"),
                N_("Facultatif. Sans texte : toutes vos données, y compris de santé."),
                maxlength=1000,
            ),
        ),
    ),
    OptionPage(
        "mandate",
        "duree",
        N_("Pour combien de temps, et qui reçoit les réponses ?"),
        (
            Question("start", "date", N_("Début du mandat"), N_("Sans date : aujourd'hui.")),
            Question("end", "date", N_("Fin du mandat"), N_("Sans date : un an après le début.")),
            Question(
                "answers_to",
                "radio",
                N_("Les réponses des plateformes sont envoyées"),
                None,
                (Choice("principal", N_("À moi")), Choice("agent", N_("Au mandataire"))),
            ),
        ),
    ),
)
