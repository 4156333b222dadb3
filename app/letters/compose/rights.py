"""First requests under the GDPR: erasure, objection, rectification, portability."""

from __future__ import annotations

from app.i18n import N_
from app.i18n import gettext as _
from app.letters.compose.common import (
    Content,
    Request,
    closing_paragraphs,
    last_item,
)
from app.letters.document import Blank, Block, Bullets, Paragraph, Part
from app.letters.options import (
    ErasureOptions,
    PortabilityOptions,
    RectificationOptions,
)

GROUND_TEXT: dict[str, str] = {
    "no-longer-needed": N_(
        "mes données ne sont plus nécessaires au regard des finalités pour lesquelles "
        "elles ont été collectées (article 17, paragraphe 1, a) ;"
    ),
    "consent-withdrawn": N_(
        "je retire mon consentement aux traitements de mes données qui reposent sur lui "
        "(article 17, paragraphe 1, b) ;"
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


# Holders the law obliges to keep health records (CSP R1112-7 for establishments, the
# pharmacy registers, insurers' contracts): erasure can only reach what is not kept.
KEEPERS = frozenset({"hospital", "laboratory", "pharmacy", "insurer", "public-insurance"})

# What can go when the account stays (--keep-account), or at a holder that must keep records.
ERASABLE_TEXT: dict[str, str] = {
    "account": N_(
        "mon compte sur votre portail ou votre application en ligne, et les données qui ne "
        "servent qu'à son fonctionnement ;"
    ),
    "usage": N_(
        "l'historique de mon utilisation de vos services en ligne (connexions, recherches, "
        "navigation) ;"
    ),
    "marketing": N_(
        "les données utilisées à des fins de prospection, de publicité ou de profilage ;"
    ),
    "expired": N_("les données dont la durée de conservation est écoulée ;"),
    "other-sources": N_("les données que vous avez obtenues d'autres sources que moi."),
}


def must_keep_records(request: Request) -> bool:
    """A hospital, laboratory, pharmacy or insurer: the law keeps part of the data."""
    platform = request.platform
    categories = set(platform.categories) if platform else {request.recipient.category}
    return bool(categories & KEEPERS)


def _what_to_erase(options: ErasureOptions, keeper: bool) -> list[Block]:
    """All the data, or (when the account stays or the law keeps records) what can go."""
    opening = _(
        "En application de l'article 17 du règlement général sur la protection des données "
        "(RGPD, règlement (UE) 2016/679), je vous demande d'effacer les données suivantes "
        "me concernant :"
    )
    if keeper:
        names = (
            ["account", "marketing", "expired"]
            if options.close_account
            else ["marketing", "expired"]
        )
        items = _last_item([_(ERASABLE_TEXT[name]) for name in names])
        return [Paragraph.of(opening), Bullets.of(*items)]
    if not options.close_account:
        items = _last_item([_(ERASABLE_TEXT[name]) for name in ERASABLE_TEXT if name != "account"])
        return [
            Paragraph.of(opening),
            Bullets.of(*items),
            Paragraph.of(
                _(
                    "Je garde mon compte : conservez seulement les données nécessaires à son "
                    "fonctionnement."
                )
            ),
        ]
    return [
        Paragraph.of(
            _(
                "Je vous demande d'effacer toutes les données personnelles me concernant "
                "que vous détenez, en application de l'article 17 du règlement général sur "
                "la protection des données (RGPD, règlement (UE) 2016/679)."
            )
        )
    ]


def compose_erasure(request: Request) -> Content:
    options = request.options
    assert isinstance(options, ErasureOptions)
    keeper = must_keep_records(request)
    grounds = _last_item([_(GROUND_TEXT[ground]) for ground in options.grounds])
    blocks: list[Block] = [
        *_what_to_erase(options, keeper),
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
    if options.close_account and not keeper:
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
                "Pour les données que la loi vous impose de conserver (article 17, paragraphe "
                "3), comme le dossier médical, je vous demande d'en limiter le traitement à ce "
                "que cette obligation exige (article 18 du RGPD), et de m'indiquer lesquelles "
                "vous gardez, sur quel fondement et jusqu'à quand."
            )
            if keeper
            else _(
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
    # A supplementary statement completes incomplete data (art. 16); it does not fix errors.
    incomplete = not options.corrections or any(not c.current for c in options.corrections)
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
                "Pendant que vous vérifiez l'exactitude de ces données, je vous demande d'en "
                "limiter le traitement (article 18, paragraphe 1, a, du RGPD)."
            )
        ),
        *(
            [
                Paragraph.of(
                    _(
                        "Pour les données incomplètes, je peux aussi vous fournir une "
                        "déclaration complémentaire, comme le permet l'article 16."
                    )
                )
            ]
            if incomplete
            else []
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
