"""The medical record (CSP L1111-7); the CADA referral is in app.letters.compose.cada."""

from __future__ import annotations

from dataclasses import replace

from app.deadlines.periods import (
    MEDICAL_RECORD_DAYS,
    MEDICAL_RECORD_LONG_MONTHS,
    period,
    phrase,
)
from app.i18n import N_
from app.i18n import gettext as _
from app.letters.compose.access import CJEU_FIRST_COPY
from app.letters.compose.common import Content, Request, date_or_blank, last_item, sentence
from app.letters.document import Blank, Block, Bullets, Paragraph, Part
from app.letters.options import MedicalRecordOptions, Patient

HEIR_PURPOSE_TEXT: dict[str, str] = {
    "cause-of-death": N_("connaître les causes de sa mort ;"),
    "memory": N_("défendre sa mémoire ;"),
    "rights": N_("faire valoir mes droits."),
}
HEIR_RELATION: dict[str, str] = {
    "heir": N_("ayant droit"),
    "cohabitant": N_("concubin ou concubine"),
    "pacs-partner": N_("partenaire lié par un pacte civil de solidarité"),
}
DEFAULT_SCOPE = N_(
    "l'ensemble des informations concernant ma santé que vous détenez, en particulier les "
    "comptes rendus de consultation, d'hospitalisation, d'opération et d'examens, les "
    "résultats d'analyses et d'imagerie, les prescriptions et les courriers échangés entre "
    "professionnels"
)


def _patient_name(patient: Patient | None) -> Part:
    if patient is None:
        return Blank(_("prénom et nom du patient"))
    return f"{patient.given_name} {patient.family_name}"


def _patient_sentence(options: MedicalRecordOptions) -> list[Block]:
    """Who the record is about and in what capacity the writer asks (CSP R1111-1, L1110-4)."""
    patient = options.patient
    name = _patient_name(patient)
    born = date_or_blank(patient.birth_date if patient else None, _("date de naissance"))
    requester = options.requester
    if requester in HEIR_RELATION:
        died = date_or_blank(patient.death_date if patient else None, _("date du décès"))
        purposes = [_(HEIR_PURPOSE_TEXT[purpose]) for purpose in options.heir_purposes]
        purposes[-1] = last_item(purposes[-1])
        return [
            sentence(
                N_(
                    "Je suis %(relation)s de %(name)s (date de naissance : %(born)s ; date du "
                    "décès : %(died)s)."
                ),
                relation=_(HEIR_RELATION[requester]),
                name=name,
                born=born,
                died=died,
            ),
            Paragraph.of(
                _(
                    "En application des articles L. 1110-4 (V) et L. 1111-7 du code de la "
                    "santé publique, je vous demande la communication des informations de son "
                    "dossier médical qui me sont nécessaires pour :"
                )
            ),
            Bullets.of(*purposes),
            Paragraph.of(
                _(
                    "À ma connaissance, cette personne ne s'est pas opposée de son vivant à "
                    "cette communication."
                )
            ),
        ]
    blocks: list[Block]
    if requester == "parent":
        blocks = [
            sentence(
                N_(
                    "Je suis titulaire de l'autorité parentale sur %(name)s (date de naissance : "
                    "%(born)s)."
                ),
                name=name,
                born=born,
            )
        ]
    elif options.protection == "assistance":
        blocks = [
            sentence(
                N_(
                    "J'assiste %(name)s (date de naissance : %(born)s) au titre d'une mesure de "
                    "protection juridique avec assistance. Cette personne consent à la présente "
                    "demande et la signe avec moi."
                ),
                name=name,
                born=born,
            )
        ]
    else:
        blocks = [
            sentence(
                N_(
                    "J'exerce la mesure de protection juridique avec représentation relative à "
                    "la personne de %(name)s (date de naissance : %(born)s)."
                ),
                name=name,
                born=born,
            )
        ]
    blocks.append(
        Paragraph.of(
            _(
                "En cette qualité, et en application des articles L. 1111-7 et R. 1111-1 du "
                "code de la santé publique, je vous demande la communication de son dossier "
                "médical : l'ensemble des informations concernant sa santé que vous détenez."
            )
        )
    )
    return blocks


def _remedy(request: Request, options: MedicalRecordOptions) -> Paragraph:
    """Where the person turns without an answer. Someone asking for another person (an heir
    above all: the GDPR does not apply to the dead) has the CADA or the courts, not the CNIL."""
    public = request.recipient.public
    if options.requester == "self":
        return Paragraph.of(
            _(
                "Sans réponse dans ces délais, je pourrai saisir la CNIL d'une réclamation "
                "(article 77 du RGPD) et, pour un établissement public de santé, la Commission "
                "d'accès aux documents administratifs (CADA)."
            )
        )
    if public:
        text = _(
            "Sans réponse dans ces délais, je saisirai la Commission d'accès aux documents "
            "administratifs (CADA)."
        )
    elif public is False:
        text = _("Sans réponse dans ces délais, je pourrai saisir le juge.")
    else:
        text = _(
            "Sans réponse dans ces délais, je pourrai saisir la Commission d'accès aux "
            "documents administratifs (CADA) s'il s'agit d'un établissement public, ou sinon "
            "le juge."
        )
    return Paragraph.of(text)


