"""In Chromium, at 390 px, in French and in English: the observatory's ranking, a platform's
page and an association's members' figures read as they should (the chart's words legible, the
wide table scrolling inside its own region, no sideways scrolling of the page)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from app.letters.addressees import Addressee
from app.organisations.invitations import ADMIN
from tests.browser.conftest import shoot
from tests.support.browser import sign_in
from tests.support.tracking import organisation, people, person, request
from tests.support.world import make_association, make_staff, make_user

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "admin.observatoire@example.org"


@pytest.fixture(scope="module")
def figures(live_server: Any) -> None:
    with Session(live_server.engine, expire_on_commit=False) as db:
        association = make_association(db, "Association des patients du Grand Est")
        make_staff(db, association, make_user(db, ADMIN_EMAIL), ADMIN)
        for _ in range(10):
            request(db, person(db, association_id=association.id))
        people(db, 10, slug="maiia", answer_after=None)
        people(db, 10, slug="ap-hp", right="medical-record", answer_after=45, reminder_after=10)
        people(db, 10, slug=Addressee.of_organisation(organisation()), right="medical-record")
        db.commit()


def no_sideways_scrolling(page: Any) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def chart_words_read_whole(page: Any) -> None:
    """The chart's words are drawn at 13 px or more, and none is cut off by its edges."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('.observatory-chart svg')].map(svg => {
            const box = svg.getBoundingClientRect();
            const scale = box.width / svg.viewBox.baseVal.width;
            const cut = [...svg.querySelectorAll('text')].filter(t => {
                const r = t.getBoundingClientRect();
                return r.left < box.left - 0.5 || r.right > box.right + 0.5;
            }).map(t => t.textContent);
            return [scale * 14, cut];
        })"""
    )
    assert found
    for size, cut in found:
        assert size >= 13
        assert cut == []


def table_reads(page: Any, caption: str) -> None:
    """The table's title is in view, and its header row is not a tower of broken words."""
    shown = page.evaluate(
        """() => { const c = document.querySelector('.observatory-table-title');
            const r = c.getBoundingClientRect();
            const head = document.querySelector('.observatory-table thead').getBoundingClientRect();
            return [c.textContent, r.left, r.right, document.documentElement.clientWidth,
                    head.height]; }"""
    )
    text, left, right, width, head = shown
    assert caption in text
    assert left >= 0
    assert right <= width
    assert head <= 140


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_observatory_reads_well_on_a_phone(
    page: Any, live_server: Any, figures: None, language: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, ADMIN_EMAIL)
    if language == "en":
        page.goto("/langue/en?next=/observatoire")
    english = language == "en"
    page.goto("/observatoire")
    main = page.locator("main").inner_text()
    assert ("Figures as of" if english else "Chiffres au 1er") in main
    assert ("How these figures are made" if english else "Comment ces chiffres sont faits") in main
    no_sideways_scrolling(page)
    chart_words_read_whole(page)
    ranking = "from the least to the most punctual" if english else "de la moins ponctuelle"
    table_reads(page, ranking)
    shoot(page, f"observatoire-{language}")
    page.goto("/plateformes/ap-hp")
    main = page.locator("main").inner_text()
    heading = "How this organisation answers" if english else "Comment cette organisation répond"
    assert heading in main
    no_sideways_scrolling(page)
    chart_words_read_whole(page)
    table_reads(page, "AP-HP")
    shoot(page, f"observatoire-ap-hp-{language}")
    page.goto("/association/observatoire")
    main = page.locator("main").inner_text()
    assert ("answer your members" if english else "répondent à vos membres") in main
    assert "Doctolib" in main
    assert "Maiia" not in main
    no_sideways_scrolling(page)
    chart_words_read_whole(page)
    shoot(page, f"observatoire-association-{language}")
