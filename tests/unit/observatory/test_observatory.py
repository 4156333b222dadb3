"""The observatory's figures on the real databases: the threshold of ten persons, counts rounded
to five, the delay (legal period plus one month), a person's choice to leave the figures, the
legal period taken from the deadline rules, and one association's members only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app import clock
from app.deadlines.calendar import add_months
from app.deadlines.rules import DeadlineQuery, compute_deadline
from app.jobs.runner import KINDS
from app.letters.addressees import Addressee
from app.models.account import User
from app.models.base import utcnow
from app.models.observatory import ObservatoryFact, Publication
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding
from app.observatory.facts import pseudonym
from app.observatory.figures import Cell, Scope, compute, figures_date, round_count
from app.observatory.published import published, published_for
from app.proceedings.events import Event
from app.proceedings.observatory import facts_from_scratch, rebuild, set_included
from app.proceedings.service import record
from tests.support.tracking import (
    AS_OF,
    OLD,
    TODAY,
    Person,
    organisation,
    people,
    person,
    request,
)
from tests.support.world import make_association


def run_job(db: Session) -> list[str]:
    """What the background job `observatory-publish` does when `reprise jobs run` calls it."""
    kind = KINDS["observatory-publish"]
    planned = list(kind.plan(db, utcnow()))
    for item in planned:
        kind.run(db, item.subject, utcnow())
    return [item.subject for item in planned]


def doctolib(db: Session, day: dt.date | None = None) -> list[Cell]:
    return [c for c in compute(db, day=day).cells if c.organisation == "platform:doctolib"]


@pytest.mark.parametrize(
    ("value", "rounded"), [(0, 0), (2, 0), (3, 5), (10, 10), (12, 10), (13, 15), (17, 15)]
)
def test_counts_are_rounded_to_the_nearest_five(value: int, rounded: int) -> None:
    assert round_count(value) == rounded


def test_nine_persons_publish_nothing_ten_publish_the_figures(db: Session) -> None:
    people(db, 9)
    assert doctolib(db) == []
    people(db, 1)
    [cell] = doctolib(db)
    assert (cell.name, cell.right, cell.year, cell.requests) == ("Doctolib", "access", OLD.year, 10)
    assert cell.share("on_time") == 100
    assert cell.share("unanswered") == 0
    assert (cell.median_days, cell.p90_days) == (20, 20)


def test_one_person_with_many_requests_is_still_one_person(db: Session) -> None:
    people(db, 8)
    who = person(db)
    request(db, who)
    [first] = db.exec(select(Proceeding).where(Proceeding.file_id == who.file.id)).all()
    record(db, first, Event(kind="closed", date=TODAY), TODAY)
    request(db, who, sent=OLD + dt.timedelta(days=1))
    # Ten requests, nine persons.
    assert len(db.exec(select(ObservatoryFact)).all()) == 10
    assert doctolib(db) == []


def test_one_more_request_does_not_move_the_figures_below_the_rounding(db: Session) -> None:
    # Eleven persons: six answered on time, five never answered.
    people(db, 6)
    people(db, 5, answer_after=None)
    before = doctolib(db)
    assert [c.requests for c in before] == [10]
    # A twelfth person's old request, answered late, and a thirteenth's too recent to count.
    request(db, person(db), answer_after=70)
    request(db, person(db), sent=TODAY - dt.timedelta(days=3), answer_after=1)
    assert doctolib(db) == before


def test_recent_requests_wait_for_the_legal_period_plus_one_month(db: Session) -> None:
    # Received on the 1st of last month: due in the month, counted a month later.
    sent = add_months(AS_OF, -1)
    people(db, 10, sent=sent, answer_after=5)
    assert doctolib(db) == []
    later = add_months(AS_OF, 2)
    [cell] = doctolib(db, day=later)
    assert cell.requests == 10


def test_the_period_is_the_deadline_rules_one(db: Session) -> None:
    # A medical record is due in 8 days: an answer on day 20 is late; an access request is
    # due in a month: on time. Same dates, different verdicts.
    people(db, 10, right="medical-record", slug="ap-hp", answer_after=20)
    people(db, 10, right="access", slug="ap-hp", answer_after=20)
    cells = {c.right: c for c in compute(db).cells if c.organisation == "platform:ap-hp"}
    assert cells["medical-record"].share("on_time") == 0
    assert cells["access"].share("on_time") == 100
    fact = db.exec(select(ObservatoryFact).where(ObservatoryFact.right == "medical-record")).first()
    rules = compute_deadline(DeadlineQuery(regime="medical-record", received=OLD))
    assert fact is not None
    assert fact.due_on == rules.due


def test_a_person_who_objects_leaves_the_figures_and_can_come_back(db: Session) -> None:
    people(db, 9)
    who = person(db, account=True)
    request(db, who)
    assert len(doctolib(db)) == 1
    assert who.file.user_id is not None
    user = db.get(User, who.file.user_id)
    assert user is not None
    set_included(db, user, False)
    assert doctolib(db) == []
    # Their next request does not count either.
    request(db, who, right="erasure")
    assert doctolib(db) == []
    set_included(db, user, True)
    assert [c.right for c in doctolib(db)] == ["access"]


def test_shares_median_and_percentile(db: Session) -> None:
    for days in range(1, 11):
        request(db, person(db), answer_after=days * 5, reminder_after=2 if days > 8 else None)
    people(db, 5, answer_after=None)
    people(db, 5, answer_after=10, outcome="refusal")
    [cell] = doctolib(db)
    assert cell.requests == 20
    assert cell.counts["unanswered"] == 5
    assert cell.share("unanswered") == 25
    assert cell.share("refused") == 25
    assert cell.counts["reminded"] == 0  # two reminders round to nothing
    # Answers after 5, 10, ..., 50 days and five after 10: nearest rank over 15.
    # Sorted: 5, 10 (six times), 15, 20, ..., 50: ranks 8 and 14 of 15.
    assert (cell.median_days, cell.p90_days) == (15, 45)


def test_an_association_sees_its_members_only_never_below_the_threshold(db: Session) -> None:
    association = make_association(db, "Les amis")
    for _ in range(10):
        request(db, person(db, association_id=association.id))
    people(db, 5)
    scope = Scope(association=pseudonym("association", association.id))
    [cell] = [c for c in compute(db, scope).cells if c.organisation == "platform:doctolib"]
    assert cell.requests == 10
    other = make_association(db, "Les autres")
    for _ in range(9):
        request(db, person(db, association_id=other.id))
    assert compute(db, Scope(association=pseudonym("association", other.id))).cells == ()


def test_the_summary_equals_a_rebuild_from_the_proceedings(db: Session) -> None:
    people(db, 10)
    people(db, 3, answer_after=None, right="erasure")
    kept = {f.id: f.model_dump() for f in db.exec(select(ObservatoryFact)).all()}
    assert {f.id: f.model_dump() for f in facts_from_scratch(db)} == kept
    assert rebuild(db) == len(kept) == 13


def test_the_month_is_published_once_and_kept_until_the_month_turns(db: Session) -> None:
    people(db, 10)
    assert run_job(db) == ["figures"]
    assert published(db) == compute(db)
    first = db.get(Publication, AS_OF)
    assert first is not None
    assert run_job(db) == []  # nothing to do until the month turns
    # Three more counted persons, never answered: the month's figures do not move.
    people(db, 3, answer_after=None)
    assert db.get(Publication, AS_OF) is first
    [cell] = published(db).cells
    assert (cell.requests, cell.counts["unanswered"]) == (10, 0)
    assert published_for(db, "platform:doctolib") == published(db)
    assert published_for(db, "platform:maiia").cells == ()
    # Next month they count: the first reader publishes the new month's figures.
    clock.set_now(clock.now() + dt.timedelta(days=32))
    [cell] = published(db).cells
    # Thirteen requests, three unanswered: 15 and 5 once rounded.
    assert (cell.requests, cell.counts["unanswered"], cell.share("unanswered")) == (15, 5, 33)
    assert [p.as_of for p in db.exec(select(Publication)).all()] == [figures_date()]
    assert run_job(db) == []


def test_a_reader_publishes_the_month_when_the_job_has_not(db: Session) -> None:
    people(db, 10)
    assert db.get(Publication, AS_OF) is None
    figures = published(db)
    assert db.get(Publication, AS_OF) is not None
    assert figures == compute(db)
    assert run_job(db) == []  # the job finds the month published


def test_leaving_the_figures_unpublishes_them(db: Session) -> None:
    people(db, 9)
    who = person(db, account=True)
    request(db, who)
    run_job(db)
    assert len(published(db).cells) == 1
    assert who.file.user_id is not None
    user = db.get(User, who.file.user_id)
    assert user is not None
    set_included(db, user, False)
    assert db.get(Publication, AS_OF) is None
    assert published(db).cells == ()


def test_organisations_outside_the_catalogue_are_told_apart_and_stay_sealed(
    db: Session,
) -> None:
    hospital = Addressee.of_organisation(organisation())
    # The same hospital under an older spelling (same FINESS), and another one (its SIREN).
    renamed = Addressee.of_organisation(organisation(name="CHU d'Exemple"))
    company = Addressee.of_organisation(
        organisation(name="Clinique Privée Exemple", finess=None, siren="552100554")
    )
    people(db, 5, slug=hospital, right="medical-record")
    people(db, 5, slug=renamed, right="medical-record", sent=OLD - dt.timedelta(days=1))
    people(db, 9, slug=company, right="medical-record")
    cells = compute(db).cells
    assert [(c.organisation, c.name, c.category, c.requests) for c in cells] == [
        ("finess:670000000", "Hôpital d'Exemple de Strasbourg", "hospital", 10)
    ]
    # In the table itself: neither the name nor the FINESS number.
    for fact in db.exec(select(ObservatoryFact)).all():
        dumped = repr(fact.model_dump(exclude={"recipient_sealed"}))
        assert "670000000" not in dumped
        assert "Exemple" not in dumped
        assert "doctolib" not in dumped


def test_after_a_new_secret_key_reindex_keeps_one_person_one_person(
    backend: str,
    tmp_path: Path,
    test_settings: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The summary's hashes are keyed by REPRISE_SECRET_KEY: after the key changes, a request
    updated or tracked is summarised under new hashes (one request twice, one person as two,
    the organisation no longer recognised) until `reprise keys reindex` rebuilds the summary
    under the new key."""
    from app.cli import main
    from app.db import get_engine, make_engine
    from app.migrate import upgrade
    from tests.conftest import clear_caches, drop_postgres_database, fresh_database_url

    url = fresh_database_url(backend, tmp_path, "obskeys")
    upgrade("head", url)
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            first = people(db, 10)[0].file.id
            db.commit()
        monkeypatch.setenv("REPRISE_DATABASE_URL", url)
        monkeypatch.setenv("REPRISE_SECRET_KEY", "another secret key, long enough: " + "x" * 16)
        clear_caches()
        with Session(engine) as db:
            again = db.get(PatientFile, first)
            assert again is not None
            [earlier] = db.exec(select(Proceeding).where(Proceeding.file_id == first)).all()
            record(db, earlier, Event(kind="closed", date=TODAY), TODAY)
            request(db, Person(again), sent=OLD + dt.timedelta(days=1))  # a second request
            db.commit()
            # Eleven requests, twelve rows; Doctolib's figures are gone.
            assert len(db.exec(select(ObservatoryFact)).all()) == 12
            assert doctolib(db) == []
        assert main(["keys", "reindex"]) == 0
        assert "11 request(s) in the observatory's summary" in capsys.readouterr().out
        with Session(engine) as db:
            proceedings = db.exec(select(Proceeding.id)).all()
            facts = db.exec(select(ObservatoryFact)).all()
            assert {f.id for f in facts} == {pseudonym("proceeding", p) for p in proceedings}
            assert len({f.person for f in facts}) == 10
            [cell] = compute(db).cells
            assert (cell.organisation, cell.persons, cell.requests) == ("platform:doctolib", 10, 10)
    finally:
        get_engine().dispose()
        engine.dispose()
        monkeypatch.undo()
        clear_caches()
        if backend == "postgresql":
            drop_postgres_database(engine.url.database or "")


def test_a_member_who_reaches_their_file_is_one_person_with_their_own_requests(
    db: Session,
) -> None:
    """Requests tracked by an association for a member without an account count under the
    file; once the member reaches it with their account, they count under the person, whose
    own requests are there too: one person, not two."""
    from app.proceedings.observatory_objection import file_linked

    association = make_association(db, "Les amis")
    people(db, 8)
    member = person(db, association_id=association.id)
    request(db, member)
    own = person(db, account=True)
    request(db, own, sent=OLD + dt.timedelta(days=1))
    assert [c.persons for c in doctolib(db)] == [10]
    member.file.user_id = own.file.user_id
    db.add(member.file)
    db.flush()
    file_linked(db, member.file)
    assert doctolib(db) == []  # nine persons
    assert own.file.user_id is not None
    mine = pseudonym("user", own.file.user_id)
    assert len(db.exec(select(ObservatoryFact).where(ObservatoryFact.person == mine)).all()) == 2
