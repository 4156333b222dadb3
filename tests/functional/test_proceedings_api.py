"""The JSON API for tracked requests: personal tokens (Bearer, never a cookie), create, list
(due date, next step), get, record events (422 naming the field), letters, .ics; a helper's
token is limited by mandates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar
from sqlmodel import Session

from app.clock import today
from app.cookies import session_cookie_name
from app.i18n import long_date
from tests.support.pagecheck import CheckedClient
from tests.support.pages import bearer
from tests.support.world import World

TODAY = today()


def test_a_cookie_alone_opens_nothing_and_a_wrong_token_neither(
    app: Any, db: Session, world: World
) -> None:
    tokens = world.sign_in("patient")
    assert tokens
    db.commit()
    with CheckedClient(app) as client:
        client.cookies.set(session_cookie_name(), tokens[0])
        assert client.get("/api/v1/proceedings").status_code == 401
        assert (
            client.get(
                "/api/v1/proceedings", headers={"Authorization": "Bearer rpr_wrong"}
            ).status_code
            == 401
        )
        assert (
            client.get("/api/v1/proceedings", headers={"Authorization": "Basic abc"}).status_code
            == 401
        )


def test_create_record_and_follow_a_request_through_the_api(
    app: Any, db: Session, world: World
) -> None:
    headers = bearer(db, world, "other_patient")
    with CheckedClient(app) as client:
        # the file has no identity yet: say so, naming the field
        missing = client.post(
            "/api/v1/proceedings", json={"kind": "access", "platform": "doctolib"}, headers=headers
        )
        assert missing.status_code == 422
        assert missing.json()["detail"][0]["loc"] == ["body", "identity"]
        unknown = client.post(
            "/api/v1/proceedings",
            json={"kind": "access", "platform": "nulle-part"},
            headers=headers,
        )
        assert unknown.status_code == 422
        assert unknown.json()["detail"][0]["loc"] == ["body", "platform"]
        identity = {
            "given_name": "Zoé",
            "family_name": "Martin",
            "postal_address": {"lines": ["1 rue Haute"], "postal_code": "57000", "city": "Metz"},
        }
        created = client.post(
            "/api/v1/proceedings",
            json={"kind": "access", "platform": "hus-strasbourg", "identity": identity},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        body = created.json()
        pid = body["id"]
        assert body["status"] == "generated"
        assert body["next_step"]["code"] == "send"
        assert body["due"] is None
        assert body["allowed_events"] == ["sent", "closed"]

        # impossible transition: 422 naming the field, nothing changed
        refused = client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={"kind": "received", "date": TODAY.isoformat()},
            headers=headers,
        )
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "kind"]
        future = client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={
                "kind": "sent",
                "date": (TODAY + dt.timedelta(days=1)).isoformat(),
                "channel": "post",
            },
            headers=headers,
        )
        assert future.status_code == 422
        assert future.json()["detail"][0]["loc"] == ["body", "date"]
        no_channel = client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={"kind": "sent", "date": TODAY.isoformat()},
            headers=headers,
        )
        assert no_channel.json()["detail"][0]["loc"] == ["body", "channel"]
        bad_date = client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={"kind": "sent", "date": "2026-02-30", "channel": "post"},
            headers=headers,
        )
        assert bad_date.status_code == 422
        assert bad_date.json()["detail"][0]["loc"][:2] == ["body", "date"]
        assert len(client.get(f"/api/v1/proceedings/{pid}", headers=headers).json()["events"]) == 1

        sent = client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={
                "kind": "sent",
                "date": TODAY.isoformat(),
                "channel": "post",
                "reference": "1A 42",
            },
            headers=headers,
        )
        assert sent.status_code == 201
        data = sent.json()
        assert data["receipt_estimated"] is True
        assert data["due_basis"] == "legal"
        assert data["deadline"]["alsace_moselle"] is True  # the HUS are in Strasbourg
        assert data["due"] == data["deadline"]["due"]
        assert data["next_step"]["code"] == "record-receipt"
        received = client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={"kind": "received", "date": TODAY.isoformat()},
            headers=headers,
        ).json()
        assert received["receipt_estimated"] is False
        assert received["receipt"] == TODAY.isoformat()

        listing = client.get("/api/v1/proceedings", headers=headers).json()
        assert [p["id"] for p in listing] == [pid]
        assert listing[0]["next_step"]["label"]
        assert listing[0]["days_left"] == (dt.date.fromisoformat(listing[0]["due"]) - TODAY).days

        ics = client.get(f"/api/v1/proceedings/{pid}/calendar.ics", headers=headers)
        assert ics.headers["content-type"].startswith("text/calendar")
        (event,) = list(Calendar.from_ical(ics.content).walk("VEVENT"))
        assert event["DTSTART"].dt.isoformat() == received["due"]

        # letters: only those the lifecycle allows; made from the proceeding's data
        premature = client.post(
            f"/api/v1/proceedings/{pid}/letters",
            json={"kind": "incomplete-answer"},
            headers=headers,
        )
        assert premature.status_code == 422
        # received today: a complaint for want of an answer comes after the due date only
        early = client.post(
            f"/api/v1/proceedings/{pid}/letters", json={"kind": "complaint-file"}, headers=headers
        )
        assert early.status_code == 422
        due = dt.date.fromisoformat(received["due"])
        [detail] = early.json()["detail"]
        assert detail["loc"] == ["body", "kind"]
        assert long_date(due + dt.timedelta(days=1)) in detail["msg"]
        client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={"kind": "answer", "date": TODAY.isoformat(), "outcome": "refusal"},
            headers=headers,
        )
        complaint = client.post(
            f"/api/v1/proceedings/{pid}/letters", json={"kind": "complaint-file"}, headers=headers
        )
        assert complaint.status_code == 201
        pdf = client.get(
            f"/api/v1/proceedings/{pid}/letters/{complaint.json()['id']}", headers=headers
        )
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        generated = client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={"kind": "generated", "date": TODAY.isoformat(), "letter": "reminder"},
            headers=headers,
        )
        assert generated.status_code == 422


def test_a_helpers_token_reaches_only_what_the_mandate_covers(
    app: Any, db: Session, world: World
) -> None:
    pid = world.ids["member_proceeding"]
    helper = bearer(db, world, "helper_with_mandate")
    other = bearer(db, world, "helper_without")
    admin = bearer(db, world, "admin")
    with CheckedClient(app) as client:
        assert client.get(f"/api/v1/proceedings/{pid}", headers=helper).status_code == 200
        assert [p["id"] for p in client.get("/api/v1/proceedings", headers=helper).json()] == [
            str(pid)
        ]
        assert client.get(f"/api/v1/proceedings/{pid}", headers=other).status_code == 403
        assert client.get(f"/api/v1/proceedings/{pid}", headers=admin).status_code == 403
        assert client.get("/api/v1/proceedings", headers=other).json() == []
        # the mandate covers erasure and access toward Doctolib, not Livi
        refused = client.post(
            "/api/v1/proceedings",
            json={"kind": "access", "platform": "livi", "file_id": str(world.ids["member_file"])},
            headers=helper,
        )
        assert refused.status_code == 403
        allowed = client.post(
            "/api/v1/proceedings",
            json={
                "kind": "access",
                "platform": "doctolib",
                "file_id": str(world.ids["member_file"]),
            },
            headers=helper,
        )
        assert allowed.status_code == 201, allowed.text
        # no "complaint" right in this mandate: no complaint file
        client.post(
            f"/api/v1/proceedings/{pid}/events",
            json={"kind": "sent", "date": TODAY.isoformat(), "channel": "email"},
            headers=helper,
        )
        assert (
            client.post(
                f"/api/v1/proceedings/{pid}/letters",
                json={"kind": "complaint-file"},
                headers=helper,
            ).status_code
            == 403
        )


def test_revoking_the_mandate_closes_the_api_at_once(app: Any, db: Session, world: World) -> None:
    from app.models.base import utcnow
    from app.models.organisation import Mandate

    pid = world.ids["member_proceeding"]
    helper = bearer(db, world, "helper_with_mandate")
    with CheckedClient(app) as client:
        assert client.get(f"/api/v1/proceedings/{pid}", headers=helper).status_code == 200
        mandate = db.get(Mandate, world.ids["mandate"])
        assert mandate is not None
        mandate.revoked_at = utcnow()
        db.add(mandate)
        db.commit()
        assert client.get(f"/api/v1/proceedings/{pid}", headers=helper).status_code == 403
