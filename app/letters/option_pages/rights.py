"""The option pages of the first requests under the GDPR (access to portability)."""

from __future__ import annotations

from app.i18n import N_
from app.letters.option_pages.questions import YES_NO, Choice, OptionPage, Question

RIGHT_PAGES: tuple[OptionPage, ...] = (
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
)
