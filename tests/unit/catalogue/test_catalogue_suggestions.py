"""A patient suggests an address for the catalogue; maintainers list what was suggested."""

import html
import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.catalogue.loader import get_catalogue
from app.models.suggestion import CatalogueSuggestion
from tests.conftest import csrf_from
from tests.support.commands import reprise_on_file as reprise
from tests.support.pagecheck import CheckedClient
from tests.support.texts import page_text, plain


def test_a_suggested_address_is_kept_with_its_source_and_nothing_else(
    client: CheckedClient, db: Session
) -> None:
    token = csrf_from(client.get("/plateformes/mgen").text)
    sent = client.post(
        "/plateformes/mgen/suggestion",
        data={
            "csrf_token": token,
            "kind": "postal",
            "value": "MGEN – DPO\n3 square Max Hymans\n75748 Paris Cedex 15",
            "source_url": "https://www.mgen.fr/politique-de-confidentialite",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    thanks = page_text(client.get(sent.headers["location"]).text)
    assert "Merci : votre proposition sera vérifiée" in thanks
    rows = list(db.exec(select(CatalogueSuggestion)))
    assert len(rows) == 1
    assert rows[0].platform_slug == "mgen"
    assert rows[0].kind == "postal"
    assert rows[0].source_url == "https://www.mgen.fr/politique-de-confidentialite"
    # The catalogue itself is unchanged until a maintainer edits the record.
    mgen = get_catalogue().get("mgen")
    assert mgen is not None
    assert mgen.contact.postal is None


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"kind": "email", "value": "pas-une-adresse"}, "value", "adresse e-mail complète"),
        ({"kind": "web_form", "value": "http://exemple.fr/form"}, "value", "https://"),
        ({"kind": "", "value": "dpo@mgen.fr"}, "kind", "Choisissez ce que vous proposez"),
        ({"kind": "postal", "value": "   "}, "value", "Écrivez l'adresse"),
        ({"kind": "postal", "value": "x" * 501}, "value", "trop longue"),
        (
            {"kind": "email", "value": "dpo@mgen.fr", "source_url": "javascript:alert(1)"},
            "source_url",
            "page où vous l'avez lue",
        ),
    ],
)
def test_a_bad_suggestion_is_refused_next_to_its_field_and_nothing_is_kept(
    client: CheckedClient, db: Session, form: dict[str, str], field: str, message: str
) -> None:
    token = csrf_from(client.get("/plateformes/mgen").text)
    refused = client.post("/plateformes/mgen/suggestion", data={"csrf_token": token, **form})
    assert refused.status_code == 422
    page = html.unescape(refused.text)
    assert f'id="error-{field}"' in page
    assert message in plain(page)
    assert list(db.exec(select(CatalogueSuggestion))) == []


def test_no_suggestion_for_a_record_that_does_not_exist(client: CheckedClient) -> None:
    token = csrf_from(client.get("/plateformes/mgen").text)
    missing = client.post(
        "/plateformes/nope/suggestion",
        data={"csrf_token": token, "kind": "email", "value": "dpo@exemple.fr"},
    )
    assert missing.status_code == 404


def test_maintainers_list_the_suggestions_with_the_source_given(tmp_path: Path) -> None:
    database = tmp_path / "reprise.db"
    assert reprise("db", "upgrade", database=database).returncode == 0
    from sqlmodel import create_engine

    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as db:
        db.add(
            CatalogueSuggestion(
                platform_slug="qare",
                kind="email",
                value="dpo@qare.fr",
                source_url="https://www.qare.fr/politique-de-confidentialite",
            )
        )
        db.commit()
    engine.dispose()
    listed = reprise("catalogue", "suggestions", database=database)
    assert listed.returncode == 0, listed.stderr
    assert "qare\temail\tdpo@qare.fr\thttps://www.qare.fr/politique-de-confidentialite" in (
        listed.stdout
    )
    assert "1 suggestion(s)" in listed.stdout
    rows = json.loads(reprise("catalogue", "suggestions", "--json", database=database).stdout)
    assert rows[0]["source_url"] == "https://www.qare.fr/politique-de-confidentialite"
