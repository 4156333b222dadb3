"""Requests to organisations outside the catalogue (an establishment found in FINESS, a company
found by its SIREN, an address typed by hand): kept in the account, followed, reminded and
escalated like requests to catalogue platforms. Pure rules by tables (the organisation's key,
Alsace-Moselle from the postal code, the CADA referral date), then the real databases, pages,
API and calendar."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from app.clock import today
from app.deadlines.cada import cada_referral_deadline, implicit_refusal_on
from app.deadlines.calendar import add_months
from app.deadlines.rules import medical_record_deadline
from app.errors import Invalid
from app.i18n import long_date
from app.letters.addressees import (
    Addressee,
    french_postal_code,
    in_alsace_moselle_organisation,
    organisation_key,
)
from app.models.organisation import PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.patients.files import letter_content, letter_of, store_letter
from app.proceedings.calendar import proceeding_calendar
from app.proceedings.deadline import cada_of, due_of
from app.proceedings.events import Event
from app.proceedings.follow_ups import make_follow_up
from app.proceedings.lifecycle import Facts, apply, start
from app.proceedings.next_steps import next_step, reminder_moments, useful_letters
from app.proceedings.service import (
    content_of,
    find_open,
    record,
    track_letter,
    track_new_letter,
    view_of,
)
from tests.support.documents import pdf_text
from tests.support.pagecheck import CheckedClient
from tests.support.pages import bearer, date_form, error_messages, signed, text
from tests.support.texts import plain
from tests.support.tracking import organisation
from tests.support.world import IDENTITY, World

D = dt.date
TODAY = today()


# ------------------------------------------------------------------ pure rules, by tables

POSTAL_CODES = [
    ("town line last, cedex", ["1 place de l'Exemple", "67091 Strasbourg Cedex"], "67091"),
    ("France after the town line", ["2 rue Haute", "57000 Metz", "FRANCE"], "57000"),
    ("street and town on one line", ["3 rue Basse, 68100 Mulhouse"], "68100"),
    ("F- before the code", ["F-67000 Strasbourg"], "67000"),
    ("another country last", ["Friedrichstraße 1", "10117 Berlin", "ALLEMAGNE"], None),
    ("no town line at the end", ["BP 40052", "Direction"], None),
    ("digits that are not a postal code", ["Bâtiment 12345"], None),
    ("no address", [], None),
]


@pytest.mark.parametrize(
    ("name", "lines", "code"), POSTAL_CODES, ids=[case[0] for case in POSTAL_CODES]
)
def test_the_postal_code_of_a_french_address(name: str, lines: list[str], code: str | None) -> None:
    assert french_postal_code(lines) == code


ALSACE_MOSELLE = [
    ("Strasbourg (67)", ["67000 Strasbourg"], None, True),
    ("Colmar (68)", ["68000 Colmar"], None, True),
    ("Metz (57)", ["57000 Metz"], None, True),
    ("Nancy (54), next door", ["54000 Nancy"], None, False),
    ("Paris", ["75011 Paris"], None, False),
    ("the postal code wins over the FINESS number", ["75011 Paris"], "670000000", False),
    ("no address: the FINESS département", [], "570000000", True),
    ("no address, Corsica's FINESS", [], "2A0000000", False),
    ("no address, no FINESS", [], None, False),
    ("a German address", ["10117 Berlin", "ALLEMAGNE"], None, False),
    ("67 in the street, Paris in the town line", ["67 rue de Rivoli", "75001 Paris"], None, False),
]


@pytest.mark.parametrize(
    ("name", "lines", "finess", "expected"), ALSACE_MOSELLE, ids=[c[0] for c in ALSACE_MOSELLE]
)
def test_alsace_moselle_from_the_organisation_s_address(
    name: str, lines: list[str], finess: str | None, expected: bool
) -> None:
    found = in_alsace_moselle_organisation({"name": "X", "address_lines": lines, "finess": finess})
    assert found is expected
    # the same answer through the addressee a proceeding uses
    assert Addressee(organisation={"address_lines": lines, "finess": finess}).alsace_moselle is (
        expected
    )


def org(name: str, lines: list[str], finess: str | None = None, siren: str | None = None) -> dict:
    return {"name": name, "address_lines": lines, "finess": finess, "siren": siren}


KEYS = [
    (
        "the FINESS number first",
        org("CH A", ["67000 Strasbourg"], "670000000", "552100554"),
        "finess:670000000",
    ),
    ("then the SIREN", org("Société B", ["75008 Paris"], None, "552100554"), "siren:552100554"),
    (
        "else the folded name and the postal code",
        org("Clinique Sainte-Anne", ["1 rue X", "67000 Strasbourg"]),
        "name:clinique sainte anne|67000",
    ),
    (
        "a name without a French address",
        org("Cabinet Müller", ["10117 Berlin", "ALLEMAGNE"]),
        "name:cabinet muller|",
    ),
]


@pytest.mark.parametrize(("name", "raw", "key"), KEYS, ids=[case[0] for case in KEYS])
def test_the_organisation_key(name: str, raw: dict[str, Any], key: str) -> None:
    assert organisation_key(raw) == key


SAME_OR_NOT = [
    (
        "case, accents and hyphens do not matter",
        org("CLINIQUE SAINTE ANNE", ["67000 STRASBOURG"]),
        org("Clinique Sainte-Anne", ["1 rue X", "67000 Strasbourg"]),
        True,
    ),
    (
        "another town is another clinic",
        org("Clinique Sainte-Anne", ["67000 Strasbourg"]),
        org("Clinique Sainte-Anne", ["75014 Paris"]),
        False,
    ),
    (
        "one FINESS number, two spellings",
        org("CHU X", ["67000 Strasbourg"], "670000000"),
        org("Centre hospitalier universitaire X", ["67091 Strasbourg Cedex"], "670000000"),
        True,
    ),
    (
        "one SIREN, two addresses",
        org("Société B", ["75008 Paris"], None, "552100554"),
        org("SOCIETE B SA", ["92100 Boulogne"], None, "552100554"),
        True,
    ),
    (
        "a catalogue platform is never an organisation",
        org("doctolib", []),
        None,
        False,
    ),
]


@pytest.mark.parametrize(("name", "a", "b", "same"), SAME_OR_NOT, ids=[c[0] for c in SAME_OR_NOT])
def test_when_two_organisations_are_one(
    name: str, a: dict[str, Any], b: dict[str, Any] | None, same: bool
) -> None:
    first = Addressee(organisation=a)
    second = Addressee(organisation=b) if b is not None else Addressee(platform="doctolib")
    assert (first.key == second.key) is same


def test_an_organisation_is_checked_naming_the_field() -> None:
    with pytest.raises(Invalid) as refused:
        Addressee.of_organisation(organisation(siren="123456789"))
    assert set(refused.value.errors) == {"organisation.siren"}
    with pytest.raises(Invalid) as refused:
        Addressee.of_organisation(organisation(name=""))
    assert set(refused.value.errors) == {"organisation.name"}
    with pytest.raises(Invalid) as refused:
        Addressee.of_organisation(organisation(email="dpo@"))
    assert set(refused.value.errors) == {"organisation.email"}
    with pytest.raises(Invalid) as refused:
        Addressee.of_organisation("Hôpital")
    assert set(refused.value.errors) == {"organisation"}
    # a hand-typed organisation (no SIREN nor FINESS keys, the wizard's own category)
    kept = Addressee.of_organisation(
        {"name": "Dr Exemple", "address_lines": ["26000 Valence"], "category": "practitioner"}
    ).organisation
    assert kept == {
        "name": "Dr Exemple",
        "address_lines": ["26000 Valence"],
        "email": None,
        "siren": None,
        "finess": None,
        "category": "practitioner",
        "public": None,
    }


# (name, received, refusal, estimated) -> (refused_on, implicit, due, later refusal)
CADA = [
    (
        "silence: one month after receipt, then two months",
        D(2026, 3, 5),
        None,
        (D(2026, 4, 5), True, D(2026, 6, 5), None),
    ),
    (
        "silence from 31 January: the month ends on 28 February",
        D(2026, 1, 31),
        None,
        (D(2026, 2, 28), True, D(2026, 4, 28), None),
    ),
    (
        "a refusal within the month: two months from it, a Sunday kept as it is",
        D(2026, 3, 5),
        D(2026, 3, 10),
        (D(2026, 3, 10), False, D(2026, 5, 10), None),
    ),
    (
        "a refusal after the month of silence: the earlier date is kept",
        D(2026, 3, 5),
        D(2026, 4, 20),
        (D(2026, 4, 5), True, D(2026, 6, 5), D(2026, 4, 20)),
    ),
    (
        "a refusal, the receipt unknown",
        None,
        D(2026, 3, 10),
        (D(2026, 3, 10), False, D(2026, 5, 10), None),
    ),
    (
        "a refusal on 31 December: the period ends on the last day of February",
        D(2026, 12, 20),
        D(2026, 12, 31),
        (D(2026, 12, 31), False, D(2027, 2, 28), None),
    ),
    (
        "the same in a leap year",
        D(2027, 12, 20),
        D(2027, 12, 31),
        (D(2027, 12, 31), False, D(2028, 2, 29), None),
    ),
]


@pytest.mark.parametrize(
    ("name", "received", "refusal", "expected"), CADA, ids=[case[0] for case in CADA]
)
def test_the_last_day_to_refer_to_the_cada(
    name: str,
    received: D | None,
    refusal: D | None,
    expected: tuple[D, bool, D, D | None],
) -> None:
    found = cada_referral_deadline(received, refusal)
    assert found is not None
    assert (found.refused_on, found.implicit, found.due, found.later_refusal) == expected


def test_no_cada_date_without_a_receipt_or_a_refusal() -> None:
    assert cada_referral_deadline(None, None) is None
    assert implicit_refusal_on(D(2026, 1, 30)) == D(2026, 2, 28)


LETTER_ON = D(2026, 3, 2)


def facts_of(right: str, *events: Event) -> Facts:
    facts = start(right, LETTER_ON)
    for event in events:
        facts = apply(facts, event, D(2027, 1, 1))
    return facts


SENT = Event(kind="sent", date=D(2026, 3, 3), channel="email")
RECEIVED = Event(kind="received", date=D(2026, 3, 5))
REFUSED = Event(kind="answer", date=D(2026, 3, 20), outcome="refusal")

# (name, right, events, hospital) -> (refused_on, implicit, due, estimated) or None
CADA_CASES: list[tuple[str, str, tuple[Event, ...], bool, tuple[D, bool, D, bool] | None]] = [
    (
        "silent hospital",
        "medical-record",
        (SENT, RECEIVED),
        True,
        (D(2026, 4, 5), True, D(2026, 6, 5), False),
    ),
    (
        "receipt unknown: counted from the sending",
        "medical-record",
        (SENT,),
        True,
        (D(2026, 4, 3), True, D(2026, 6, 3), True),
    ),
    (
        "refused",
        "medical-record",
        (SENT, RECEIVED, REFUSED),
        True,
        (D(2026, 3, 20), False, D(2026, 5, 20), False),
    ),
    (
        "silent after a reminder",
        "medical-record",
        (SENT, RECEIVED, Event(kind="reminder", date=D(2026, 3, 20), channel="post")),
        True,
        (D(2026, 4, 5), True, D(2026, 6, 5), False),
    ),
    (
        "a CNIL complaint leaves the CADA open",
        "medical-record",
        (SENT, RECEIVED, REFUSED, Event(kind="complaint", date=D(2026, 3, 25), authority="cnil")),
        True,
        (D(2026, 3, 20), False, D(2026, 5, 20), False),
    ),
    ("a private clinic", "medical-record", (SENT, RECEIVED, REFUSED), False, None),
    ("not a medical record", "access", (SENT, RECEIVED), True, None),
    ("not sent yet", "medical-record", (), True, None),
    (
        "the record was given",
        "medical-record",
        (SENT, RECEIVED, Event(kind="answer", date=D(2026, 3, 9), outcome="complete")),
        True,
        None,
    ),
    (
        "part of it was given",
        "medical-record",
        (SENT, RECEIVED, Event(kind="answer", date=D(2026, 3, 9), outcome="incomplete")),
        True,
        None,
    ),
    (
        "the CADA is seized",
        "medical-record",
        (SENT, RECEIVED, REFUSED, Event(kind="complaint", date=D(2026, 3, 25), authority="cada")),
        True,
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "right", "events", "hospital", "expected"),
    CADA_CASES,
    ids=[case[0] for case in CADA_CASES],
)
def test_when_a_proceeding_shows_the_cada_date(
    name: str,
    right: str,
    events: tuple[Event, ...],
    hospital: bool,
    expected: tuple[D, bool, D, bool] | None,
) -> None:
    found = cada_of(facts_of(right, *events), hospital=hospital)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.refused_on, found.implicit, found.due, found.estimated) == expected


def test_the_cada_next_step_carries_its_last_day() -> None:
    facts = facts_of("medical-record", SENT, RECEIVED, REFUSED)
    step = next_step(facts, due_of(facts), D(2026, 4, 1), hospital=True)
    assert (step.code, step.letter, step.when) == ("refer-cada", "cada-referral", D(2026, 5, 20))


def test_a_reminder_comes_seven_days_before_the_last_day_for_the_cada() -> None:
    facts = facts_of("medical-record", SENT, RECEIVED, REFUSED)
    cada = cada_of(facts, hospital=True)
    assert cada is not None
    assert ("cada", D(2026, 5, 13)) in reminder_moments(facts, due_of(facts), cada)
    # once the CADA is seized, or for a private clinic, no such reminder
    seized = facts_of(
        "medical-record",
        SENT,
        RECEIVED,
        REFUSED,
        Event(kind="complaint", date=D(2026, 3, 25), authority="cada"),
    )
    assert cada_of(seized, hospital=True) is None
    assert cada_of(facts, hospital=False) is None
    assert all(moment != "cada" for moment, _day in reminder_moments(facts, due_of(facts)))


# ------------------------------------------------------------------ the databases


def own_file(db: Session, world: World) -> PatientFile:
    file = db.get(PatientFile, world.ids["own_file"])
    assert file is not None
    return file


def track(
    db: Session,
    world: World,
    raw: dict[str, Any],
    kind: str = "medical-record",
    letter_on: D | None = None,
) -> Proceeding:
    file = own_file(db, world)
    letter = store_letter(
        db,
        file,
        kind,
        Addressee.of_organisation(raw),
        IDENTITY,
        None,
        world.users["patient"].id,
        letter_on or TODAY - dt.timedelta(days=60),
    )
    proceeding, created = track_letter(db, file, letter, world.users["patient"].id, TODAY)
    assert created
    return proceeding


def test_a_letter_to_an_organisation_is_kept_sealed_and_made_again(
    db: Session, world: World, tmp_path: Path
) -> None:
    file = own_file(db, world)
    before = file.platforms_sealed
    stored = store_letter(
        db,
        file,
        "medical-record",
        Addressee.of_organisation(organisation()),
        IDENTITY,
        None,
        world.users["patient"].id,
    )
    db.commit()
    db.expire_all()
    again = db.get(StoredLetter, stored.id)
    assert again is not None
    content = letter_content(again)
    assert "platform" not in content
    assert content["organisation"]["finess"] == "670000000"
    # sealed: neither the name nor the FINESS number is in the row as stored
    assert b"Exemple" not in again.content_sealed
    assert b"670000000" not in again.content_sealed
    # no catalogue platform was added to the file's list
    assert own_file(db, world).platforms_sealed == before
    letter = letter_of(again)
    assert letter.recipient.name == "Hôpital d'Exemple de Strasbourg"
    from app.letters.render import letter_pdf

    words = " ".join(pdf_text(letter_pdf(letter), tmp_path).split())
    assert "1 place de l'Exemple" in words
    assert "67091 Strasbourg Cedex" in words


def test_a_wrong_organisation_is_refused_and_nothing_is_kept(db: Session, world: World) -> None:
    file = own_file(db, world)
    count = len(db.exec(select(StoredLetter)).all())
    with pytest.raises(Invalid) as refused:
        store_letter(
            db,
            file,
            "access",
            Addressee(organisation=organisation(siren="123456789", finess=None)),
            IDENTITY,
            None,
            None,
        )
    assert set(refused.value.errors) == {"organisation.siren"}
    assert len(db.exec(select(StoredLetter)).all()) == count


def test_a_cada_referral_to_a_private_clinic_is_refused_before_anything_is_kept(
    db: Session, world: World
) -> None:
    with pytest.raises(Invalid) as refused:
        store_letter(
            db,
            own_file(db, world),
            "cada-referral",
            Addressee.of_organisation(organisation(public=False)),
            IDENTITY,
            None,
            None,
        )
    assert "CADA" in refused.value.errors["kind"]


def test_a_medical_record_in_strasbourg_follows_the_alsace_moselle_calendar(
    db: Session, world: World
) -> None:
    """Received on 18 December 2025: eight days end on 26 December, a holiday in the Bas-Rhin
    (not elsewhere): the record is due on Monday 29 December."""
    proceeding = track(db, world, organisation(), letter_on=D(2025, 12, 15))
    record(db, proceeding, Event(kind="sent", date=D(2025, 12, 16), channel="post"), TODAY)
    view = record(db, proceeding, Event(kind="received", date=D(2025, 12, 18)), TODAY)
    assert view.alsace_moselle
    assert view.recipient_name == "Hôpital d'Exemple de Strasbourg"
    assert view.due.day == D(2025, 12, 29)
    assert medical_record_deadline(D(2025, 12, 18)).due == D(2025, 12, 26)
    assert view.due.deadline is not None
    assert "L3134-13" in view.due.deadline.basis
    # the same hospital with a Lyon address is counted like the rest of France
    elsewhere = track(
        db,
        world,
        organisation(
            name="Hôpital d'Exemple de Lyon",
            finess="690000000",
            address_lines=["1 place de l'Exemple", "69003 Lyon"],
        ),
        letter_on=D(2025, 12, 15),
    )
    record(db, elsewhere, Event(kind="sent", date=D(2025, 12, 16), channel="post"), TODAY)
    lyon = record(db, elsewhere, Event(kind="received", date=D(2025, 12, 18)), TODAY)
    assert not lyon.alsace_moselle
    assert lyon.due.day == D(2025, 12, 26)


def test_one_open_request_per_organisation_and_right(db: Session, world: World) -> None:
    file = own_file(db, world)
    author = world.users["patient"].id
    first, created = track_new_letter(
        db, file, "medical-record", Addressee.of_organisation(organisation()), IDENTITY, None,
        author, TODAY,
    )  # fmt: skip
    assert created
    # the same FINESS number, spelt otherwise: the same request
    again, created = track_new_letter(
        db,
        file,
        "medical-record",
        Addressee.of_organisation(organisation(name="HOPITAL D EXEMPLE", address_lines=[])),
        IDENTITY,
        None,
        author,
        TODAY,
    )
    assert (again.id, created) == (first.id, False)
    # another right toward it, or another establishment: new requests
    other_right, created = track_new_letter(
        db, file, "access", Addressee.of_organisation(organisation()), IDENTITY, None, author,
        TODAY,
    )  # fmt: skip
    assert created
    assert other_right.id != first.id
    typed = organisation(finess=None, name="Clinique du Parc", address_lines=["67000 Strasbourg"])
    clinic, created = track_new_letter(
        db, file, "medical-record", Addressee.of_organisation(typed), IDENTITY, None, author, TODAY
    )
    assert created
    found = find_open(
        db,
        file.id,
        Addressee.of_organisation({**typed, "name": "CLINIQUE DU PARC"}),
        "medical-record",
    )
    assert found is not None
    assert found.id == clinic.id
    assert find_open(db, file.id, "doctolib", "medical-record") is None
    # once closed, a new request can be followed
    record(db, first, Event(kind="closed", date=TODAY), TODAY)
    assert (
        find_open(db, file.id, Addressee.of_organisation(organisation()), "medical-record") is None
    )


def test_existing_rows_without_organisation_are_platforms(db: Session, world: World) -> None:
    proceeding = db.get(Proceeding, world.ids["member_proceeding"])
    assert proceeding is not None
    assert "organisation" not in content_of(proceeding)
    view = view_of(proceeding, TODAY)
    assert (view.platform, view.organisation, view.recipient_name) == ("doctolib", None, "Doctolib")


def sent_and_received(db: Session, proceeding: Proceeding, days_ago: int) -> None:
    sent = TODAY - dt.timedelta(days=days_ago)
    record(db, proceeding, Event(kind="sent", date=sent, channel="post"), TODAY)
    record(db, proceeding, Event(kind="received", date=sent + dt.timedelta(days=2)), TODAY)


def test_a_reminder_to_an_organisation_carries_its_address(
    db: Session, world: World, tmp_path: Path
) -> None:
    proceeding = track(db, world, organisation())
    sent_and_received(db, proceeding, 40)
    view = view_of(proceeding, TODAY)
    assert view.step.code == "remind"
    letter = make_follow_up(db, proceeding, "reminder", world.users["patient"].id, TODAY)
    assert letter_content(letter)["organisation"]["name"] == "Hôpital d'Exemple de Strasbourg"
    from app.letters.render import letter_pdf

    words = " ".join(pdf_text(letter_pdf(letter_of(letter)), tmp_path).split())
    assert "Hôpital d'Exemple de Strasbourg" in words
    assert "1 place de l'Exemple" in words
    assert "67091 Strasbourg Cedex" in words


def refused_hospital(
    db: Session, world: World, public: bool | None, name: str = "Hôpital d'Exemple de Strasbourg"
) -> Proceeding:
    raw = organisation(
        name=name, public=public, finess=None, address_lines=["1 rue X", "75014 Paris"]
    )
    proceeding = track(db, world, raw)
    sent_and_received(db, proceeding, 20)
    refusal = TODAY - dt.timedelta(days=5)
    record(db, proceeding, Event(kind="answer", date=refusal, outcome="refusal"), TODAY)
    return proceeding


def test_the_cada_is_offered_for_a_public_organisation_and_not_a_private_one(
    db: Session, world: World
) -> None:
    public = view_of(refused_hospital(db, world, True), TODAY)
    assert public.hospital
    assert public.step.code == "refer-cada"
    assert public.cada is not None
    assert public.cada.due == add_months(TODAY - dt.timedelta(days=5), 2)
    assert "cada-referral" in useful_letters(public.facts, public.due, TODAY, hospital=True)
    private = view_of(refused_hospital(db, world, False, "Clinique privée d'Exemple"), TODAY)
    assert not private.hospital
    assert private.step.code == "complain"
    assert private.cada is None
    assert "cada-referral" not in useful_letters(private.facts, private.due, TODAY, hospital=False)
    # a hospital that did not say: the CADA may act, so it is offered (as for the catalogue)
    unknown = view_of(refused_hospital(db, world, None, "Hôpital sans statut connu"), TODAY)
    assert unknown.step.code == "refer-cada"


def test_the_psychiatric_care_commission_makes_it_two_months(db: Session, world: World) -> None:
    proceeding = track(db, world, organisation())
    sent = TODAY - dt.timedelta(days=6)
    record(db, proceeding, Event(kind="sent", date=sent, channel="email"), TODAY)
    record(db, proceeding, Event(kind="received", date=sent), TODAY)
    before = view_of(proceeding, TODAY)
    view = record(db, proceeding, Event(kind="commission", date=TODAY), TODAY)
    assert view.due.deadline is not None
    assert view.due.deadline.psychiatric_commission
    assert before.due.day is not None
    assert view.due.day is not None
    assert view.due.day > before.due.day
    assert view.due.day >= add_months(sent, 2)
    assert proceeding.due_on == view.due.day  # the plain column the reminder scan reads


# ------------------------------------------------------------------ the pages


def organisation_form(**changes: str) -> dict[str, str]:
    return {
        "name": "Clinique de l'Exemple",
        "line1": "Direction",
        "line2": "1 place de l'Exemple",
        "line3": "67000 Strasbourg",
        "email": "",
        "category": "hospital",
        "public": "no",
        **changes,
    }


IDENTITY_FORM = {
    "given_name": "Marie",
    "family_name": "Dupont",
    "address_line1": "12 rue des Lilas",
    "postal_code": "75011",
    "city": "Paris",
    "country": "FR",
}


def write_to_an_organisation(client: CheckedClient, csrf: str, **changes: str) -> None:
    """The wizard: an organisation typed by hand, its recommended letter, its questions as they
    are, the identity; ends on the preview."""
    response = client.post(
        "/lettres/organisme",
        data={**organisation_form(**changes), "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/lettres/demande"
    response = client.post(
        "/lettres/demande",
        data={"kind": "medical-record", "csrf_token": csrf},
        follow_redirects=False,
    )
    location = response.headers["location"]
    while location.startswith("/lettres/options/"):
        form = client.get(location)
        assert form.status_code == 200
        response = client.post(location, data={"csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 303, error_messages(response.text)
        location = response.headers["location"]
    assert location == "/lettres/identite"
    client.post("/lettres/identite", data={**IDENTITY_FORM, "csrf_token": csrf})


def test_follow_a_letter_to_an_organisation_typed_by_hand(
    app: Any, db: Session, world: World
) -> None:
    client, csrf = signed(app, world, "other_patient")
    with client:
        write_to_an_organisation(client, csrf)
        preview = text(client.get("/lettres/apercu"))
        assert "Suivre cette demande" in preview
        assert 'action="/suivi"' in preview
        assert "organismes du catalogue" not in preview
        response = client.post("/suivi", data={"csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == 303
        location = response.headers["location"]
        assert location.endswith("?fait=suivi")
        page = plain(text(client.get(location)))
        assert "Demande à Clinique de l'Exemple" in page
        assert "Obtenir mon dossier médical" in page
        # following it twice opens the same request
        again = client.post("/suivi", data={"csrf_token": csrf}, follow_redirects=False)
        assert again.headers["location"] == location.replace("fait=suivi", "fait=deja")
        # the letter is in "Mes lettres", under the organisation's name
        letters = text(client.get("/compte/lettres"))
        assert "Clinique de l'Exemple" in letters
        assert "Voir le suivi" in letters
        # record the sending: the Alsace-Moselle rule is told
        pid = location.split("/")[2].split("?")[0]
        response = client.post(
            f"/suivi/{pid}/etapes/envoi",
            data={**date_form(TODAY), "channel": "email", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        detail = plain(text(client.get(f"/suivi/{pid}")))
        assert "L'organisme est en Alsace-Moselle" in detail
        dashboard = text(client.get("/suivi"))
        assert "Clinique de l'Exemple" in dashboard
        ics = client.get(f"/suivi/{pid}/echeances.ics")
        assert ics.status_code == 200
        assert Calendar.from_ical(ics.content).walk("VEVENT")


def test_keep_a_letter_to_an_organisation_then_follow_it_from_the_account(
    app: Any, db: Session, world: World, tmp_path: Path
) -> None:
    client, csrf = signed(app, world, "other_patient")
    with client:
        write_to_an_organisation(client, csrf, name="Cabinet du Dr Exemple", category="other")
        letters = text(client.get("/compte/lettres"))
        assert "Garder la lettre en cours" in letters
        client.post("/compte/lettres", data={"csrf_token": csrf})
        letters = text(client.get("/compte/lettres"))
        assert "Cabinet du Dr Exemple" in letters
        stored = [
            s for s in db.exec(select(StoredLetter)).all() if letter_content(s).get("organisation")
        ]
        assert len(stored) == 1
        pdf = client.get(f"/compte/lettres/{stored[0].id}/lettre.pdf")
        assert pdf.status_code == 200
        assert "1 place de l'Exemple" in " ".join(pdf_text(pdf.content, tmp_path).split())
        response = client.post(
            f"/compte/lettres/{stored[0].id}/suivre",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.headers["location"].endswith("?fait=suivi")
        page = plain(text(client.get(response.headers["location"])))
        assert "Demande à Cabinet du Dr Exemple" in page
        # "Mes données": the letter as PDF, and who it went to in data.json
        export = client.post("/compte/mes-donnees", data={"csrf_token": csrf})
        archive = zipfile.ZipFile(io.BytesIO(export.content))
        names = archive.namelist()
        assert any(name.endswith("-medical-record-organisme.pdf") for name in names)
        data = json.loads(archive.read("donnees.json"))
        kept = [
            letter
            for file in data["account"]["files"]
            for letter in file["letters"]
            if "organisation" in letter
        ]
        assert kept[0]["organisation"]["name"] == "Cabinet du Dr Exemple"
        followed = data["tracking"]["proceedings"]
        assert followed[0]["organisation"]["name"] == "Cabinet du Dr Exemple"
        assert followed[0]["platform"] is None


def test_the_cada_date_on_the_page_of_a_public_hospital_not_a_private_one(
    app: Any, db: Session, world: World
) -> None:
    public = refused_hospital(db, world, True)
    private = refused_hospital(db, world, False, "Clinique privée d'Exemple")
    db.commit()
    due = long_date(add_months(TODAY - dt.timedelta(days=5), 2), "fr")
    client, csrf = signed(app, world, "patient")
    with client:
        page = plain(text(client.get(f"/suivi/{public.id}")))
        assert "Saisir la CADA" in page
        assert f"Au plus tard le {due}" in page
        assert f"Saisissez la CADA au plus tard le {due}." in page
        assert "R343-1" in page
        assert "lettres/nouvelle?type=cada-referral" in page
        other = plain(text(client.get(f"/suivi/{private.id}")))
        assert "Saisir la CADA" not in other
        assert "type=cada-referral" not in other
        assert "lettres/nouvelle?type=complaint-file" in other
        # the CADA referral, written from the proceeding: addressed to the CADA, naming the
        # establishment
        response = client.post(
            f"/suivi/{public.id}/lettres",
            data={"kind": "cada-referral", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        refused = client.post(
            f"/suivi/{private.id}/lettres",
            data={"kind": "cada-referral", "csrf_token": csrf},
            follow_redirects=False,
        )
        assert refused.status_code == 409


def test_a_silent_public_hospital_shows_the_cada_date_from_its_silence(
    app: Any, db: Session, world: World
) -> None:
    proceeding = track(db, world, organisation(), letter_on=TODAY - dt.timedelta(days=60))
    sent_and_received(db, proceeding, 50)
    unknown = track(db, world, organisation(), kind="access")
    # an access request is not a medical record: no CADA date there
    record(db, unknown, Event(kind="sent", date=TODAY, channel="email"), TODAY)
    db.commit()
    received = TODAY - dt.timedelta(days=48)
    silence, due = add_months(received, 1), add_months(add_months(received, 1), 2)
    client, _csrf = signed(app, world, "patient")
    with client:
        page = plain(text(client.get(f"/suivi/{proceeding.id}")))
        assert f"depuis le {long_date(silence, 'fr')}, ce silence vaut refus" in page
        assert f"jusqu'au {long_date(due, 'fr')}" in page
        assert "vous pouvez saisir la CADA jusqu'au" in page  # under the next step: remind
        assert "Saisir la CADA" in page
        ics = Calendar.from_ical(client.get(f"/suivi/{proceeding.id}/echeances.ics").content)
        days = {event["DTSTART"].dt for event in ics.walk("VEVENT")}
        assert due in days
        assert "Saisir la CADA" not in plain(text(client.get(f"/suivi/{unknown.id}")))


def test_record_the_psychiatric_care_commission_on_its_page(
    app: Any, db: Session, world: World
) -> None:
    proceeding = track(db, world, organisation())
    sent_and_received(db, proceeding, 3)
    access = track(db, world, organisation(), kind="access")
    sent_and_received(db, access, 3)
    db.commit()
    client, csrf = signed(app, world, "patient")
    with client:
        detail = text(client.get(f"/suivi/{proceeding.id}"))
        assert f"/suivi/{proceeding.id}/etapes/commission" in detail
        assert f"/suivi/{access.id}/etapes/commission" not in text(
            client.get(f"/suivi/{access.id}")
        )
        form = plain(text(client.get(f"/suivi/{proceeding.id}/etapes/commission")))
        assert "commission départementale des soins psychiatriques" in form
        future = client.post(
            f"/suivi/{proceeding.id}/etapes/commission",
            data={**date_form(TODAY + dt.timedelta(days=1)), "csrf_token": csrf},
        )
        assert future.status_code == 422
        assert "futur" in error_messages(future.text)["date"]
        response = client.post(
            f"/suivi/{proceeding.id}/etapes/commission",
            data={**date_form(TODAY), "csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303
        page = plain(text(client.get(f"/suivi/{proceeding.id}")))
        assert "La commission départementale des soins psychiatriques a été saisie" in page
        # received yesterday (sent three days ago, received two days later), in Strasbourg
        deadline = medical_record_deadline(
            TODAY - dt.timedelta(days=1), psychiatric_commission=True, alsace_moselle=True
        )
        assert deadline.due is not None
        assert f"Le {long_date(deadline.due, 'fr')}" in page
        refused = client.get(f"/suivi/{access.id}/etapes/commission")
        assert refused.status_code == 409


# ------------------------------------------------------------------ the API and the calendar


def test_the_api_follows_a_request_to_an_organisation(app: Any, db: Session, world: World) -> None:
    headers = bearer(db, world, "patient")
    body = {"kind": "medical-record", "organisation": organisation()}
    with CheckedClient(app) as client:
        neither = client.post("/api/v1/proceedings", json={"kind": "access"}, headers=headers)
        assert neither.status_code == 422
        assert {tuple(e["loc"]) for e in neither.json()["detail"]} == {
            ("body", "platform"),
            ("body", "organisation"),
        }
        both = client.post(
            "/api/v1/proceedings", json={**body, "platform": "doctolib"}, headers=headers
        )
        assert both.status_code == 422
        assert [e["loc"] for e in both.json()["detail"]] == [["body", "organisation"]]
        bad = client.post(
            "/api/v1/proceedings",
            json={**body, "organisation": organisation(siren="123456789")},
            headers=headers,
        )
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["body", "organisation", "siren"]
        shape = client.post(
            "/api/v1/proceedings",
            json={**body, "organisation": organisation(finess="67")},
            headers=headers,
        )
        assert shape.status_code == 422
        assert shape.json()["detail"][0]["loc"][:3] == ["body", "organisation", "finess"]
        assert len(db.exec(select(Proceeding)).all()) == 1  # the world's only one
        created = client.post("/api/v1/proceedings", json=body, headers=headers)
        assert created.status_code == 201, created.text
        out = created.json()
        assert out["platform"] is None
        assert out["organisation"]["finess"] == "670000000"
        assert out["platform_name"] == "Hôpital d'Exemple de Strasbourg"
        pid = out["id"]
        again = client.post("/api/v1/proceedings", json=body, headers=headers)
        assert again.json()["id"] == pid
        for event in (
            {"kind": "sent", "date": TODAY.isoformat(), "channel": "email"},
            {"kind": "received", "date": TODAY.isoformat()},
        ):
            response = client.post(f"/api/v1/proceedings/{pid}/events", json=event, headers=headers)
            assert response.status_code == 201, response.text
        state = response.json()
        # Strasbourg: Alsace-Moselle; a hospital: the day its silence would count as a refusal,
        # and the last day to seize the CADA then, are known already
        assert state["deadline"]["alsace_moselle"] is True
        assert state["cada"]["implicit"] is True
        assert state["cada"]["started"] is False
        assert state["cada"]["refused_on"] == add_months(TODAY, 1).isoformat()
        assert state["cada"]["due"] == add_months(add_months(TODAY, 1), 2).isoformat()
        refused = client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={"kind": "answer", "date": TODAY.isoformat(), "outcome": "refusal"},
            headers=headers,
        ).json()
        assert refused["next_step"]["code"] == "refer-cada"
        assert refused["next_step"]["when"] == add_months(TODAY, 2).isoformat()
        assert refused["cada"]["started"] is True
        letter = client.post(
            f"/api/v1/proceedings/{pid}/letters", json={"kind": "cada-referral"}, headers=headers
        )
        assert letter.status_code == 201, letter.text
        pdf = client.get(
            f"/api/v1/proceedings/{pid}/letters/{letter.json()['id']}", headers=headers
        )
        assert pdf.status_code == 200
        listed = client.get("/api/v1/proceedings", headers=headers).json()
        assert any(item["organisation"] and item["id"] == pid for item in listed)


def test_a_mandate_does_not_reach_an_organisation(app: Any, db: Session, world: World) -> None:
    """Mandates name catalogue platforms: a helper cannot follow a member's request to an
    organisation, by the API or by the pages."""
    headers = bearer(db, world, "helper_with_mandate")
    member = db.get(PatientFile, world.ids["member_file"])
    assert member is not None
    letter = store_letter(
        db,
        member,
        "access",
        Addressee.of_organisation(organisation()),
        IDENTITY,
        None,
        world.users["patient"].id,
    )
    proceeding, _created = track_letter(db, member, letter, world.users["patient"].id, TODAY)
    db.commit()
    with CheckedClient(app) as client:
        response = client.post(
            "/api/v1/proceedings",
            json={
                "kind": "access",
                "organisation": organisation(),
                "file_id": str(world.ids["member_file"]),
            },
            headers=headers,
        )
        assert response.status_code == 403
        assert client.get(f"/api/v1/proceedings/{proceeding.id}", headers=headers).status_code == (
            403
        )
    client, _csrf = signed(app, world, "helper_with_mandate")
    with client:
        assert client.get(f"/suivi/{proceeding.id}").status_code == 403
    patient, _csrf = signed(app, world, "patient")
    with patient:
        assert patient.get(f"/suivi/{proceeding.id}").status_code == 200


def test_calendar_and_reminder_for_an_organisation(db: Session, world: World) -> None:
    from app.proceedings.reminders import compose

    proceeding = refused_hospital(db, world, True)
    view = view_of(proceeding, TODAY)
    named = Calendar.from_ical(proceeding_calendar([view], names=True))
    summaries = [str(event["SUMMARY"]) for event in named.walk("VEVENT")]
    assert any("CADA" in s and "Hôpital d'Exemple de Strasbourg" in s for s in summaries)
    anonymous = proceeding_calendar([view], names=False).decode()
    assert "Exemple" not in anonymous
    assert "CADA" not in anonymous
    message = compose("marie@example.org", "due", TODAY, view, f"<{uuid.uuid4().hex}@test>")
    assert "Exemple" not in message.as_string()
