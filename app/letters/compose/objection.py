"""The objection (GDPR art. 21), each purpose under its own rule.

- Direct marketing (21(2)-(3)): absolute; processing stops, no reason, no balancing test.
- Research (21(6) and the loi Informatique et Libertés for health research): the person need
  not give a reason; where research rests on consent (direct-to-consumer genetic tests), the
  letter also withdraws it (art. 7(3)) and asks for the samples' destruction.
- Other processing on legitimate interest or a public task (21(1)): grounds tied to the
  person's situation, and the controller's "compelling legitimate grounds" test.
- The SNDS is not a legal person: the objection goes to the director of the person's
  health-insurance fund (CSP R1461-9); a hospital's own research warehouse is the hospital.
"""

from __future__ import annotations

from app.i18n import N_
from app.i18n import gettext as _
from app.letters.compose.common import Content, Request, closing_paragraphs, last_item, sentence
from app.letters.document import Block, Bullets, Paragraph, Part, Recipient
from app.letters.options import ObjectionOptions

SNDS_SLUG = "snds"

# Processing the person objects to under art. 21(1): their situation, the balancing test.
SITUATION_TEXT: dict[str, str] = {
    "profiling": N_(
        "tout profilage me concernant fondé sur votre intérêt légitime ou sur une mission "
        "d'intérêt public (article 21, paragraphe 1) ;"
    ),
    "legitimate": N_(
        "tout autre traitement de mes données fondé sur votre intérêt légitime ou sur une "
        "mission d'intérêt public (article 6, paragraphe 1, e et f, et article 21, "
        "paragraphe 1) ;"
    ),
}
RESEARCH_TEXT: dict[str, str] = {
    "research": N_(
        "leur réutilisation à des fins de recherche, d'étude ou d'évaluation, y compris dans "
        "le domaine de la santé ;"
    ),
    "warehouse": N_(
        "leur versement dans un entrepôt de données de santé, et toute réutilisation à partir "
        "d'un tel entrepôt ;"
    ),
}


def concerns_snds(request: Request, options: ObjectionOptions) -> bool:
    """The objection is about the SNDS itself (not a hospital's or a company's warehouse)."""
    if options.snds is not None:
        return options.snds
    return request.recipient.platform_slug == SNDS_SLUG


def _consent_based(request: Request) -> bool:
    """Research that rests on the person's consent: direct-to-consumer genetic tests."""
    platform = request.platform
    return platform is not None and "genetics" in platform.categories


def _marketing() -> list[Block]:
    return [
        Paragraph.of(
            _(
                "En application de l'article 21, paragraphes 2 et 3, du règlement général sur "
                "la protection des données (RGPD, règlement (UE) 2016/679), je m'oppose à "
                "l'utilisation de mes données personnelles à des fins de prospection, y compris "
                "au profilage lié à cette prospection."
            )
        ),
        Paragraph.of(
            _(
                "Ce droit ne demande aucune justification : dès réception de cette lettre, mes "
                "données ne doivent plus être traitées à ces fins (article 21, paragraphe 3)."
            )
        ),
    ]


def _research(request: Request, purposes: list[str]) -> list[Block]:
    items = [_(RESEARCH_TEXT[purpose]) for purpose in purposes]
    items[-1] = last_item(items[-1])
    blocks: list[Block] = [
        Paragraph.of(
            _(
                "Je m'oppose à l'utilisation de mes données personnelles, en particulier de mes "
                "données de santé, pour les finalités suivantes :"
            )
        ),
        Bullets.of(*items),
        Paragraph.of(
            _(
                "La loi Informatique et Libertés (loi n° 78-17 du 6 janvier 1978) me permet de "
                "m'opposer à la réutilisation de mes données de santé pour la recherche, les "
                "études et les évaluations sans avoir à donner de raison. Pour une recherche "
                "scientifique relevant de l'article 89 du RGPD, l'article 21, paragraphe 6, ne "
                "vous permet d'écarter mon opposition que si le traitement est nécessaire à "
                "l'exécution d'une mission d'intérêt public."
            )
        ),
    ]
    if _consent_based(request):
        blocks += [
            Paragraph.of(
                _(
                    "Si cette recherche repose sur mon consentement, je le retire, pour toutes "
                    "les recherches, en application de l'article 7, paragraphe 3, du RGPD : "
                    "ne communiquez plus mes données à aucun partenaire de recherche."
                )
            ),
            Paragraph.of(
                _(
                    "Je vous demande aussi de détruire mon échantillon biologique (salive ou "
                    "autre) et tout matériel génétique qui en est issu, chez vous comme chez le "
                    "laboratoire qui le conserve, et de me le confirmer."
                )
            ),
        ]
    return blocks