def _delivery(request: Request, options: MedicalRecordOptions) -> list[Block]:
    if options.delivery == "on-site":
        return [
            Paragraph.of(
                _(
                    "Je souhaite consulter ces documents sur place, gratuitement, et obtenir "
                    "à cette occasion la copie de ceux que je choisirai. Merci de me proposer "
                    "un rendez-vous (article R. 1111-2 du code de la santé publique)."
                )
            )
        ]
    if options.delivery == "doctor":
        doctor = options.doctor
        name: Part = doctor.name if doctor else Blank(_("nom du médecin"))
        address: Part = (
            ", ".join(doctor.address_lines)
            if doctor and doctor.address_lines
            else Blank(_("adresse du médecin"))
        )
        blocks: list[Block] = [
            sentence(
                N_(
                    "Je souhaite que ces documents soient communiqués au médecin que je désigne "
                    "comme intermédiaire (article L. 1111-7 du code de la santé publique) : "
                    "%(name)s, %(address)s."
                ),
                name=name,
                address=address,
            )
        ]
    elif options.delivery == "email":
        email: Part = request.identity.email or Blank(_("adresse e-mail"))
        blocks = [
            sentence(
                N_(
                    "Je souhaite recevoir une copie de ces documents par voie électronique, à "
                    "l'adresse %(email)s, si vous en avez la possibilité, ou à défaut par "
                    "courrier (article R. 1111-2 du code de la santé publique)."
                ),
                email=email,
            )
        ]
    else:
        blocks = [
            Paragraph.of(
                _(
                    "Je souhaite recevoir une copie de ces documents par courrier, à "
                    "l'adresse indiquée ci-dessus (article R. 1111-2 du code de la santé "
                    "publique)."
                )
            )
        ]
    if options.requester == "self":
        blocks.append(
            Paragraph.of(
                _(
                    "La première copie de ces données doit être fournie gratuitement (article "
                    "15, paragraphe 3, du RGPD ; %(case)s).",
                    case=_(CJEU_FIRST_COPY),
                )
            )
        )
    return blocks


def compose_medical_record(request: Request) -> Content:
    options = request.options
    assert isinstance(options, MedicalRecordOptions)
    blocks: list[Block] = []
    if options.requester == "self":
        blocks.append(
            Paragraph.of(
                _(
                    "En application de l'article L. 1111-7 du code de la santé publique, je "
                    "vous demande la communication de mon dossier médical : %(scope)s.",
                    scope=_(DEFAULT_SCOPE),
                )
            )
        )
    else:
        blocks += _patient_sentence(options)
    if options.period:
        blocks.append(
            Paragraph.of(
                _("Période, service ou soins concernés : %(period)s.", period=options.period)
            )
        )
    blocks += _delivery(request, options)
    blocks.append(
        Paragraph.of(
            _(
                "L'article L. 1111-7 prévoit que ces informations soient communiquées au plus "
                "tard dans les %(period)s suivant la réception de la demande, et au plus tôt "
                "après un délai de réflexion de quarante-huit heures. Ce délai est porté à "
                "%(long)s lorsque les informations datent de plus de cinq ans. Ces délais "
                "courent à compter de la réception de la demande (article R. 1111-1).",
                period=period(days=MEDICAL_RECORD_DAYS),
                long=period(months=MEDICAL_RECORD_LONG_MONTHS),
            )
        )
    )
    if options.older_than_5_years:
        blocks.append(
            Paragraph.of(
                _(
                    "Certaines de ces informations datent de plus de cinq ans : pour "
                    "celles-là, le délai %(limit)s. Merci de me communiquer les plus récentes "
                    "sans attendre.",
                    limit=phrase("is", months=MEDICAL_RECORD_LONG_MONTHS),
                )
            )
        )
    blocks.append(
        Paragraph.of(
            _(
                "Vous pouvez vérifier mon identité avant la communication (article R. 1111-1 "
                "du code de la santé publique)."
            )
            + (
                " " + _("Je joins à cet effet la copie d'une pièce d'identité.")
                if options.id_copy
                else ""
            )
        )
    )
    blocks.append(_remedy(request, options))
    enclosures: list[str] = []
    if options.id_copy:
        enclosures.append(_("Copie d'une pièce d'identité"))
    if options.requester in HEIR_RELATION:
        enclosures += [
            _("Copie de l'acte de décès"),
            _(
                "Justificatif de ma qualité (acte de notoriété, livret de famille, pacte civil "
                "de solidarité ou preuve de vie commune)"
            ),
        ]
    elif options.requester == "parent":
        enclosures.append(
            _("Justificatif de l'autorité parentale (livret de famille ou acte de naissance)")
        )
    elif options.requester == "legal-representative":
        enclosures.append(_("Copie de la décision qui me confie la mesure de protection"))
        if options.protection == "assistance":
            enclosures.append(_("Accord écrit de la personne protégée"))
    director = options.addressee == "director"
    recipient = (
        request.recipient
        if director
        else replace(request.recipient, attention=_("À l'attention du praticien"))
    )
    subject = (
        _(
            "demande de communication de mon dossier médical (article L. 1111-7 du code de "
            "la santé publique)"
        )
        if options.requester == "self"
        else _(
            "demande de communication d'un dossier médical (article L. 1111-7 du code de la "
            "santé publique)"
        )
    )
    return Content(
        title=_("Demande de communication de dossier médical"),
        subject=subject,
        blocks=blocks,
        enclosures=enclosures,
        recipient=recipient,
        director=director,
    )
