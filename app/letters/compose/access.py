"""The access request (GDPR art. 15): every item of art. 15(1)-(2), and where data are hosted."""

from __future__ import annotations

from app.i18n import N_
from app.i18n import gettext as _
from app.letters.compose.common import Content, Request, closing_paragraphs
from app.letters.document import Block, Bullets, Paragraph
from app.letters.options import AccessOptions

CJEU_RECIPIENTS = N_(
    "Cour de justice de l'Union européenne, 12 janvier 2023, RW contre Österreichische Post, "
    "affaire C-154/21"
)
CJEU_FIRST_COPY = N_(
    "Cour de justice de l'Union européenne, 26 octobre 2023, FT contre DW, affaire C-307/22"
)

# GDPR art. 15(1)(a)-(h): what an access answer must tell, in the order of the article.
ACCESS_ITEMS_TEXT: dict[str, str] = {
    "purposes": N_("les finalités de chaque traitement (a) ;"),
    "categories": N_("les catégories de données me concernant (b) ;"),
    "recipients": N_(
        "l'identité des destinataires à qui mes données ont été ou seront communiquées, en "
        "particulier ceux qui sont établis hors de l'Union européenne (c) ;"
    ),
    "retention": N_(
        "la durée de conservation prévue pour chaque catégorie de données ou, à défaut, "
        "les critères utilisés pour la fixer (d) ;"
    ),
    "rights": N_(
        "mon droit de demander la rectification ou l'effacement de mes données, ou la "
        "limitation de leur traitement, et mon droit de m'opposer à ce traitement (e) ;"
    ),
    "complaint": N_("mon droit d'introduire une réclamation auprès de la CNIL (f) ;"),
    "source": N_(
        "toute information disponible sur la source des données que vous n'avez pas "
        "recueillies auprès de moi (g) ;"
    ),
    "automated": N_(
        "l'existence d'une prise de décision automatisée, y compris un profilage, et dans "
        "ce cas la logique sous-jacente ainsi que l'importance et les conséquences prévues "
        "de ce traitement pour moi (h)."
    ),
}

SOVEREIGNTY_TEXT: dict[str, str] = {
    "hosting": N_("qui héberge mes données, et dans quel pays elles sont stockées ;"),
    "hds": N_(
        "si cet hébergeur est certifié « hébergeur de données de santé » (HDS, article "
        "L. 1111-8 du code de la santé publique) ;"
    ),
    "transfers": N_(
        "si mes données sont transférées hors de l'Union européenne, ou si elles sont "
        "accessibles depuis un pays situé hors de l'Union (par exemple par un prestataire "
        "soumis à une loi étrangère), et, dans ce cas, sous quelles garanties."
    ),
}


def _pseudonymised(request: Request) -> bool:
    """A research warehouse (the SNDS, a hospital's EDS): data kept without names."""
    platform = request.platform
    categories = set(platform.categories) if platform else {request.recipient.category}
    return "research" in categories


def compose_access(request: Request) -> Content:
    options = request.options
    assert isinstance(options, AccessOptions)
    blocks: list[Block] = [
        Paragraph.of(
            _(
                "En application de l'article 15 du règlement général sur la protection des "
                "données (RGPD, règlement (UE) 2016/679), je vous demande de me confirmer si "
                "vous traitez des données personnelles me concernant et, si c'est le cas, de "
                "m'en communiquer une copie (article 15, paragraphe 3)."
            )
        ),
        Paragraph.of(_("Je vous demande aussi de m'indiquer (article 15, paragraphe 1) :")),
        Bullets.of(*(_(text) for text in ACCESS_ITEMS_TEXT.values())),
        Paragraph.of(
            _(
                "Pour les destinataires, je vous demande leur identité précise, et non leurs "
                "seules catégories (%(case)s).",
                case=_(CJEU_RECIPIENTS),
            )
        ),
        Paragraph.of(
            _(
                "Si mes données sont transférées vers un pays situé hors de l'Union "
                "européenne ou vers une organisation internationale, indiquez-moi les "
                "garanties appropriées qui encadrent ce transfert (article 15, paragraphe 2, "
                "et article 46 du RGPD)."
            )
        ),
    ]
    if _pseudonymised(request):
        blocks.append(
            Paragraph.of(
                _(
                    "Si mes données sont pseudonymisées dans vos bases, je peux vous fournir les "
                    "informations complémentaires qui permettent de les retrouver (par exemple "
                    "les dates de mes séjours, l'établissement où j'ai reçu des soins ou mon "
                    "numéro de sécurité sociale), comme le prévoit l'article 11, paragraphe 2, "
                    "du RGPD : dites-moi lesquelles vous sont utiles."
                )
            )
        )
    if options.sovereignty:
        blocks += [
            Paragraph.of(_("Sur l'hébergement de mes données, je vous demande aussi :")),
            Bullets.of(*(_(text) for text in SOVEREIGNTY_TEXT.values())),
        ]
    if options.electronic and request.identity.email:
        blocks.append(
            Paragraph.of(
                _(
                    "Je souhaite recevoir ces éléments sous une forme électronique d'usage "
                    "courant, à l'adresse e-mail indiquée ci-dessus ou, à défaut, par courrier."
                )
            )
        )
    elif options.electronic:
        blocks.append(
            Paragraph.of(
                _(
                    "Je souhaite recevoir ces éléments sous une forme électronique d'usage "
                    "courant ou, à défaut, par courrier à mon adresse."
                )
            )
        )
    else:
        blocks.append(
            Paragraph.of(_("Je souhaite recevoir ces éléments par courrier, à mon adresse."))
        )
    blocks.append(
        Paragraph.of(
            _(
                "La première copie de mes données doit m'être fournie gratuitement "
                "(article 15, paragraphe 3, et article 12, paragraphe 5, du RGPD ; %(case)s).",
                case=_(CJEU_FIRST_COPY),
            )
        )
    )
    blocks += closing_paragraphs(request)
    return Content(
        title=_("Demande d'accès à mes données personnelles"),
        subject=_("demande d'accès à mes données personnelles (article 15 du RGPD)"),
        blocks=blocks,
    )