def _situation(options: ObjectionOptions, purposes: list[str], first: bool) -> list[Block]:
    items = [_(SITUATION_TEXT[purpose]) for purpose in purposes]
    items[-1] = last_item(items[-1])
    situation: Part = options.situation or _(
        "ces données concernent ma santé et ma vie privée ; je ne veux pas qu'elles servent "
        "à d'autres fins que celles pour lesquelles je les ai confiées"
    )
    opening = (
        _(
            "En application de l'article 21, paragraphe 1, du règlement général sur la "
            "protection des données (RGPD, règlement (UE) 2016/679), je m'oppose au traitement "
            "de mes données personnelles pour les finalités suivantes :"
        )
        if first
        else _(
            "Je m'oppose aussi, en application de l'article 21, paragraphe 1, du RGPD, au "
            "traitement de mes données personnelles pour les finalités suivantes :"
        )
    )
    return [
        Paragraph.of(opening),
        Bullets.of(*items),
        sentence(
            N_("Cette opposition tient à ma situation particulière : %(situation)s."),
            situation=situation,
        ),
        Paragraph.of(
            _(
                "Vous ne pouvez poursuivre ces traitements que si vous démontrez des motifs "
                "légitimes et impérieux qui prévalent sur mes intérêts, droits et libertés, ou "
                "qu'ils sont nécessaires à la constatation, à l'exercice ou à la défense de "
                "droits en justice (article 21, paragraphe 1). Si vous estimez être dans ce "
                "cas, indiquez-moi précisément ces motifs."
            )
        ),
    ]


def _snds() -> list[Block]:
    return [
        Paragraph.of(
            _(
                "Mon opposition porte sur mes données du Système national des données de santé "
                "(SNDS), pour les traitements mentionnés au 1° du I de l'article L. 1461-3 du "
                "code de la santé publique, dans les limites prévues par l'article R. 1461-9 de "
                "ce code : elle ne vise ni la base principale du SNDS, ni les accès permanents "
                "des services de l'État."
            )
        ),
        Paragraph.of(
            _(
                "Le SNDS n'ayant pas la personnalité juridique, j'adresse cette opposition au "
                "directeur de l'organisme d'assurance maladie obligatoire dont je relève, comme "
                "le prévoit l'article R. 1461-9 du code de la santé publique."
            )
        ),
    ]


def snds_recipient() -> Recipient:
    """The director of the person's own fund: its name and address are the person's to give."""
    return Recipient(
        name=_("Caisse d'assurance maladie dont je relève"),
        address_lines=(),
        attention=_("À l'attention du directeur ou de la directrice"),
        verified=False,
        public=True,
    )


def compose_objection(request: Request) -> Content:
    options = request.options
    assert isinstance(options, ObjectionOptions)
    chosen: list[str] = list(dict.fromkeys(options.purposes))
    blocks: list[Block] = []
    if "prospecting" in chosen:
        blocks += _marketing()
    research = [purpose for purpose in chosen if purpose in RESEARCH_TEXT]
    if research:
        blocks += _research(request, research)
    situation = [purpose for purpose in chosen if purpose in SITUATION_TEXT]
    if situation:
        blocks += _situation(options, situation, first=not blocks)
    snds = concerns_snds(request, options)
    if snds:
        blocks += _snds()
    if options.also_erase:
        blocks.append(
            Paragraph.of(
                _(
                    "Je vous demande aussi d'effacer les données qui ne servent qu'à ces "
                    "traitements (article 17, paragraphe 1, c)."
                )
            )
        )
    blocks.append(
        Paragraph.of(
            _("Je vous demande de me confirmer par écrit la prise en compte de mon opposition.")
        )
    )
    blocks += closing_paragraphs(request)
    return Content(
        title=_("Opposition au traitement de données personnelles"),
        subject=_("opposition au traitement de mes données personnelles (article 21 du RGPD)"),
        blocks=blocks,
        recipient=snds_recipient()
        if snds and request.recipient.platform_slug == SNDS_SLUG
        else None,
    )
