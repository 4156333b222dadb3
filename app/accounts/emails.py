"""The account emails: plain text, in the person's language, without any health detail."""

from __future__ import annotations

from app.config import get_settings
from app.i18n import gettext as _
from app.notifications.mailer import build_message, get_mailer


def _link(path: str) -> str:
    return get_settings().base_url + path


def _send(to: str, subject: str, paragraphs: list[str]) -> None:
    signature = _("L'équipe Reprise")
    body = "\n\n".join([*paragraphs, signature]) + "\n"
    get_mailer().send(build_message(to, subject, body))


def send_verification(to: str, token: str) -> None:
    _send(
        to,
        _("Confirmez votre adresse e-mail"),
        [
            _("Bonjour,"),
            _("Pour terminer la création de votre compte Reprise, ouvrez ce lien :"),
            _link(f"/inscription/confirmer/{token}"),
            _(
                "Le lien est valable 48 heures. Si vous n'avez pas créé de compte, ignorez ce "
                "message."
            ),
        ],
    )


def send_already_registered(to: str) -> None:
    _send(
        to,
        _("Vous avez déjà un compte"),
        [
            _("Bonjour,"),
            _(
                "Quelqu'un, peut-être vous, a voulu créer un compte Reprise avec cette adresse. "
                "Vous avez déjà un compte : connectez-vous, ou choisissez un nouveau mot de passe "
                "ici :"
            ),
            _link("/mot-de-passe-oublie"),
        ],
    )


def send_reset(to: str, token: str) -> None:
    _send(
        to,
        _("Choisir un nouveau mot de passe"),
        [
            _("Bonjour,"),
            _("Pour choisir un nouveau mot de passe, ouvrez ce lien :"),
            _link(f"/mot-de-passe/nouveau/{token}"),
            _(
                "Le lien est valable une heure et ne sert qu'une fois. Si vous n'avez rien "
                "demandé, ignorez ce message : votre mot de passe ne change pas."
            ),
        ],
    )


def send_sign_in_link(to: str, token: str) -> None:
    _send(
        to,
        _("Votre lien de connexion"),
        [
            _("Bonjour,"),
            _(
                "Pour vous connecter à Reprise sans mot de passe, ouvrez ce lien. Il est valable "
                "15 minutes et ne sert qu'une fois :"
            ),
            _link(f"/connexion/lien/{token}"),
            _(
                "Si vous n'avez rien demandé, quelqu'un a peut-être essayé de deviner votre mot "
                "de passe : ignorez ce message, et changez votre mot de passe une fois connecté."
            ),
        ],
    )


def send_no_account(to: str) -> None:
    _send(
        to,
        _("Choisir un nouveau mot de passe"),
        [
            _("Bonjour,"),
            _(
                "Quelqu'un, peut-être vous, a demandé à changer le mot de passe d'un compte "
                "Reprise avec cette adresse. Aucun compte actif n'utilise cette adresse : vous "
                "pouvez en créer un ici :"
            ),
            _link("/inscription"),
            _("Si vous n'avez rien demandé, ignorez ce message."),
        ],
    )


def send_invitation(to: str, token: str, role: str, association: str, person: str) -> None:
    """The invitation names the association and the person who invites (the subject does not:
    an association's name can reveal a condition to anyone who sees the inbox)."""
    if role == "member":
        text = _(
            "%(person)s, de l'association « %(association)s », vous donne accès à votre dossier "
            "sur Reprise. Vous pourrez y voir vos informations, vos lettres et qui les a "
            "consultées.",
            person=person,
            association=association,
        )
    else:
        text = _(
            "%(person)s vous invite à rejoindre l'équipe de l'association « %(association)s » "
            "sur Reprise.",
            person=person,
            association=association,
        )
    _send(
        to,
        _("Invitation sur Reprise"),
        [
            _("Bonjour,"),
            text,
            _("Pour accepter, ouvrez ce lien (valable 7 jours) :"),
            _link(f"/invitation/{token}"),
            _("Si vous ne connaissez pas cette personne, ignorez ce message."),
        ],
    )


def send_purge_warning(to: str, days: int) -> None:
    _send(
        to,
        _("Votre compte Reprise va être supprimé"),
        [
            _("Bonjour,"),
            _(
                "Vous ne vous êtes pas connecté à Reprise depuis longtemps. Pour protéger vos "
                "données, votre compte et tout ce qu'il contient seront supprimés dans "
                "%(days)s jours.",
                days=days,
            ),
            _("Pour le garder, il suffit de vous connecter :"),
            _link("/connexion"),
        ],
    )


def send_account_deleted(to: str) -> None:
    _send(
        to,
        _("Votre compte Reprise a été supprimé"),
        [
            _("Bonjour,"),
            _("Votre compte Reprise et tout ce qu'il contenait ont été supprimés."),
        ],
    )
