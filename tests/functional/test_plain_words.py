"""Plain words on the pages patients and helpers read: technical terms only where the person
asks for the detail (inside a "En savoir plus" <details>, or on the API page), dates typed as
day, month and year, and a step counter whose total does not move."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlmodel import Session

from app.clock import today
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import IDENTITY_FORM, signed
from tests.support.texts import page_text, plain
from tests.support.world import World, build_world, typed_date

JARGON = {
    "file extension .eml": re.compile(r"\.eml\b"),
    "file extension .ics": re.compile(r"\.ics\b"),
    "API": re.compile(r"\bAPI\b"),
    "FINESS": re.compile(r"\bFINESS\b"),
    "UTC": re.compile(r"\bUTC\b"),
    "regulation 1182/71": re.compile(r"1182/71"),
    "ISO date pattern": re.compile(r"AAAA-MM-JJ|YYYY-MM-DD|JJ/MM/AAAA"),
}


class ShownText(HTMLParser):
    """The text of <body> a reader meets without opening anything: <details> (but its
    <summary>), scripts and styles are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.in_body = True
        if tag in {"details", "summary", "script", "style"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"details", "summary", "script", "style"} and tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        hidden = any(tag in {"script", "style"} for tag in self.stack)
        folded = "details" in self.stack and self.stack[-1] != "summary"
        if self.in_body and not hidden and not folded:
            self.parts.append(data)


def shown_text(page: str) -> str:
    parser = ShownText()
    parser.feed(page)
    return plain(" ".join(" ".join(parser.parts).split()))


def jargon_in(page: str) -> list[str]:
    text = shown_text(page)
    return [
        f"{name}: …{text[max(0, found.start() - 60) : found.end() + 20]}…"
        for name, pattern in JARGON.items()
        for found in pattern.finditer(text)
    ]


@pytest.fixture
def world(db: Session) -> World:
    built = build_world(db)
    db.commit()
    return built


def test_the_check_sees_jargon_outside_details_only() -> None:
    page = (
        "<html><body><p>Ajouter (fichier .ics)</p><details><summary>En savoir plus</summary>"
        "<p>règlement n° 1182/71</p></details><script>var API = 1;</script></body></html>"
    )
    assert [line.split(":")[0] for line in jargon_in(page)] == ["file extension .ics"]


PUBLIC_PAGES = [
    "/",
    "/decouvrir",
    "/decouvrir/organisme",
    "/decouvrir/liste",
    "/plateformes",
    "/plateformes/doctolib",
    "/lettres",
    "/lettres/organisme",
    "/observatoire",
    "/confidentialite",
    "/accessibilite",
    "/connexion",
    "/inscription",
]
PATIENT_PAGES = [
    "/compte",
    "/compte/identite",
    "/compte/lettres",
    "/compte/journal",
    "/compte/rappels",
    "/compte/mes-donnees",
    "/compte/mot-de-passe",
    "/compte/supprimer",
    "/suivi",
    "/suivi/{member_proceeding}",
    "/suivi/{member_proceeding}/etapes/envoi",
]
HELPER_PAGES = [
    "/association",
    "/association/membres/{member_file}",
    "/association/membres/{member_file}/dossier",
    "/association/membres/{member_file}/mandats/nouveau",
]


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_no_jargon_on_the_pages_people_read(app: Any, world: World, locale: str) -> None:
    found: dict[str, list[str]] = {}
    readers = [
        ("anonymous", PUBLIC_PAGES),
        ("patient", PATIENT_PAGES),
        ("helper_with_mandate", HELPER_PAGES),
    ]
    for role, paths in readers:
        if role == "anonymous":
            client: CheckedClient = CheckedClient(app)
        else:
            client, _token = signed(app, world, role)
        client.get(f"/langue/{locale}")
        for template in paths:
            path = template.format(**world.ids)
            page = client.get(path)
            assert page.status_code == 200, (role, path, page.status_code)
            if jargon := jargon_in(page.text):
                found[path] = jargon
    assert not found, found


def test_the_tracking_page_keeps_the_legal_texts_for_who_asks(app: Any, world: World) -> None:
    client, token = signed(app, world, "patient")
    base = f"/suivi/{world.ids['member_proceeding']}"
    client.post(
        f"{base}/etapes/envoi",
        data={**typed_date("date", today()), "channel": "email", "csrf_token": token},
    )
    page = client.get(base).text
    assert not jargon_in(page)
    folded = re.search(r"<details[^>]*>\s*<summary[^>]*>(.*?)</summary>(.*?)</details>", page, re.S)
    assert folded, "the legal texts are not offered"
    assert "En savoir plus" in folded.group(1)
    assert "règlement (CEE, Euratom) n° 1182/71" in plain(folded.group(2))
    assert "RGPD art. 12(3)" in plain(folded.group(2))


DATE_PAGES = [
    ("patient", "/compte/identite", ["birth"]),
    ("patient", "/suivi/{member_proceeding}/etapes/envoi", ["date"]),
    (
        "admin",
        "/association/membres/{member_file}/mandats/nouveau",
        ["starts_on", "ends_on", "signed_on"],
    ),
    ("helper_with_mandate", "/association/membres/{member_file}/dossier", ["birth"]),
]


