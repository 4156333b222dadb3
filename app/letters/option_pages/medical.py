"""The option pages of a medical-record request: who asks, for whom, in what form."""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import N_
from app.letters.option_pages.questions import (
    OLDER_QUESTION,
    Choice,
    OptionPage,
    Options,
    Question,
)


def _requester_is(*values: str) -> Callable[[Options], bool]:
    return lambda options: options.get("requester", "self") in values


MEDICAL_RECORD_PAGES: tuple[OptionPage, ...] = (
    OptionPage(
        "medical-record",
        "demandeur",
        N_("Pour qui demandez-vous le dossier ?"),
        (
            Question(
                "requester",
                "radio",
                N_("Vous êtes"),
                None,
                (
                    Choice("self", N_("Le patient : c'est mon dossier")),
                    Choice(
                        "heir",
                        N_("Un héritier d'une personne décédée"),
                        N_(
                            "Pour connaître les causes de la mort, défendre sa mémoire ou "
                            "faire valoir vos droits."
                        ),
                    ),
                    Choice("cohabitant", N_("Son concubin ou sa concubine (personne décédée)")),
                    Choice("pacs-partner", N_("Son partenaire de PACS (personne décédée)")),
                    Choice("parent", N_("Un parent d'un enfant mineur")),
                    Choice(
                        "legal-representative",
                        N_("La personne chargée d'une mesure de protection"),
                        N_("Par exemple un tuteur."),
                    ),
                ),
            ),
        ),
    ),
    OptionPage(
        "medical-record",
        "patient",
        N_("Qui est le patient ?"),
        (
            Question("patient.given_name", "text", N_("Prénom du patient")),
            Question("patient.family_name", "text", N_("Nom du patient")),
            Question("patient.birth_date", "date", N_("Date de naissance du patient")),
        ),
        applies=lambda options: options.get("requester", "self") != "self",
    ),
    OptionPage(
        "medical-record",
        "mesure",
        N_("Quelle mesure de protection exercez-vous ?"),
        (
            Question(
                "protection",
                "radio",
                N_("La mesure est"),
                None,
                (
                    Choice(
                        "representation",
                        N_("Une mesure avec représentation relative à la personne"),
                        N_("Par exemple une tutelle : vous agissez à la place de la personne."),
                    ),
                    Choice(
                        "assistance",
                        N_("Une mesure avec assistance"),
                        N_(
                            "Par exemple une curatelle : la personne doit être d'accord et "
                            "signer la lettre avec vous."
                        ),
                    ),
                ),
            ),
        ),
        applies=_requester_is("legal-representative"),
    ),
    OptionPage(
        "medical-record",
        "deces",
        N_("Pourquoi avez-vous besoin du dossier ?"),
        (
            Question("patient.death_date", "date", N_("Date du décès")),
            Question(
                "heir_purposes",
                "checkboxes",
                N_("Vous en avez besoin pour"),
                N_("La loi ne permet la communication que pour ces raisons."),
                (
                    Choice("cause-of-death", N_("Connaître les causes de la mort")),
                    Choice("memory", N_("Défendre la mémoire de la personne")),
                    Choice("rights", N_("Faire valoir mes droits")),
                ),
            ),
        ),
        applies=_requester_is("heir", "cohabitant", "pacs-partner"),
    ),
    OptionPage(
        "medical-record",
        "destinataire",
        N_("À qui écrivez-vous ?"),
        (
            Question(
                "addressee",
                "radio",
                N_("La lettre est adressée"),
                None,
                (
                    Choice(
                        "director",
                        N_("À la direction de l'hôpital ou de la clinique"),
                        N_("Pour un séjour ou des soins dans un établissement."),
                    ),
                    Choice("practitioner", N_("Au médecin ou au professionnel qui vous a soigné")),
                ),
            ),
        ),
    ),
    OptionPage(
        "medical-record",
        "forme",
        N_("Comment voulez-vous recevoir le dossier ?"),
        (
            Question(
                "delivery",
                "radio",
                N_("Je veux"),
                None,
                (
                    Choice("post", N_("Des copies par courrier")),
                    Choice("email", N_("Des copies par e-mail, si c'est possible")),
                    Choice("on-site", N_("Le consulter sur place"), N_("C'est gratuit.")),
                    Choice(
                        "doctor",
                        N_("Qu'il soit envoyé à un médecin que je choisis"),
                        N_("Il vous l'expliquera."),
                    ),
                ),
            ),
        ),
    ),
    OptionPage(
        "medical-record",
        "medecin",
        N_("Quel médecin doit recevoir le dossier ?"),
        (
            Question("doctor.name", "text", N_("Nom du médecin")),
            Question("doctor.address_lines", "lines", N_("Adresse du médecin"), lines=2),
        ),
        applies=lambda options: options.get("delivery") == "doctor",
    ),
    OptionPage(
        "medical-record",
        "periode",
        N_("Les informations ont-elles plus de cinq ans ?"),
        (
            OLDER_QUESTION,
            Question(
                "period",
                "text",
                N_("Période, service ou soins concernés"),
                N_("Facultatif. Par exemple : séjour en cardiologie, mars 2024."),
            ),
        ),
    ),
)
