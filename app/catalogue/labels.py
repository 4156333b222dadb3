"""Words for people: the requests, the categories and the quality of a record."""

from __future__ import annotations

from app.i18n import N_

KIND_LABELS: dict[str, str] = {
    "access": N_("Demander une copie de vos données (droit d'accès)"),
    "erasure": N_("Demander l'effacement de vos données"),
    "objection": N_("Refuser l'utilisation de vos données (droit d'opposition)"),
    "rectification": N_("Faire corriger vos données (droit de rectification)"),
    "portability": N_("Récupérer vos données dans un format réutilisable (portabilité)"),
    "medical-record": N_("Demander une copie de votre dossier médical"),
}

# Short enough for a drop-down list on a phone.
KIND_CHOICES: dict[str, str] = {
    "access": N_("Copie de vos données (accès)"),
    "erasure": N_("Effacement de vos données"),
    "objection": N_("Opposition à leur utilisation"),
    "rectification": N_("Correction (rectification)"),
    "portability": N_("Données réutilisables (portabilité)"),
    "medical-record": N_("Copie du dossier médical"),
}

KIND_SHORT: dict[str, str] = {
    "access": N_("Accès"),
    "erasure": N_("Effacement"),
    "objection": N_("Opposition"),
    "rectification": N_("Rectification"),
    "portability": N_("Portabilité"),
    "medical-record": N_("Dossier médical"),
}

CATEGORY_LABELS: dict[str, str] = {
    "booking": N_("Prise de rendez-vous et téléconsultation"),
    "hospital": N_("Hôpitaux et cliniques"),
    "laboratory": N_("Laboratoires d'analyses et imagerie"),
    "pharmacy": N_("Pharmacies et pharmacies en ligne"),
    "public-insurance": N_("Assurance Maladie et Mon espace santé"),
    "insurer": N_("Mutuelles et assurances santé"),
    "research": N_("Recherche et entrepôts de données de santé"),
    "genetics": N_("Tests génétiques et généalogie"),
    "wearables": N_("Montres et objets connectés"),
    "fitness": N_("Applications de sport et de nutrition"),
    "cycle": N_("Règles, fertilité et grossesse"),
    "mental-health": N_("Santé mentale et bien-être"),
    "symptom-checker": N_("Analyse de symptômes"),
    "health-record": N_("Documents et carnets de santé"),
    "pharma": N_("Laboratoires pharmaceutiques et programmes patients"),
    "occupational": N_("Santé au travail"),
    "public-body": N_("Organismes publics de santé"),
    "data-broker": N_("Données de santé : études et courtiers"),
    "health-media": N_("Sites d'information santé avec compte"),
}

# To whom a request goes (a channel's addressee).
ADDRESSEE_LABELS: dict[str, str] = {
    "dpo": N_("Délégué à la protection des données (DPO)"),
    "privacy-team": N_("Service chargé des données personnelles"),
    "director": N_("Directeur de l'établissement"),
    "patient-relations": N_("Service des relations avec les usagers"),
    "medical-records": N_("Service des dossiers médicaux"),
    "customer-service": N_("Service client"),
    "legal": N_("Service juridique"),
    "organisation": N_("L'organisme (pas de service désigné)"),
}

QUALITY_LABELS: dict[str, str] = {
    "verified": N_("Adresse vérifiée dans un document récent de la plateforme"),
    "secondary": N_("Adresse venant d'une source ancienne ou indirecte : à vérifier"),
    "unverified": N_("Adresse non trouvée : à vérifier avant d'envoyer"),
}
