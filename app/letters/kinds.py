"""The letter kinds: one definition each, from which every list of kinds is derived.

A kind says what a person sees (its label and explanation, its group on the choice page), what
the letter is made of (its options model and compose function, the word in its file name), the
deadline regime of the request it makes, and whether an association's helper may write it under
a member's mandate. Adding a kind means adding one `LetterKind` below (with its options model in
app.letters.options and its compose function in app.letters.compose);
tests/unit/letters/test_kind_registry.py lists the places that must agree with this registry and
fails when one does not.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from app.i18n import N_
from app.letters import options
from app.letters.compose.access import compose_access
from app.letters.compose.cada import compose_cada_referral
from app.letters.compose.common import Content, Request
from app.letters.compose.complaint import compose_complaint_file
from app.letters.compose.followups import compose_incomplete_answer, compose_reminder
from app.letters.compose.mandate import compose_mandate
from app.letters.compose.medical import compose_medical_record
from app.letters.compose.objection import compose_objection
from app.letters.compose.rights import (
    compose_erasure,
    compose_portability,
    compose_rectification,
)

Group = Literal["right", "follow-up", "mandate"]
# The period the addressee has to answer the letter's request: the GDPR's month (art. 12), the
# medical record's eight days or two months (CSP L1111-7), the CADA's month to give its opinion.
# None: the letter makes no new request with a period of its own (a follow-up, a mandate).
DeadlineRegime = Literal["gdpr", "medical-record", "cada"]
# Whether an association's helper may write it under a member's mandate:
# "right": when the mandate covers this right; "proceeding": when it covers the proceeding the
# follow-up belongs to; "complaint": when the mandate covers complaints to the CNIL; "never":
# the member writes it (a medical record: CSP R1111-1 does not name associations; the CADA).
HelperRule = Literal["right", "proceeding", "complaint", "never"]
Addressee = Literal["holder", "authority", "none"]
# The event of a tracked request that records the letter going out.
SentEvent = Literal["sent", "reminder", "complaint"]


@dataclass(frozen=True)
class LetterKind:
    name: str
    group: Group
    regime: DeadlineRegime | None
    options: type[options.Options]
    compose: Callable[[Request], Content]
    file_word: str  # in the file name: reprise-<file_word>-<platform>.pdf
    label: str  # N_ marked
    explanation: str  # N_ marked: plain French, one or two short sentences
    helper: HelperRule
    # Follow-ups: the buttons of a tracked request (read the letter, say it was sent).
    write_button: str | None = None  # N_ marked
    sent_button: str | None = None  # N_ marked
    # Whom the letter goes to: the holder of the data (a platform, a hospital), an authority
    # (the CNIL, the CADA: always in French, domain.md §6), or nobody (a mandate is handed over).
    addressee: Addressee = "holder"
    sent_event: SentEvent = "sent"

    @property
    def after_the_period(self) -> bool:
        """A follow-up saying the period to answer has passed: it cannot be sent before."""
        return issubclass(self.options, options.TimedFollowUpOptions)

    def helper_may_write(self, rights: Collection[str]) -> bool:
        """Whether a helper whose mandate covers `rights` may write this kind."""
        if self.helper == "right":
            return self.name in rights
        if self.helper == "complaint":
            return "complaint" in rights
        return self.helper == "proceeding"


LETTER_KINDS: dict[str, LetterKind] = {
    kind.name: kind
    for kind in (
        LetterKind(
            name="access",
            group="right",
            regime="gdpr",
            options=options.AccessOptions,
            compose=compose_access,
            file_word="acces",
            label=N_("Obtenir une copie de mes données"),
            explanation=N_(
                "Droit d'accès (article 15 du RGPD). La plateforme doit vous dire quelles "
                "données elle a sur vous, pourquoi, à qui elle les donne, combien de temps elle "
                "les garde, et vous en envoyer une copie gratuite."
            ),
            helper="right",
        ),
        LetterKind(
            name="erasure",
            group="right",
            regime="gdpr",
            options=options.ErasureOptions,
            compose=compose_erasure,
            file_word="effacement",
            label=N_("Faire effacer mes données"),
            explanation=N_(
                "Droit à l'effacement (article 17 du RGPD). La plateforme doit supprimer vos "
                "données, sauf si la loi l'oblige à en garder certaines : elle doit alors vous "
                "dire lesquelles et pourquoi."
            ),
            helper="right",
        ),
        LetterKind(
            name="objection",
            group="right",
            regime="gdpr",
            options=options.ObjectionOptions,
            compose=compose_objection,
            file_word="opposition",
            label=N_("Refuser une utilisation de mes données"),
            explanation=N_(
                "Droit d'opposition (article 21 du RGPD). Par exemple, refuser que vos données "
                "servent à la recherche, entrent dans un entrepôt de données de santé ou "
                "servent à de la publicité. La plateforme garde les données utiles à vos soins."
            ),
            helper="right",
        ),
        LetterKind(
            name="rectification",
            group="right",
            regime="gdpr",
            options=options.RectificationOptions,
            compose=compose_rectification,
            file_word="rectification",
            label=N_("Faire corriger mes données"),
            explanation=N_(
                "Droit de rectification (article 16 du RGPD). La plateforme doit corriger une "
                "information fausse et compléter une information incomplète."
            ),
            helper="right",
        ),
        LetterKind(
            name="portability",
            group="right",
            regime="gdpr",
            options=options.PortabilityOptions,
            compose=compose_portability,
            file_word="portabilite",
            label=N_("Récupérer mes données dans un fichier"),
            explanation=N_(
                "Droit à la portabilité (article 20 du RGPD). Vous recevez les données que vous "
                "avez fournies (mesures, historique) dans un fichier qu'un autre service peut "
                "lire. Vos données ne sont pas effacées."
            ),
            helper="right",
        ),
        LetterKind(
            name="medical-record",
            group="right",
            regime="medical-record",
            options=options.MedicalRecordOptions,
            compose=compose_medical_record,
            file_word="dossier-medical",
            label=N_("Obtenir mon dossier médical"),
            explanation=N_(
                "Code de la santé publique, article L. 1111-7. Un hôpital, une clinique ou un "
                "médecin doit vous communiquer votre dossier dans les huit jours (deux mois "
                "pour les informations de plus de cinq ans). Vos proches peuvent aussi le "
                "demander dans certains cas."
            ),
            helper="never",
        ),
        LetterKind(
            name="reminder",
            group="follow-up",
            regime=None,
            options=options.ReminderOptions,
            compose=compose_reminder,
            file_word="relance",
            label=N_("Relancer : pas de réponse dans le délai"),
            explanation=N_(
                "Vous avez déjà écrit, et le délai pour vous répondre est passé. La relance "
                "rappelle votre demande et la date où elle a été reçue."
            ),
            helper="proceeding",
            write_button=N_("Préparer la relance"),
            sent_button=N_("Indiquer l'envoi de la relance"),
            sent_event="reminder",
        ),
        LetterKind(
            name="incomplete-answer",
            group="follow-up",
            regime=None,
            options=options.IncompleteAnswerOptions,
            compose=compose_incomplete_answer,
            file_word="reponse-incomplete",
            label=N_("Signaler une réponse incomplète"),
            explanation=N_(
                "La plateforme a répondu à votre demande d'accès, mais il manque des éléments. "
                "La lettre liste, un par un, ceux que la loi l'oblige à donner."
            ),
            helper="proceeding",
            write_button=N_("Préparer la lettre de réponse incomplète"),
            sent_button=N_("Indiquer l'envoi de la lettre de réponse incomplète"),
            sent_event="reminder",
        ),
        LetterKind(
            name="complaint-file",
            group="follow-up",
            regime=None,
            options=options.ComplaintFileOptions,
            compose=compose_complaint_file,
            file_word="plainte-cnil",
            label=N_("Porter plainte auprès de la CNIL"),
            explanation=N_(
                "La CNIL est l'autorité qui fait respecter vos droits sur vos données. Le "
                "dossier raconte vos démarches, date par date, et liste les preuves à joindre. "
                "Il faut avoir d'abord écrit à la plateforme."
            ),
            helper="complaint",
            write_button=N_("Préparer le dossier de réclamation"),
            sent_button=N_("Indiquer le dépôt de la réclamation"),
            addressee="authority",
            sent_event="complaint",
        ),
        LetterKind(
            name="cada-referral",
            group="follow-up",
            regime="cada",
            options=options.CadaReferralOptions,
            compose=compose_cada_referral,
            file_word="saisine-cada",
            label=N_("Saisir la CADA (hôpital public)"),
            explanation=N_(
                "Un hôpital public n'a pas donné votre dossier médical un mois après votre "
                "demande, ou l'a refusé. La CADA, Commission d'accès aux documents "
                "administratifs, donne son avis. Vous avez deux mois pour la saisir."
            ),
            helper="never",
            write_button=N_("Préparer la saisine de la CADA"),
            sent_button=N_("Indiquer l'envoi de la saisine de la CADA"),
            addressee="authority",
            sent_event="complaint",
        ),
        LetterKind(
            name="mandate",
            group="mandate",
            regime=None,
            options=options.MandateOptions,
            compose=compose_mandate,
            file_word="mandat",
            label=N_("Faire agir un proche ou une association pour moi"),
            explanation=N_(
                "Un mandat permet à une personne de confiance ou à une association de faire "
                "les demandes à votre place. Il dit quels droits, quelles données, auprès de "
                "qui, pour combien de temps, et à qui les réponses sont envoyées."
            ),
            helper="never",
        ),
    )
}

# Derived views, for the modules that need only part of a kind.
KINDS: tuple[str, ...] = tuple(LETTER_KINDS)
KIND_INFO = LETTER_KINDS  # what the pages show of a kind
KIND_TEXTS = LETTER_KINDS  # how a kind's letter is composed and named
OPTION_MODELS: dict[str, type[options.Options]] = {k.name: k.options for k in LETTER_KINDS.values()}
RIGHT_KINDS: tuple[str, ...] = tuple(k.name for k in LETTER_KINDS.values() if k.group == "right")
FOLLOW_UP_KINDS: tuple[str, ...] = tuple(
    k.name for k in LETTER_KINDS.values() if k.group == "follow-up"
)
# The first requests the GDPR governs (the medical record is the Code de la santé publique's).
GDPR_KINDS: tuple[str, ...] = tuple(k.name for k in LETTER_KINDS.values() if k.regime == "gdpr")
# The rights a member may give a helper: the first requests a helper may write, and complaints.
MANDATE_RIGHTS: tuple[str, ...] = (
    *(k.name for k in LETTER_KINDS.values() if k.helper == "right"),
    "complaint",
)

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