def date_parts(page: str, name: str) -> tuple[str, list[str]]:
    """The day input's tag and the month list's option labels of date field `name`."""
    day = re.search(rf'<input[^>]*name="{re.escape(name)}_day"[^>]*>', page)
    month = re.search(
        rf'<select[^>]*name="{re.escape(name)}_month"[^>]*>(.*?)</select>', page, re.S
    )
    year = re.search(rf'<input[^>]*name="{re.escape(name)}_year"[^>]*>', page)
    assert day, f"{name}: no day input"
    assert month, f"{name}: the month is not chosen from a list"
    assert year, f"{name}: no year input"
    return day.group(0), re.findall(r"<option[^>]*>([^<]*)</option>", month.group(1))


@pytest.mark.parametrize(("role", "template", "names"), DATE_PAGES)
def test_every_date_is_typed_as_day_month_name_and_year(
    app: Any, world: World, role: str, template: str, names: list[str]
) -> None:
    client, _token = signed(app, world, role)
    page = client.get(template.format(**world.ids)).text
    assert 'type="date"' not in page
    assert not jargon_in(page)
    for name in names:
        day, months = date_parts(page, name)
        assert months[1:] == ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                              "août", "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
        assert ('autocomplete="bday-day"' in day) == (template == "/compte/identite")


def test_the_letter_options_ask_dates_in_three_parts_and_keep_them_on_an_error(
    client: CheckedClient,
) -> None:
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": "doctolib", "csrf_token": token})
    client.post("/lettres/demande", data={"kind": "reminder", "csrf_token": token})
    page = client.get("/lettres/options/demande").text
    assert 'type="date"' not in page
    date_parts(page, "request_date")
    date_parts(page, "received")
    wrong = client.post(
        "/lettres/options/demande",
        data={
            **typed_date("request_date", "2026-01-05"),
            "received_day": "7",
            "received_month": "1",
            "received_year": "26",
            "csrf_token": token,
        },
    )
    assert wrong.status_code == 422
    assert "l'année en quatre chiffres" in page_text(wrong.text)
    assert re.search(r'name="received_day"[^>]*value="7"', wrong.text)
    assert re.search(r'<option value="1" selected>janvier</option>', wrong.text)
    assert re.search(r'name="request_date_year"[^>]*value="2026"', wrong.text)


def test_a_mandate_is_recorded_from_dates_typed_in_three_parts(app: Any, world: World) -> None:
    client, token = signed(app, world, "admin")
    member = f"/association/membres/{world.ids['member_file']}"
    form = {
        "rights": ["access"],
        "platforms": ["doctolib"],
        **typed_date("starts_on", "2026-12-05"),
        "ends_on_day": "31",
        "ends_on_month": "6",
        "ends_on_year": "2027",
        "csrf_token": token,
    }
    wrong = client.post(f"{member}/mandats", data=form)
    assert wrong.status_code == 422
    assert "Fin du mandat : cette date n'existe pas" in page_text(wrong.text)
    assert 'href="#field-ends_on"' in wrong.text
    assert re.search(r'<option value="6" selected>juin</option>', wrong.text)
    form["ends_on_day"] = "30"
    done = client.post(f"{member}/mandats", data=form, follow_redirects=False)
    assert done.status_code == 303
    assert "Du 5 décembre 2026 au 30 juin 2027" in page_text(client.get(member).text)


def steps_seen(client: CheckedClient, kind: str, answers: dict[str, dict[str, Any]]) -> list[str]:
    """Every "Étape x sur y" met from the first page of the letter form to the preview."""
    seen = []
    token = csrf_from(client.get("/lettres").text)
    seen.append(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": "doctolib", "csrf_token": token})
    seen.append(client.get("/lettres/demande").text)
    response = client.post(
        "/lettres/demande", data={"kind": kind, "csrf_token": token}, follow_redirects=False
    )
    location = response.headers["location"]
    while location.startswith("/lettres/options/"):
        seen.append(client.get(location).text)
        slug = location.rsplit("/", 1)[1]
        data = {**answers.get(slug, {}), "csrf_token": token}
        response = client.post(location, data=data, follow_redirects=False)
        summary = re.search(r'class="error-summary".*?</ul>', response.text, re.S)
        assert response.status_code == 303, (location, summary and summary.group(0))
        location = response.headers["location"]
    seen.append(client.get("/lettres/identite").text)
    client.post("/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token})
    seen.append(client.get("/lettres/apercu").text)
    counters = [re.search(r"Étape (\d+) sur (\d+)", plain(page)) for page in seen]
    assert all(counters), "a page of the letter form has no step counter"
    return [match.group(0) for match in counters if match]


@pytest.mark.parametrize(
    ("kind", "answers"),
    [
        ("access", {}),
        (
            "medical-record",
            {
                "demandeur": {"requester": "heir"},
                "patient": {
                    "patient.given_name": "Jean",
                    "patient.family_name": "Dupont",
                    **typed_date("patient.birth_date", "1931-05-17"),
                },
                "deces": {
                    **typed_date("patient.death_date", "2026-01-10"),
                    "heir_purposes": "rights",
                },
            },
        ),
        ("reminder", {"demande": {**typed_date("received", "2026-10-01")}}),
    ],
)
def test_the_step_counter_keeps_its_total_from_first_step_to_last(
    client: CheckedClient, kind: str, answers: dict[str, dict[str, Any]]
) -> None:
    counters = steps_seen(client, kind, answers)
    totals = {counter.rsplit(" ", 1)[1] for counter in counters}
    assert len(totals) == 1, counters
    numbers = [int(counter.split()[1]) for counter in counters]
    assert numbers == sorted(numbers), counters
    assert numbers[0] == 1
    assert numbers[-1] == int(totals.pop()), counters
