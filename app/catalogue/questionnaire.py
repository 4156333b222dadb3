"""The discovery questionnaire as data: one question per page, each leading to candidate platforms.

A patient rarely knows every platform that holds their data; the questions ask about their life
(appointments booked online, a hospital stay, a connected watch, a DNA test...) and each answer
names the platforms to write to. Answers are plain data: question id -> chosen values, where a
value is a platform slug, OTHER (an organisation to look up by name) or NONE.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.catalogue.loader import Catalogue
from app.catalogue.schema import Platform
from app.i18n import N_

OTHER = "autre"
NONE = "aucun"
Answers = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Question:
    """One question: its words, the platforms it proposes, and whether others can be looked up."""

    id: str
    text: str
    hint: str
    categories: tuple[str, ...] = ()
    slugs: tuple[str, ...] = ()
    # The label of the "another one" choice, when organisations can be looked up by name.
    other: str | None = None
    # The catalogue category of another organisation the person looks up by name.
    other_category: str | None = None
    # The request this question is about, when the platform allows it (e.g. objection to research).
    prefer: str | None = None

    def candidates(self, catalogue: Catalogue) -> list[Platform]:
        """The platforms this question proposes, in the catalogue's order."""
        wanted = set(self.slugs)
        return [
            platform
            for platform in catalogue.platforms
            if platform.slug in wanted or set(platform.categories) & set(self.categories)
        ]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "rendez-vous",
        N_("Avez-vous pris des rendez-vous médicaux sur internet ?"),
        N_(
            "Chez un médecin, un dentiste, un kinésithérapeute ou une infirmière. Le site "
            "garde votre compte, vos rendez-vous et parfois vos documents."
        ),
        slugs=("doctolib", "maiia", "libheros", "medicalib", "hellocare"),
    ),
    Question(
        "teleconsultation",
        N_("Avez-vous consulté un médecin en vidéo (téléconsultation) ?"),
        N_("Par une application, un site, ou une cabine installée en pharmacie."),
        slugs=("livi", "qare", "medadom", "ezra", "doctolib", "maiia", "hellocare"),
    ),
    Question(
        "hopital",
        N_("Avez-vous été hospitalisé, opéré ou soigné aux urgences ?"),
        N_(
            "Hôpitaux publics et cliniques gardent votre dossier médical au moins 20 ans. "
            "Vous pouvez en demander une copie."
        ),
        categories=("hospital",),
        other=N_("Un autre hôpital ou une autre clinique : vous le chercherez par son nom."),
        other_category="hospital",
    ),
    Question(
        "analyses",
        N_("Avez-vous fait des analyses de sang, un test ou des radios ?"),
        N_(
            "Le laboratoire ou le cabinet de radiologie garde vos résultats. Un prélèvement "
            "est parfois envoyé à un autre laboratoire, spécialisé."
        ),
        categories=("laboratory",),
        other=N_("Un autre laboratoire ou cabinet de radiologie : vous le chercherez par son nom."),
        other_category="laboratory",
    ),
    Question(
        "pharmacie",
        N_("Avez-vous une carte de fidélité de pharmacie, ou acheté en ligne ?"),
        N_(
            "Parapharmacie en ligne, programme de fidélité, ou la pharmacie où vous allez. Vos "
            "achats peuvent en dire beaucoup sur votre santé."
        ),
        categories=("pharmacy",),
        other=N_("Une autre pharmacie : vous la chercherez par son nom."),
        other_category="pharmacy",
    ),
    Question(
        "mutuelle",
        N_("Avez-vous une mutuelle ou une assurance santé ?"),
        N_(
            "Elle connaît vos remboursements, donc une partie de vos soins. Certaines proposent "
            "aussi des programmes de prévention en ligne."
        ),
        categories=("insurer",),
        slugs=("vivoptim",),
        other=N_("Une autre mutuelle ou assurance : vous la chercherez par son nom."),
        other_category="insurer",
    ),
    Question(
        "assurance-maladie",
        N_("Avez-vous un compte ameli ou Mon espace santé ?"),
        N_(
            "Depuis 2022, Mon espace santé est ouvert pour chaque assuré qui ne s'y est pas "
            "opposé. L'Assurance Maladie garde vos droits et vos remboursements."
        ),
        categories=("public-insurance", "public-body"),
    ),
    Question(
        "objets-connectes",
        N_("Utilisez-vous une montre, un bracelet, une balance ou un autre objet connecté ?"),
        N_("Il mesure votre cœur, votre sommeil, votre poids ou vos pas, et les envoie en ligne."),
        categories=("wearables",),
    ),
    Question(
        "sport",
        N_("Utilisez-vous une application de sport, de course ou de nutrition ?"),
        N_("Vos parcours, vos repas et votre poids sont gardés sur un compte en ligne."),
        categories=("fitness",),
    ),
    Question(
        "cycle",
        N_("Avez-vous suivi vos règles, votre fertilité ou une grossesse dans une application ?"),
        N_("Ces applications gardent des données très intimes : cycle, symptômes, rapports."),
        categories=("cycle",),
    ),
    Question(
        "sante-mentale",
        N_(
            "Avez-vous utilisé une application de méditation, de soutien psychologique ou de "
            "thérapie en ligne ?"
        ),
        N_("Même proposée par votre employeur, l'application garde vos échanges et vos humeurs."),
        categories=("mental-health",),
    ),
    Question(
        "adn",
        N_("Avez-vous fait un test ADN (origines, généalogie) ?"),
        N_(
            "Ou déposé le résultat d'un test sur un site de généalogie. Les données génétiques "
            "concernent aussi votre famille."
        ),
        categories=("genetics",),
    ),
    Question(
        "symptomes",
        N_("Avez-vous décrit vos symptômes à une application ou un assistant en ligne ?"),
        N_("Ces outils gardent les symptômes que vous avez saisis."),
        categories=("symptom-checker", "health-media"),
    ),
    Question(
        "documents",
        N_("Rangez-vous des documents de santé dans une application ?"),
        N_("Carnet de santé numérique, ordonnances, comptes rendus, suivi des enfants."),
        categories=("health-record",),
    ),
    Question(
        "recherche",
        N_("Voulez-vous refuser que vos données de santé servent à la recherche ?"),
        N_(
            "Les données de remboursement de chaque assuré sont versées au Système national des "
            "données de santé (SNDS). Des hôpitaux et des cohortes réutilisent aussi leurs "
            "données. Vous pouvez vous y opposer sans changer vos soins."
        ),
        categories=("research",),
        prefer="objection",
    ),
    Question(
        "programmes-patients",
        N_(
            "Avez-vous suivi un programme d'un laboratoire pharmaceutique, ou signalé un effet "
            "indésirable ?"
        ),
        N_(
            "Par exemple une application liée à un traitement, un stylo connecté, ou un "
            "signalement fait auprès d'un laboratoire."
        ),
        categories=("pharma", "data-broker"),
    ),
    Question(
        "travail",
        N_("Avez-vous été suivi par la médecine du travail ?"),
        N_(
            "Le service de santé au travail de votre employeur tient un dossier médical sur vous. "
            "Vous pouvez en demander une copie."
        ),
        categories=("occupational",),
        other=N_("Un autre service de santé au travail : vous le chercherez par son nom."),
        other_category="occupational",
    ),
)

