"""Follow-ups say only what is true for this request, and refuse what comes too early or too late:
the same deadline engine as tracking, from the site, the command line and the API."""

import datetime as dt
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app import clock
from app.catalogue.loader import get_catalogue
from app.clock import PARIS
from app.errors import Invalid
from app.letters.compose import recipient_from_platform
from app.letters.document import Recipient
from app.letters.identity import Identity
from app.letters.kinds import OPTION_MODELS
from app.letters.render import letter_text
from app.letters.service import make_letter
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import IDENTITY_FORM, error_messages
from tests.support.texts import flat, plain
from tests.support.world import typed_date

MARCH_5 = date(2026, 3, 5)


def make(
    identity: dict[str, Any],
    kind: str,
    on: date,
    slug: str = "doctolib",
    recipient: Recipient | None = None,
    **options: Any,
) -> str:
    platform = get_catalogue().get(slug)
    assert platform is not None
    letter = make_letter(
        kind,
        Identity.model_validate(identity),
        recipient or recipient_from_platform(platform),
        OPTION_MODELS[kind].model_validate(options),
        on,
    )
    return flat(letter_text(letter))


def refusal(
    identity: dict[str, Any], kind: str, on: date, slug: str = "doctolib", **options: Any
) -> dict[str, str]:
    with pytest.raises(Invalid) as refused:
        make(identity, kind, on, slug, **options)
    return {field: plain(message) for field, message in refused.value.errors.items()}


# kind, options, letter date, slug; None: the letter is made; else (field, words it must say).
TIMING: list[tuple[str, dict[str, Any], date, str, tuple[str, str] | None]] = [
    # received 7 January: one month -> 7 February, a Saturday -> Monday 9 February
    ("reminder", {"received": "2026-01-07"}, date(2026, 2, 9), "doctolib",
     ("options.received", "à partir du 10 février 2026")),
    ("reminder", {"received": "2026-01-07"}, date(2026, 2, 10), "doctolib", None),
    # sent by post on 5 January, receipt unknown: estimated three working days later (8th)
    ("reminder", {"request_date": "2026-01-05", "channel": "post"}, date(2026, 2, 9),
     "doctolib", ("options.request_date", "à partir du 10 février 2026")),
    ("reminder", {"request_date": "2026-01-05", "channel": "email"}, date(2026, 2, 6),
     "doctolib", None),
    # the extension: three months from receipt -> 7 April 2026 (Tuesday)
    ("reminder", {"received": "2026-01-07", "extended": True}, date(2026, 3, 1), "doctolib",
     ("options.received", "à partir du 8 avril 2026")),
    # an identity proof asked on 20 January, sent on 30 January: ten days more
    ("reminder", {"received": "2026-01-07", "identity_requested": "2026-01-20",
                  "identity_answered": "2026-01-30"}, date(2026, 2, 17), "doctolib",
     ("options.received", "à partir du 18 février 2026")),
    ("reminder", {"received": "2026-01-07", "identity_requested": "2026-01-20"},
     date(2026, 3, 1), "doctolib", ("options.identity_answered", "suspendu")),
    # a medical record: eight days (15 January), two months for old information
    ("reminder", {"request_kind": "medical-record", "received": "2026-01-07"},
     date(2026, 1, 15), "ap-hp", ("options.received", "à partir du 16 janvier 2026")),
    ("reminder", {"request_kind": "medical-record", "received": "2026-01-07",
                  "older_than_5_years": True}, date(2026, 2, 1), "ap-hp",
     ("options.received", "à partir du 10 mars 2026")),
    ("complaint-file", {"received": "2026-01-07"}, date(2026, 2, 9), "doctolib",
     ("options.received", "réclamation pour absence de réponse sera possible à partir du "
      "10 février 2026")),
    ("complaint-file", {"received": "2026-01-07", "outcome": "refused"}, date(2026, 1, 20),
     "doctolib", None),
    # the CADA: one month of silence (7 February), then two months (7 April)
    ("cada-referral", {"received": "2026-01-07"}, date(2026, 2, 6), "ap-hp",
     ("options.received", "qu'à partir du 7 février 2026")),
    ("cada-referral", {"received": "2026-01-07"}, date(2026, 2, 7), "ap-hp", None),
    ("cada-referral", {"received": "2026-01-07"}, date(2026, 4, 7), "ap-hp", None),
    ("cada-referral", {"received": "2026-01-07"}, date(2026, 4, 8), "ap-hp",
     ("options.received", "Redemandez d'abord votre dossier")),
    ("cada-referral", {"refusal_date": "2026-01-20"}, date(2026, 1, 20), "ap-hp", None),
    ("cada-referral", {"refusal_date": "2026-01-20"}, date(2026, 3, 21), "ap-hp",
     ("options.refusal_date", "a pris fin le 20 mars 2026")),
    # sent on 5 January by post, receipt unknown: silence counted from the 8th at the earliest
    ("cada-referral", {"request_date": "2026-01-05"}, date(2026, 2, 7), "ap-hp",
     ("options.request_date", "qu'à partir du 8 février 2026")),
    # no date at all: nothing to check, the letter keeps its blanks
    ("reminder", {}, date(2026, 1, 2), "doctolib", None),
    ("complaint-file", {}, date(2026, 1, 2), "doctolib", None),
    ("cada-referral", {}, date(2026, 1, 2), "ap-hp", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "options", "on", "slug", "refused"),
    TIMING,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(TIMING)],
)
def test_a_follow_up_is_made_only_when_its_time_has_come(
    identity_data: dict[str, Any],
    kind: str,
    options: dict[str, Any],
    on: date,
    slug: str,
    refused: tuple[str, str] | None,
) -> None:
    with clock.running_from(dt.datetime(on.year, on.month, on.day, 10, tzinfo=PARIS)):
        if refused is None:
            assert make(identity_data, kind, on, slug, **options)
            return
        errors = refusal(identity_data, kind, on, slug, **options)
    field, words = refused
    assert list(errors) == [field]
    assert words in errors[field]


