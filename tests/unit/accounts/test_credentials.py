"""Issue 10, items 4 and 10: credentials end when their owner ends them; a password typed again
is checked, counted and throttled like a sign-in."""

from __future__ import annotations

import html
from typing import Any

import pytest
from sqlmodel import Session, select

from app.accounts import tokens
from app.accounts.api_tokens import create_token
from app.models.proceeding import ApiToken
from app.proceedings.preferences import new_feed
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import as_role
from tests.support.world import PASSWORD, World

NEW_PASSWORD = "trois merles chantent au verger"


def change(app: Any, db: Session, world: World) -> str:
    with as_role(app, world, "other_patient") as client:
        page = client.get("/compte/mot-de-passe")
        assert "accès donnés à vos programmes seront supprimés" in html.unescape(page.text)
        response = client.post(
            "/compte/mot-de-passe",
            data={
                "current_password": PASSWORD,
                "password": NEW_PASSWORD,
                "csrf_token": csrf_from(page.text),
            },
        )
        return response.text


def reset(app: Any, db: Session, world: World) -> str:
    token = tokens.issue_token(db, world.users["other_patient"], tokens.RESET)
    db.commit()
    with CheckedClient(app) as client:
        page = client.get(f"/mot-de-passe/nouveau/{token}")
        assert "accès donnés à vos programmes seront supprimés" in html.unescape(page.text)
        response = client.post(
            "/mot-de-passe/nouveau",
            data={"token": token, "password": NEW_PASSWORD, "csrf_token": csrf_from(page.text)},
        )
        return response.text


def everywhere(app: Any, db: Session, world: World) -> str:
    with as_role(app, world, "other_patient") as client:
        page = client.get("/compte")
        assert "adresse de votre calendrier cesse de fonctionner" in html.unescape(page.text)
        response = client.post(
            "/compte/deconnexion-partout", data={"csrf_token": csrf_from(page.text)}
        )
        return response.text


@pytest.mark.parametrize("ending", [change, reset, everywhere], ids=lambda f: f.__name__)
def test_tokens_and_calendar_feeds_end_with_the_password_or_sign_out_everywhere(
    app: Any, db: Session, world: World, ending: Any
) -> None:
    user = world.users["other_patient"]
    secret = create_token(db, user, "script")[1]
    feed = new_feed(db, user)
    db.commit()
    with CheckedClient(app) as outsider:
        headers = {"Authorization": f"Bearer {secret}"}
        assert outsider.get("/api/v1/proceedings", headers=headers).status_code == 200
        assert outsider.get(f"/calendrier/{feed}").status_code == 200
        page = html.unescape(ending(app, db, world)).lower()
        assert "les accès donnés à vos programmes sont supprimés" in page
        assert "l'adresse de votre calendrier ne fonctionne plus" in page
        assert outsider.get("/api/v1/proceedings", headers=headers).status_code == 401
        assert outsider.get(f"/calendrier/{feed}").status_code == 404
    assert db.exec(select(ApiToken).where(ApiToken.user_id == user.id)).all() == []


def test_making_a_token_asks_for_the_password_again(app: Any, db: Session, world: World) -> None:
    with as_role(app, world, "other_patient") as client:
        csrf = csrf_from(client.get("/compte/jetons").text)
        for password, message in (
            ("", "Indiquez votre mot de passe actuel."),
            ("pas le bon mot de passe du tout", "Ce n'est pas votre mot de passe actuel."),
        ):
            refused = client.post(
                "/compte/jetons",
                data={"label": "script", "password": password, "csrf_token": csrf},
            )
            assert refused.status_code == 422
            assert 'id="error-password"' in refused.text
            assert message in html.unescape(refused.text)
            assert "rpr_" not in refused.text
        made = client.post(
            "/compte/jetons", data={"label": "script", "password": PASSWORD, "csrf_token": csrf}
        )
        assert made.status_code == 200
        assert "<code>rpr_" in made.text
    assert len(db.exec(select(ApiToken)).all()) == 2  # the world's, and this one


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/compte/mot-de-passe", "current_password"),
        ("/compte/supprimer", "password"),
        ("/compte/jetons", "password"),
    ],
)
def test_a_password_typed_again_is_throttled_like_a_sign_in(
    app: Any, db: Session, world: World, path: str, field: str
) -> None:
    with as_role(app, world, "other_patient") as client:
        csrf = csrf_from(client.get(path).text)
        data = {"csrf_token": csrf, "label": "script", "password": NEW_PASSWORD}
        for _attempt in range(5):
            wrong = client.post(path, data={**data, field: "devine devine devine"})
            assert wrong.status_code == 422
        # The sixth, even with the right password, waits: no guessing it here instead.
        right = client.post(path, data={**data, field: PASSWORD})
        assert right.status_code == 429
    assert db.get(type(world.users["other_patient"]), world.users["other_patient"].id)
