"""A mandate: the patient lets a relative or an association act for them (CNIL 2021-070)."""

from __future__ import annotations

from datetime import date, timedelta

from app.i18n import N_, long_date
from app.i18n import gettext as _
from app.letters.compose.common import Content, Request, last_item, sentence
from app.letters.document import Blank, Block, Bullets, Paragraph, Part, Recipient
from app.letters.options import MandateOptions

MANDATE_RIGHT_TEXT: dict[str, str] = {
    "access": N_("le droit d'accès à mes données (article 15) ;"),
    "rectification": N_("le droit de rectification (article 16) ;"),
    "erasure": N_("le droit à l'effacement (article 17) ;"),
    "objection": N_("le droit d'opposition (article 21) ;"),
    "portability": N_("le droit à la portabilité (article 20) ;"),
    "complaint": N_("le droit d'introduire une réclamation auprès de la CNIL (article 77) ;"),
}
COMPLAINT_HELP = N_(
    "la préparation, avec moi, d'une réclamation auprès de la CNIL (article 77), que je dépose "
    "moi-même ;"
)
ORDER = ("access", "rectification", "erasure", "objection", "portability", "complaint")


def one_year_after(start: date) -> date:
    """The day before the same date next year (a mandate of one year)."""
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


def compose_mandate(request: Request) -> Content:
    options = request.options
    assert isinstance(options, MandateOptions)
    identity = request.identity
    postal = identity.postal_address
    town = f"{postal.postal_code} {postal.city}".strip()
    # A member's file may not hold the address yet: a marked blank, filled in by hand.
    address: Part = (
        ", ".join([*postal.lines, town])
        if postal.lines and postal.postal_code and postal.city
        else Blank(_("adresse du mandant"))
    )
    name: Part = identity.full_name.strip() or Blank(_("nom et prénom du mandant"))
    born: Part = (
        long_date(identity.birth_date) if identity.birth_date else Blank(_("date de naissance"))
    )
    agent = options.agent
    agent_name: Part = agent.name if agent else Blank(_("nom du mandataire"))
    agent_address: Part = (
        ", ".join(agent.address_lines)
        if agent and agent.address_lines
        else Blank(_("adresse du mandataire"))
    )
    association = agent is not None and agent.kind == "association"
    # Without the statutory conditions, an association helps with a complaint the person files.
    texts = dict(MANDATE_RIGHT_TEXT)
    if association and not options.article_80:
        texts["complaint"] = COMPLAINT_HELP
    rights = [_(texts[right]) for right in ORDER if right in options.rights]
    rights[-1] = last_item(rights[-1])
    platforms = list(options.platforms)
    if not platforms and request.platform is not None:
        platforms = [request.platform.legal_name or request.platform.name]
    elif not platforms and request.recipient.name:
        platforms = [request.recipient.name]
    start = options.start or request.today
    end = options.end or one_year_after(start)
    blocks: list[Block] = [
        sentence(
            N_(
                "%(undersigned)s, %(name)s, %(born_word)s le %(born)s, demeurant %(address)s, "
                "ci-après « le mandant »,"
            ),
            undersigned=identity.agreed(
                _("Je soussigné"), _("Je soussignée"), _("Je soussigné(e)")
            ),
            name=name,
            born_word=identity.agreed(_("né"), _("née"), _("né(e)")),
            born=born,
            address=address,
        ),
        sentence(
            N_("donne mandat à %(agent)s, %(what)s %(address)s, ci-après « le mandataire »,"),
            agent=agent_name,
            what=_("association dont l'adresse est") if association else _("demeurant"),
            address=agent_address,
        ),
        Paragraph.of(
            _(
                "pour exercer en mon nom, auprès des organismes désignés ci-dessous, les "
                "droits suivants, prévus par le règlement général sur la protection des "
                "données (RGPD, règlement (UE) 2016/679) :"
            )
        ),
        Bullets.of(*rights),
        Paragraph.of(
            _(
                "Données concernées : %(data)s.",
                data=options.data
                or _(
                    "toutes les données personnelles me concernant, y compris mes données de santé"
                ),
            )
        ),
        Paragraph.of(_("Organismes concernés :")),
        Bullets.of(*platforms) if platforms else Bullets(((Blank(_("nom de l'organisme")),),)),
        Paragraph.of(
            _(
                "Ce mandat est valable du %(start)s au %(end)s inclus. Je peux le révoquer à "
                "tout moment.",
                start=long_date(start),
                end=long_date(end),
            )
        ),
    ]
    if options.answers_to == "agent":
        blocks.append(
            sentence(
                N_(
                    "Les réponses des organismes doivent être adressées au mandataire, %(agent)s, "
                    "à l'adresse %(address)s."
                ),
                agent=agent_name,
                address=agent_address,
            )
        )
    else:
        blocks.append(
            sentence(
                N_(
                    "Les réponses des organismes doivent m'être adressées directement, à "
                    "l'adresse %(address)s."
                ),
                address=address,
            )
        )
    blocks += [
        Paragraph.of(
            _(
                "Le mandataire me tient au courant de chacune de ses démarches et des "
                "réponses reçues. Il justifie de son identité et de la mienne, et présente ce "
                "mandat à tout organisme qui le lui demande."
            )
        ),
    ]
    if association and "complaint" in options.rights and options.article_80:
        blocks.append(
            Paragraph.of(
                _(
                    "Le mandataire, association à but non lucratif active dans la protection "
                    "des données personnelles, déclare remplir les conditions prévues par la loi "
                    "Informatique et Libertés pour introduire une réclamation en mon nom "
                    "(article 80, paragraphe 1, du RGPD)."
                )
            )
        )
    blocks.append(
        Paragraph.of(
            _(
                "Ce mandat précise son objet, sa durée et les droits concernés, comme le "
                "recommande la CNIL (délibération n° 2021-070 du 27 mai 2021)."
            ),
            style="note",
        )
    )
    return Content(
        title=_("Mandat pour exercer mes droits sur mes données personnelles"),
        subject=_("Mandat pour exercer mes droits sur mes données personnelles"),
        blocks=blocks,
        layout="document",
        recipient=Recipient(name="", address_lines=()),
        signatures=(
            (_("Le mandant"), identity.full_name),
            (
                _("Le mandataire, « bon pour acceptation du mandat »"),
                agent.name if agent else "",
            ),
        ),
    )