# kind, options, slug: what the letter must say, and must never say (dated 5 March 2026).
SAYS: list[tuple[str, dict[str, Any], str, list[str], list[str]]] = [
    ("reminder", {"request_date": "2026-01-05", "received": "2026-01-07", "channel": "post"},
     "doctolib",
     ["a pris fin le 9 février 2026", "je n'ai reçu ni réponse",
      "saisirai la Commission nationale de l'informatique et des libertés"],
     ["est dépassé", "[", "informé(e)", "Objet : relance :"]),
    # no date: the end of the period is a blank, nothing is stated as passed
    ("reminder", {}, "doctolib",
     ["vous donne un mois à compter de la réception", "Le [date d'envoi]",
      "reçue le [date de réception]"],
     ["est dépassé", "1er", "2026,", "a pris fin", "date de fin du délai"]),
    ("reminder", {"received": "2025-11-07", "extended": True, "channel": "email"}, "doctolib",
     ["Vous m'avez annoncé une prolongation", "a lui aussi pris fin le 9 février 2026"],
     ["informé(e)"]),
    ("reminder", {"received": "2026-01-07", "identity_requested": "2026-01-20",
                  "identity_answered": "2026-01-30"}, "doctolib",
     ["a pris fin le 17 février 2026", "suspension entre votre demande de justificatif "
      "d'identité, le 20 janvier 2026, et ma réponse, le 30 janvier 2026"], []),
    # a medical record at a public hospital: the CADA, not the CNIL
    ("reminder", {"request_kind": "medical-record", "received": "2026-01-07"}, "ap-hp",
     ["Le délai de huit jours prévu par l'article L. 1111-7",
      "a pris fin le 15 janvier 2026",
      "je saisirai la Commission d'accès aux documents administratifs (CADA)",
      "L. 342-1"],
     ["CNIL", "RGPD"]),
    # a private clinic: the CNIL
    ("reminder", {"request_kind": "medical-record", "received": "2026-01-07"}, "ramsay-sante",
     ["(CNIL) d'une réclamation"], ["CADA"]),
    ("complaint-file", {"received": "2026-01-07"}, "doctolib",
     ["a pris fin le 9 février 2026"],
     ["Vous m'avez", "Adresse : inconnu", "SIREN : inconnu", "informé(e)"]),
    ("complaint-file", {}, "doctolib",
     ["donne à l'organisme un mois"], ["inconnu", "a pris fin", "date de fin du délai"]),
    ("complaint-file", {"received": "2026-01-07", "on_behalf": True,
                        "data_subject": {"given_name": "Paul", "family_name": "Martin"}},
     "doctolib",
     ["Personne concernée par les données : Paul Martin",
      "Personne qui agit pour elle, en vertu du mandat joint : Marie Dupont",
      "Mandat signé par la personne concernée"], []),
    ("complaint-file", {"on_behalf": True}, "doctolib",
     ["Personne concernée par les données : [prénom et nom de la personne concernée]"], []),
    ("cada-referral", {"received": "2026-01-07"}, "ap-hp",
     ["ce silence vaut décision de refus depuis le 7 février 2026",
      "articles R. 311-12 et R. 311-13", "dans le délai de deux mois prévu par l'article R. 343-1",
      "Copie de ma demande restée sans réponse"],
     ["Par une décision"]),
    # an express refusal is referred as such: no "request left unanswered"
    ("cada-referral", {"received": "2026-01-07", "refusal_date": "2026-02-01"}, "ap-hp",
     ["Par une décision du 1er février 2026", "Copie de la décision de refus",
      "Copie de ma demande"],
     ["sans réponse", "silence"]),
    ("cada-referral", {}, "ap-hp",
     ["le silence gardé pendant un mois à compter de la réception d'une demande vaut décision "
      "de refus"],
     ["dans le délai de deux mois", "depuis le [date"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "options", "slug", "must", "never"),
    SAYS,
    ids=[f"{case[0]}-{index}" for index, case in enumerate(SAYS)],
)
def test_a_follow_up_says_what_is_true_and_nothing_else(
    identity_data: dict[str, Any],
    kind: str,
    options: dict[str, Any],
    slug: str,
    must: list[str],
    never: list[str],
) -> None:
    with clock.running_from(dt.datetime(2026, 3, 5, 10, tzinfo=PARIS)):
        text = make(identity_data, kind, MARCH_5, slug, **options)
    assert [words for words in must if flat(words) not in text] == []
    assert [words for words in never if flat(words) in text] == []


def test_a_letter_kept_earlier_is_made_again_as_it_was(identity_data: dict[str, Any]) -> None:
    """A stored follow-up, checked when it was written, is not refused when downloaded later."""
    platform = get_catalogue().get("ap-hp")
    assert platform is not None
    letter = make_letter(
        "cada-referral",
        Identity.model_validate(identity_data),
        recipient_from_platform(platform),
        OPTION_MODELS["cada-referral"].model_validate({"received": "2025-01-07"}),
        date(2025, 2, 10),
        check_dates=False,
    )
    assert "7 février 2025" in plain(letter_text(letter))


# ------------------------------------------------------------------ site, CLI, API


@pytest.fixture
def in_march() -> Iterator[None]:
    with clock.running_from(dt.datetime(2026, 2, 9, 10, tzinfo=PARIS)):
        yield


def _to_options(client: CheckedClient, slug: str, kind: str) -> str:
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": slug, "csrf_token": token})
    response = client.post(
        "/lettres/demande", data={"kind": kind, "csrf_token": token}, follow_redirects=False
    )
    assert response.headers["location"] == "/lettres/options/demande"
    return token


def test_the_site_refuses_an_early_reminder_next_to_the_date(
    in_march: None, client: CheckedClient
) -> None:
    token = _to_options(client, "doctolib", "reminder")
    form = {"request_kind": "access", **typed_date("received", "2026-01-07"), "channel": "post"}
    early = client.post("/lettres/options/demande", data={**form, "csrf_token": token})
    assert early.status_code == 422
    errors = error_messages(early.text)
    assert list(errors) == ["received"]
    assert "La relance sera possible à partir du 10 février 2026" in errors["received"]
    # nothing changed: the wizard is still on this page
    assert client.get("/lettres/identite", follow_redirects=False).status_code == 303


def test_the_site_makes_the_reminder_from_its_first_day(client: CheckedClient) -> None:
    with clock.running_from(dt.datetime(2026, 2, 10, 10, tzinfo=PARIS)):
        token = _to_options(client, "doctolib", "reminder")
        form = {"request_kind": "access", **typed_date("received", "2026-01-07"), "channel": "post"}
        response = client.post(
            "/lettres/options/demande", data={**form, "csrf_token": token}, follow_redirects=False
        )
        assert response.status_code == 303
        for page in ("prolongation", "justificatif"):
            client.post(f"/lettres/options/{page}", data={"csrf_token": token})
        client.post("/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token})
        text = flat(client.get("/lettres/lettre.txt").text)
    assert "a pris fin le 9 février 2026" in text


def test_the_site_explains_a_late_cada_referral(client: CheckedClient) -> None:
    with clock.running_from(dt.datetime(2026, 4, 8, 10, tzinfo=PARIS)):
        token = _to_options(client, "ap-hp", "cada-referral")
        late = client.post(
            "/lettres/options/demande",
            data={**typed_date("received", "2026-01-07"), "csrf_token": token},
        )
    assert late.status_code == 422
    message = error_messages(late.text)["received"]
    assert "a pris fin le 7 avril 2026" in message
    assert "Redemandez d'abord votre dossier à l'établissement" in message


def _cli(identity_file: Path, tmp_path: Path, *flags: str) -> tuple[int, Path]:
    from app.cli import main

    out = tmp_path / "relance.txt"
    code = main(
        [
            "letter",
            "--kind",
            "reminder",
            "--platform",
            "doctolib",
            "--identity",
            str(identity_file),
            "--out",
            str(out),
            "--format",
            "txt",
            *flags,
        ]
    )
    return code, out


def test_the_command_line_refuses_an_early_reminder(
    in_march: None, identity_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _cli(identity_file, tmp_path, "--received", "2026-01-07")
    assert code != 0
    error = plain(capsys.readouterr().err)
    assert "options.received" in error
    assert "La relance sera possible à partir du 10 février 2026" in error
    assert not out.exists()
    # a letter dated before the first day is refused too
    code, out = _cli(identity_file, tmp_path, "--received", "2026-01-07", "--date", "2026-02-01")
    assert code != 0
    assert not out.exists()


def test_the_command_line_makes_it_from_its_first_day(identity_file: Path, tmp_path: Path) -> None:
    with clock.running_from(dt.datetime(2026, 2, 10, 10, tzinfo=PARIS)):
        code, out = _cli(identity_file, tmp_path, "--received", "2026-01-07")
    assert code == 0
    assert "a pris fin le 9 février 2026" in flat(out.read_text())


def test_the_api_refuses_an_early_reminder_naming_the_date(
    in_march: None, client: CheckedClient, identity_data: dict[str, Any]
) -> None:
    body = {
        "kind": "reminder",
        "platform": "doctolib",
        "identity": identity_data,
        "options": {"received": "2026-01-07"},
        "format": "txt",
    }
    early = client.post("/api/v1/letters", json=body)
    assert early.status_code == 422
    [detail] = early.json()["detail"]
    assert detail["loc"] == ["body", "options", "received"]
    assert "à partir du 10 février 2026" in plain(detail["msg"])
    dated = client.post("/api/v1/letters", json={**body, "date": "2026-02-10"})
    assert dated.status_code == 200
    assert "a pris fin le 9 février 2026" in flat(dated.text)


def test_the_api_refuses_a_late_cada_referral(
    client: CheckedClient, identity_data: dict[str, Any]
) -> None:
    with clock.running_from(dt.datetime(2026, 4, 8, 10, tzinfo=PARIS)):
        late = client.post(
            "/api/v1/letters",
            json={
                "kind": "cada-referral",
                "platform": "ap-hp",
                "identity": identity_data,
                "options": {"received": "2026-01-07"},
            },
        )
    assert late.status_code == 422
    [detail] = late.json()["detail"]
    assert detail["loc"] == ["body", "options", "received"]
    assert "Redemandez d'abord" in plain(detail["msg"])


# ------------------------------------------------------------------ tracked requests


def tracked(right: str, *events: tuple[str, date, dict[str, Any]]) -> Any:
    from app.proceedings.events import Event
    from app.proceedings.lifecycle import apply, start

    facts = start(right, date(2026, 1, 2))
    for kind, day, extra in events:
        facts = apply(facts, Event(kind=kind, date=day, **extra), date(2026, 12, 31))
    return facts


SENT = ("sent", date(2026, 1, 5), {"channel": "email"})
RECEIVED = ("received", date(2026, 1, 7), {})
REFUSED = ("answer", date(2026, 1, 20), {"outcome": "refusal"})

# right, events, today, letter: offered or not, and why not (words of the message).
TRACKED: list[tuple[str, tuple[Any, ...], date, str, str | None]] = [
    ("access", (SENT, RECEIVED), date(2026, 2, 9), "reminder", "à partir du 10 février 2026"),
    ("access", (SENT, RECEIVED), date(2026, 2, 10), "reminder", None),
    ("access", (SENT, RECEIVED), date(2026, 2, 9), "complaint-file",
     "à partir du 10 février 2026"),
    ("access", (SENT, RECEIVED, REFUSED), date(2026, 1, 21), "complaint-file", None),
    # a public hospital's silence: the record is late after 8 days, the CADA after a month
    ("medical-record", (SENT, RECEIVED), date(2026, 1, 20), "cada-referral",
     "qu'à partir du 7 février 2026"),
    ("medical-record", (SENT, RECEIVED), date(2026, 2, 7), "cada-referral", None),
    ("medical-record", (SENT, RECEIVED), date(2026, 4, 8), "cada-referral",
     "Redemandez d'abord"),
    ("medical-record", (SENT, RECEIVED, REFUSED), date(2026, 3, 20), "cada-referral", None),
    ("medical-record", (SENT, RECEIVED, REFUSED), date(2026, 3, 21), "cada-referral",
     "a pris fin le 20 mars 2026"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("right", "events", "today", "kind", "why"),
    TRACKED,
    ids=[f"{case[3]}-{index}" for index, case in enumerate(TRACKED)],
)
def test_a_tracked_request_offers_a_follow_up_only_from_its_first_day(
    right: str, events: tuple[Any, ...], today: date, kind: str, why: str | None
) -> None:
    from app.proceedings.deadline import due_of
    from app.proceedings.next_steps import follow_up_refusal, useful_letters

    facts = tracked(right, *events)
    due = due_of(facts)
    refused = follow_up_refusal(facts, due, today, kind, hospital=True)
    offered = useful_letters(facts, due, today, hospital=True)
    if why is None:
        assert refused is None
        assert kind in offered
    else:
        assert refused is not None
        assert why in plain(refused)
        assert kind not in offered


def test_after_the_cada_period_the_next_step_is_to_ask_again() -> None:
    from app.proceedings.deadline import due_of
    from app.proceedings.next_steps import next_step

    facts = tracked("medical-record", SENT, RECEIVED, REFUSED)
    step = next_step(facts, due_of(facts), date(2026, 3, 21), hospital=True)
    assert (step.code, step.when) == ("ask-again", date(2026, 3, 20))
    # eight days of silence: a reminder; after it, the CADA only once a month has passed
    silent = tracked("medical-record", SENT, RECEIVED)
    late = next_step(silent, due_of(silent), date(2026, 1, 20), hospital=True)
    assert (late.code, late.when) == ("remind", date(2026, 1, 15))
    reminded = tracked("medical-record", SENT, RECEIVED, ("reminder", date(2026, 1, 16), SENT[2]))
    early = next_step(reminded, due_of(reminded), date(2026, 2, 2), hospital=True)
    assert (early.code, early.when) == ("wait", date(2026, 2, 7))
