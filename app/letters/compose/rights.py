"""First requests under the GDPR: erasure, objection, rectification, portability."""

from __future__ import annotations

from app.i18n import N_
from app.i18n import gettext as _
from app.letters.compose.common import (
    Content,
    Request,
    closing_paragraphs,
    last_item,
    sentence,
)
from app.letters.document import Blank, Block, Bullets, Paragraph, Part
from app.letters.options import (
    ErasureOptions,
    ObjectionOptions,
    PortabilityOptions,
    RectificationOptions,
)

GROUND_TEXT: dict[str, str] = {
    "no-longer-needed": N_(
        "mes données ne sont plus nécessaires au regard des finalités pour lesquelles "
        "elles ont été collectées (article 17, paragraphe 1, a) ;"
    ),
    "consent-withdrawn": N_(
        "je retire mon consentement au traitement de mes données, et aucun autre "
        "fondement juridique ne le permet (article 17, paragraphe 1, b) ;"
    ),
    "objection": N_(
        "je m'oppose au traitement de mes données en application de l'article 21 "
        "(article 17, paragraphe 1, c) ;"
    ),
    "unlawful": N_(
        "mes données ont fait l'objet d'un traitement illicite (article 17, paragraphe 1, d) ;"
    ),
    "legal-obligation": N_(
        "mes données doivent être effacées pour respecter une obligation légale "
        "(article 17, paragraphe 1, e) ;"
    ),
    "child": N_(
        "mes données ont été collectées lorsque j'étais mineur, dans le cadre de "
        "l'offre d'un service en ligne (article 17, paragraphe 1, f) ;"
    ),
}


def _last_item(items: list[str]) -> list[str]:
    """A list of clauses ending with a full stop."""
    if items:
        items[-1] = last_item(items[-1])
    return items


def _is_genetic(request: Request, options: ErasureOptions) -> bool:
    if options.genetic is not None:
        return options.genetic
    platform = request.platform
    return platform is not None and "genetics" in platform.categories


def compose_erasure(request: Request) -> Content:
    options = request.options
    assert isinstance(options, ErasureOptions)
    grounds = _last_item([_(GROUND_TEXT[ground]) for ground in options.grounds])
    blocks: list[Block] = [
        Paragraph.of(
            _(
                "Je vous demande d'effacer toutes les données personnelles me concernant "
                "que vous détenez, en application de l'article 17 du règlement général sur "
                "la protection des données (RGPD, règlement (UE) 2016/679)."
            )
        ),
        Paragraph.of(_("Ma demande repose sur les motifs suivants (article 17, paragraphe 1) :")),
        Bullets.of(*grounds),
    ]
    if _is_genetic(request, options):
        blocks += [
            Paragraph.of(_("Comme il s'agit d'un test génétique, je vous demande aussi :")),
            Bullets.of(
                _(
                    "d'effacer mes données génétiques brutes et tous les résultats qui en "
                    "sont tirés ;"
                ),
                _(
                    "de détruire mon échantillon biologique (salive ou autre) et tout "
                    "matériel génétique qui en est issu, chez vous comme chez le laboratoire "
                    "qui le conserve ;"
                ),
                _(
                    "de prendre acte du retrait de mon consentement à toute utilisation de "
                    "mes données et de mon échantillon pour la recherche, et de ne plus les "
                    "communiquer à aucun partenaire de recherche."
                ),
            ),
        ]
    if options.close_account:
        blocks.append(Paragraph.of(_("Je vous demande aussi de fermer mon compte, s'il existe.")))
    blocks += [
        Paragraph.of(
            _(
                "Conformément à l'article 19 du RGPD, je vous demande de notifier cet "
                "effacement à chaque destinataire à qui mes données ont été communiquées, "
                "et de m'indiquer qui sont ces destinataires."
            )
        ),
        Paragraph.of(
            _(
                "Si une obligation légale vous impose de conserver certaines données "
                "(article 17, paragraphe 3), indiquez-moi lesquelles, sur quel fondement et "
                "jusqu'à quand, et effacez toutes les autres."
            )
        ),
    ]
    blocks += closing_paragraphs(request, options.processor_reminder)
    return Content(
        title=_("Demande d'effacement de données personnelles"),
        subject=_("demande d'effacement de mes données personnelles (article 17 du RGPD)"),
        blocks=blocks,
    )


OBJECTION_TEXT: dict[str, str] = {
    "research": N_(
        "leur réutilisation à des fins de recherche, d'étude ou d'évaluation, y compris "
        "dans le domaine de la santé (article 21, paragraphes 1 et 6) ;"
    ),
    "warehouse": N_(
        "leur versement dans un entrepôt de données de santé, et toute réutilisation à "
        "partir d'un tel entrepôt (article 21, paragraphe 1) ;"
    ),
    "prospecting": N_(
        "leur utilisation à des fins de prospection, y compris le profilage lié à cette "
        "prospection : l'article 21, paragraphe 2, me permet de m'y opposer à tout moment, "
        "sans avoir à me justifier ;"
    ),
    "profiling": N_(
        "tout profilage me concernant fondé sur votre intérêt légitime ou sur une mission "
        "d'intérêt public (article 21, paragraphe 1) ;"
    ),
    "legitimate": N_(
        "tout autre traitement de mes données fondé sur votre intérêt légitime ou sur une "
        "mission d'intérêt public (article 6, paragraphe 1, e) et f), et article 21, "
        "paragraphe 1) ;"
    ),
}


