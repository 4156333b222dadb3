"""The questions each letter kind asks, one decision per page, as data.

The page template and the form parser are generic; the kind's options model checks every answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.i18n import N_

Options = Mapping[str, Any]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str | None = None


@dataclass(frozen=True)
class Question:
    """One field of an option page; `name` is the option's path (`agent.name`)."""

    name: str
    type: Literal["radio", "checkboxes", "yesno", "date", "text", "textarea", "lines"]
    label: str
    hint: str | None = None
    choices: tuple[Choice, ...] = ()
    maxlength: int = 200
    lines: int = 2  # for "lines": how many inputs
    number: int = 0  # fills %(number)s in the label (repeated groups)


@dataclass(frozen=True)
class OptionPage:
    kind: str
    slug: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None
    applies: Callable[[Options], bool] = field(default=lambda options: True)


def _requester_is(*values: str) -> Callable[[Options], bool]:
    return lambda options: options.get("requester", "self") in values


YES_NO = (Choice("yes", N_("Oui")), Choice("no", N_("Non")))

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
OLDER_QUESTION = Question(
    "older_than_5_years",
    "yesno",
    N_("Certaines informations datent de plus de cinq ans"),
    N_("Le délai est alors de deux mois au lieu de huit jours."),
    YES_NO,
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

OPTION_PAGES: tuple[OptionPage, ...] = (
    OptionPage(
        "access",
        "hebergement",
        N_("Voulez-vous aussi savoir où vos données sont hébergées ?"),
        (
            Question(
                "sovereignty",
                "yesno",
                N_("Poser les questions sur l'hébergement"),
                N_(
                    "La lettre demande qui héberge vos données, dans quel pays, si "
                    "l'hébergeur est certifié pour les données de santé (HDS) et si vos "
                    "données sont accessibles depuis un pays hors de l'Union européenne."
                ),
                YES_NO,
            ),
        ),
    ),
    OptionPage(
        "erasure",
        "motifs",
        N_("Pourquoi demandez-vous l'effacement ?"),
        (
            Question(
                "grounds",
                "checkboxes",
                N_("Cochez une ou plusieurs raisons"),
                N_("Une seule suffit. La loi les appelle les « motifs » de l'article 17."),
                (
                    Choice(
                        "no-longer-needed",
                        N_("Je n'utilise plus ce service"),
                        N_("Mes données ne servent plus à ce pour quoi je les ai données."),
                    ),
                    Choice(
                        "consent-withdrawn",
                        N_("Je retire mon accord"),
                        N_("J'avais accepté qu'elles soient utilisées ; je ne l'accepte plus."),
                    ),
                    Choice(
                        "objection",
                        N_("Je m'oppose à leur utilisation"),
                        N_("Par exemple pour de la publicité ou de la recherche."),
                    ),
                    Choice(
                        "unlawful",
                        N_("Elles sont utilisées illégalement"),
                        N_("Par exemple sans information ni accord."),
                    ),
                    Choice(
                        "legal-obligation",
                        N_("Une loi impose leur effacement"),
                    ),
                    Choice(
                        "child",
                        N_("Elles ont été collectées quand j'étais mineur"),
                        N_("Sur un site ou une application en ligne."),
                    ),
                ),
            ),
        ),
    ),
    OptionPage(
        "erasure",
        "compte",
        N_("Voulez-vous aussi fermer votre compte ?"),
        (
            Question(
                "close_account",
                "yesno",
                N_("Fermer mon compte"),
                N_(
                    "Si vous gardez le compte, la plateforme gardera ce qu'il faut pour "
                    "le faire marcher."
                ),
                YES_NO,
            ),
        ),
    ),
    OptionPage(
        "objection",
        "utilisations",
        N_("À quelles utilisations vous opposez-vous ?"),
        (
            Question(
                "purposes",
                "checkboxes",
                N_("Cochez une ou plusieurs utilisations"),
                None,
                (
                    Choice("research", N_("La recherche et les études")),
                    Choice(
                        "warehouse",
                        N_("Les entrepôts de données de santé"),
                        N_("Des bases qui rassemblent les données de nombreux patients."),
                    ),
                    Choice(
                        "prospecting",
                        N_("La publicité et la prospection"),
                        N_("Vous n'avez pas à vous justifier."),
                    ),
                    Choice("profiling", N_("Le profilage")),
                    Choice(
                        "legitimate",
                        N_("Toute autre utilisation que la plateforme décide seule"),
                        N_("Celles fondées sur son « intérêt légitime »."),
                    ),
                ),
            ),
        ),
    ),
    OptionPage(
        "objection",
        "situation",
        N_("Voulez-vous expliquer votre situation ?"),
        (
            Question(
                "situation",
                "textarea",
                N_("Votre situation, en quelques mots"),
                N_(
                    "Facultatif. Pour le profilage et les autres utilisations que la plateforme "
                    "décide seule, la loi demande une raison liée à votre situation, sans "
                    "justificatif. Sans texte, la lettre dit que ce sont des données de santé "
                    "que vous ne voulez pas voir servir à autre chose."
                ),
                maxlength=1000,
            ),
        ),
        # Only art. 21(1) asks for a reason: not direct marketing, not research.
        applies=lambda options: bool(
            {"profiling", "legitimate"} & set(options.get("purposes") or ())
        ),
    ),
    OptionPage(
        "rectification",
        "corrections",
        N_("Que faut-il corriger ?"),
        tuple(
            question
            for index in range(3)
            for question in (
                Question(
                    f"corrections.{index}.current",
                    "text",
                    N_("Information fausse (%(number)s)"),
                    N_("Recopiez-la telle qu'elle apparaît. Laissez vide pour un ajout."),
                    number=index + 1,
                ),
                Question(
                    f"corrections.{index}.corrected",
                    "text",
                    N_("Information exacte (%(number)s)"),
                    number=index + 1,
                ),
            )
        ),
        intro=N_(
            "Vous pouvez laisser ces champs vides : la lettre aura des espaces à remplir à la main."
        ),
    ),
    OptionPage(
        "portability",
        "destinataire",
        N_("Faut-il envoyer vos données directement à un autre service ?"),
        (
            Question(
                "transmit_to",
                "text",
                N_("Nom du service qui doit les recevoir"),
                N_("Facultatif. Sinon, les données vous sont envoyées à vous."),
            ),
        ),
    ),
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


def pages_for(kind: str, options: Options) -> list[OptionPage]:
    """The option pages that apply to this kind, given the answers so far."""
    return [page for page in OPTION_PAGES if page.kind == kind and page.applies(options)]


def option_page(kind: str, slug: str) -> OptionPage | None:
    return next((page for page in OPTION_PAGES if page.kind == kind and page.slug == slug), None)
