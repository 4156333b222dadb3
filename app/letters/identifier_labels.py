"""The catalogue's identifier labels as a letter prints them.

A catalogue label is a question to the person ("Numéro du kit ADN (s'il est connu)"); in the
letter it names a reference for the organisation ("Numéro du kit ADN"), in the first person,
without the form's hint, and translated in an English letter."""

from __future__ import annotations

from app.i18n import N_
from app.i18n import gettext as _

# catalogue label -> letter label (N_ marked: an English letter translates it).
LETTER_LABELS: dict[str, str] = {
    "Adresse Gmail ou adresse e-mail du compte Google": N_("Adresse e-mail du compte Google"),
    "Adresse de livraison, si elle diffère de votre adresse": N_("Adresse de livraison"),
    "Adresse e-mail du compte": N_("Adresse e-mail du compte"),
    "Adresse e-mail du compte Alan": N_("Adresse e-mail du compte Alan"),
    "Adresse e-mail du compte Samsung": N_("Adresse e-mail du compte Samsung"),
    "Adresse e-mail du compte Vivoptim": N_("Adresse e-mail du compte Vivoptim"),
    "Adresse e-mail professionnelle utilisée": N_("Adresse e-mail professionnelle utilisée"),
    "Adresse e-mail utilisée (si vous avez un compte)": N_("Adresse e-mail utilisée"),
    "Adresse où les soins ont eu lieu": N_("Adresse où les soins ont eu lieu"),
    "Ancienne adresse connue de l'assureur, si vous avez déménagé": N_("Ancienne adresse postale"),
    "Banque et numéro du prêt (assurance emprunteur)": N_(
        "Banque et numéro du prêt (assurance emprunteur)"
    ),
    "Centre où vous avez été soigné": N_("Centre de soins"),
    "Date approximative de l'utilisation": N_("Date approximative de l'utilisation"),
    "Date approximative du signalement ou de l'inscription": N_(
        "Date approximative du signalement ou de l'inscription"
    ),
    "Date et lieu de l'examen": N_("Date et lieu de l'examen"),
    "Date et lieu du prélèvement": N_("Date et lieu du prélèvement"),
    "HUAWEI ID (adresse e-mail ou numéro de téléphone)": N_("HUAWEI ID"),
    "Hôpital de l'AP-HP fréquenté": N_("Hôpital de l'AP-HP fréquenté"),
    "Hôpital et dates de séjour ou de consultation": N_(
        "Hôpital et dates de séjour ou de consultation"
    ),
    "Identifiant Apple (adresse e-mail du compte Apple)": N_("Identifiant Apple"),
    "Identifiant mySYNLAB ou adresse e-mail du compte": N_(
        "Identifiant mySYNLAB ou adresse e-mail du compte"
    ),
    "Identifiant patient AP-HP (IPP), si vous l'avez": N_("Identifiant patient AP-HP (IPP)"),
    "Lieu et date approximative de vos derniers dons": N_(
        "Lieu et date approximative de mes derniers dons"
    ),
    "Nom d'utilisateur Geneanet": N_("Nom d'utilisateur Geneanet"),
    "Nom de l'employeur": N_("Nom de l'employeur"),
    "Nom de l'employeur (contrat collectif)": N_("Nom de l'employeur (contrat collectif)"),
    "Nom de l'essai clinique, si vous y avez participé": N_("Nom de l'essai clinique"),
    "Nom de l'étude ou du service, si vous le connaissez": N_("Nom de l'étude ou du service"),
    "Nom de la personne suivie, si vous écrivez pour votre enfant": N_("Nom de la personne suivie"),
    "Nom de naissance, s'il est différent de votre nom actuel": N_("Nom de naissance"),
    "Nom de votre mutuelle": N_("Nom de ma mutuelle"),
    "Nom du centre de traitement qui vous suit": N_("Nom du centre de traitement qui me suit"),
    "Nom du médecin prescripteur et de l'hôpital": N_(
        "Nom du médecin prescripteur et de l'hôpital"
    ),
    "Nom du médicament ou du programme concerné": N_("Nom du médicament ou du programme concerné"),
    "Nom et adresse de l'employeur (actuel ou ancien)": N_(
        "Nom et adresse de l'employeur (actuel ou ancien)"
    ),
    "Numéro d'adhérent ou de contrat": N_("Numéro d'adhérent ou de contrat"),
    "Numéro d'adhésion ou de contrat": N_("Numéro d'adhésion ou de contrat"),
    "Numéro de carte de fidélité": N_("Numéro de carte de fidélité"),
    "Numéro de commande": N_("Numéro de commande"),
    "Numéro de donneur (sur votre carte de donneur)": N_("Numéro de donneur"),
    "Numéro de dossier de pension d'invalidité, si vous en avez un": N_(
        "Numéro de dossier de pension d'invalidité"
    ),
    "Numéro de dossier ou de demande (sur le compte rendu)": N_("Numéro de dossier ou de demande"),
    "Numéro de sécurité sociale (NIR)": N_("Numéro de sécurité sociale (NIR)"),
    "Numéro de sécurité sociale (NIR), si vous le souhaitez, pour qu'il retrouve vos données": N_(
        "Numéro de sécurité sociale (NIR)"
    ),
    "Numéro de sécurité sociale (si MGEN gère votre régime obligatoire)": N_(
        "Numéro de sécurité sociale (NIR)"
    ),
    "Numéro de série du stylo connecté (si concerné)": N_("Numéro de série du stylo connecté"),
    "Numéro de téléphone du compte": N_("Numéro de téléphone du compte"),
    "Numéro de volontaire Constances, si vous l'avez": N_("Numéro de volontaire Constances"),
    "Numéro du kit ADN (s'il est connu)": N_("Numéro du kit ADN"),
    "Pharmacie où la carte a été créée": N_("Pharmacie où la carte a été créée"),
    "Prénom des enfants enregistrés": N_("Prénom des enfants enregistrés"),
    "Pseudonyme sur les forums": N_("Pseudonyme sur les forums"),
    "Période pendant laquelle vous avez été suivi": N_("Période de suivi"),
    "Service et dates de séjour ou de consultation": N_(
        "Service et dates de séjour ou de consultation"
    ),
    "Type d'examen (radio, scanner, IRM, échographie)": N_("Type d'examen"),
    "Établissement ou médecin qui vous suit pour le cancer": N_(
        "Établissement ou médecin qui me suit pour le cancer"
    ),
    "Établissement où vous travaillez ou avez travaillé": N_(
        "Établissement où je travaille ou ai travaillé"
    ),
    "Adresse e-mail du compte (ou compte Apple, Google ou Facebook utilisé pour se connecter)": N_(
        "Adresse e-mail du compte"
    ),
    "Adresse e-mail du compte Nowa": N_("Adresse e-mail du compte Nowa"),
    "Adresse e-mail du compte OMRON connect": N_("Adresse e-mail du compte OMRON connect"),
    "Adresse e-mail du compte mySugr": N_("Adresse e-mail du compte mySugr"),
    "Adresse e-mail du compte patient": N_("Adresse e-mail du compte patient"),
    "Date approximative du signalement ou de la demande": N_(
        "Date approximative du signalement ou de la demande"
    ),
    "Date approximative du signalement ou de la demande d'information": N_(
        "Date approximative du signalement ou de la demande d'information"
    ),
    "Modèle de l'appareil (tensiomètre, balance)": N_("Modèle de l'appareil"),
    "Nom de l'enquête ou de l'étude et année de participation": N_(
        "Nom de l'enquête ou de l'étude et année de participation"
    ),
    "Nom de la mutuelle du groupe qui gère votre contrat": N_(
        "Nom de la mutuelle du groupe qui gère mon contrat"
    ),
    "Nom du médicament concerné": N_("Nom du médicament concerné"),
    "Nom du produit concerné": N_("Nom du produit concerné"),
    "Nom et ville de votre médecin traitant": N_("Nom et ville de mon médecin traitant"),
    "Pharmacie et date de la téléconsultation": N_("Pharmacie et date de la téléconsultation"),
    (
        "À quel titre l'Agence détient vos données"
        " (don, greffe, assistance médicale à la procréation)"
    ): N_("À quel titre l'Agence détient mes données"),
}


def letter_label(label: str, known: frozenset[str] = frozenset()) -> str:
    """How a letter prints an identifier's label: the catalogue's as the letter words it, in
    the letter's language; a label `known` to the translations, translated; else as typed."""
    if label in LETTER_LABELS:
        return _(LETTER_LABELS[label])
    return _(label) if label in known else label