def _concerns_snds(request: Request, options: ObjectionOptions) -> bool:
    if options.snds is not None:
        return options.snds
    platform = request.platform
    return platform is not None and "research" in platform.categories


def compose_objection(request: Request) -> Content:
    options = request.options
    assert isinstance(options, ObjectionOptions)
    purposes = _last_item([_(OBJECTION_TEXT[purpose]) for purpose in options.purposes])
    situation: Part = options.situation or _(
        "ces données concernent ma santé et ma vie privée ; je ne veux pas qu'elles servent "
        "à d'autres fins que celles pour lesquelles je les ai confiées"
    )
    blocks: list[Block] = [
        Paragraph.of(
            _(
                "En application de l'article 21 du règlement général sur la protection des "
                "données (RGPD, règlement (UE) 2016/679), je m'oppose au traitement de mes "
                "données personnelles pour les finalités suivantes :"
            )
        ),
        Bullets.of(*purposes),
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
    if _concerns_snds(request, options):
        blocks.append(
            Paragraph.of(
                _(
                    "Pour les données du Système national des données de santé (SNDS), mon "
                    "opposition porte sur les traitements mentionnés au 1° du I de l'article "
                    "L. 1461-3 du code de la santé publique, dans les limites prévues par "
                    "l'article R. 1461-9 de ce code : elle ne vise ni la base principale du "
                    "SNDS, ni les accès permanents des services de l'État."
                )
            )
        )
    if options.also_erase:
        blocks.append(
            Paragraph.of(
                _(
                    "Faute de tels motifs, je vous demande aussi d'effacer les données qui ne "
                    "servent qu'à ces traitements (article 17, paragraphe 1, c)."
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
    )


def compose_rectification(request: Request) -> Content:
    options = request.options
    assert isinstance(options, RectificationOptions)
    items: list[tuple[Part, ...]] = []
    for correction in options.corrections:
        if correction.current:
            text = _(
                "« %(current)s » est inexact : remplacez-le par « %(corrected)s » ;",
                current=correction.current,
                corrected=correction.corrected,
            )
        else:
            text = _(
                "à ajouter ou à compléter : « %(corrected)s » ;", corrected=correction.corrected
            )
        items.append((text,))
    if not items:
        items = [
            (Blank(_("donnée inexacte")), _(" : remplacez-la par "), Blank(_("donnée exacte")))
            for _index in range(2)
        ]
    elif isinstance(items[-1][0], str):
        items[-1] = (last_item(items[-1][0]),)
    blocks: list[Block] = [
        Paragraph.of(
            _(
                "En application de l'article 16 du règlement général sur la protection des "
                "données (RGPD, règlement (UE) 2016/679), je vous demande de rectifier les "
                "données inexactes me concernant et de compléter les données incomplètes :"
            )
        ),
        Bullets(tuple(items)),
        Paragraph.of(
            _(
                "Si une donnée ne peut pas être corrigée, je vous demande au moins de la "
                "compléter par une déclaration complémentaire de ma part, comme le permet "
                "l'article 16."
            )
        ),
        Paragraph.of(
            _(
                "Conformément à l'article 19 du RGPD, je vous demande de notifier cette "
                "rectification à chaque destinataire à qui mes données ont été communiquées, "
                "et de m'indiquer qui sont ces destinataires."
            )
        ),
    ]
    blocks += closing_paragraphs(request)
    return Content(
        title=_("Demande de rectification de données personnelles"),
        subject=_("demande de rectification de mes données personnelles (article 16 du RGPD)"),
        blocks=blocks,
    )


def compose_portability(request: Request) -> Content:
    options = request.options
    assert isinstance(options, PortabilityOptions)
    blocks: list[Block] = [
        Paragraph.of(
            _(
                "En application de l'article 20 du règlement général sur la protection des "
                "données (RGPD, règlement (UE) 2016/679), je vous demande de me transmettre "
                "les données personnelles me concernant que je vous ai fournies, dans un "
                "format structuré, couramment utilisé et lisible par machine (par exemple "
                "CSV, JSON ou XML)."
            )
        ),
        Paragraph.of(
            _(
                "Ce droit s'applique aux données traitées sur la base de mon consentement ou "
                "d'un contrat, à l'aide de procédés automatisés (article 20, paragraphe 1). "
                "Il couvre les données que j'ai saisies moi-même et celles que mon utilisation "
                "de votre service a produites (mesures, historique)."
            )
        ),
    ]
    if options.transmit_to:
        blocks.append(
            Paragraph.of(
                _(
                    "Je vous demande aussi de transmettre directement ces données à "
                    "%(recipient)s, lorsque cela est techniquement possible (article 20, "
                    "paragraphe 2).",
                    recipient=options.transmit_to,
                )
            )
        )
    blocks.append(
        Paragraph.of(
            _(
                "Cette demande n'est pas une demande d'effacement : ne supprimez pas mes "
                "données et ne fermez pas mon compte à cette occasion."
            )
        )
    )
    blocks += closing_paragraphs(request)
    return Content(
        title=_("Demande de portabilité de données personnelles"),
        subject=_("demande de portabilité de mes données (article 20 du RGPD)"),
        blocks=blocks,
    )