BY_ID = {question.id: question for question in QUESTIONS}


def question_named(question_id: str) -> Question | None:
    return BY_ID.get(question_id)


def position(question_id: str) -> tuple[int, int]:
    """(1-based position, number of questions), for 'Question 3 sur 17'."""
    ids = [question.id for question in QUESTIONS]
    return ids.index(question_id) + 1, len(ids)


def next_question(question_id: str) -> Question | None:
    """The question after this one, or None after the last."""
    ids = [question.id for question in QUESTIONS]
    index = ids.index(question_id)
    return QUESTIONS[index + 1] if index + 1 < len(QUESTIONS) else None


def previous_question(question_id: str) -> Question | None:
    ids = [question.id for question in QUESTIONS]
    index = ids.index(question_id)
    return QUESTIONS[index - 1] if index > 0 else None


def first_unanswered(answers: Answers) -> Question | None:
    """Where the person left off: the first question without an answer, None when all are."""
    return next((question for question in QUESTIONS if question.id not in answers), None)


def clean_answer(question: Question, catalogue: Catalogue, values: Sequence[str]) -> list[str]:
    """The values a person may choose for `question`, in order; NONE alone wins over nothing.

    Raises ValueError naming the first value that the question does not propose.
    """
    allowed = {platform.slug for platform in question.candidates(catalogue)} | {NONE}
    if question.other:
        allowed.add(OTHER)
    chosen: list[str] = []
    for value in values:
        if value not in allowed:
            raise ValueError(value)
        if value not in chosen:
            chosen.append(value)
    if NONE in chosen and len(chosen) > 1:
        chosen.remove(NONE)
    return chosen
