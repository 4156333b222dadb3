"""Hypothesis strategies for letter options and recipients: every kind's options as a person
could fill them, and recipients from the catalogue or typed by hand (shared by the letter
typography and sending tests)."""

from datetime import date
from typing import Any

from hypothesis import strategies as st

from app.catalogue.loader import get_catalogue
from app.letters.compose import recipient_from_platform
from app.letters.document import Recipient
from app.letters.kinds import RIGHT_KINDS
from app.letters.options import (
    ACCESS_ITEMS,
    ERASURE_GROUNDS,
    HEIR_PURPOSES,
    MANDATE_RIGHTS,
    OBJECTION_PURPOSES,
    REQUESTERS,
)

DAYS = st.dates(date(2026, 1, 5), date(2026, 10, 30))
# What a person types: never a colon, so that every colon found is Reprise's own.
TYPED = st.sampled_from(["je suis suivie pour une maladie chronique", "Dupont", "2019 à 2024"])
CHANNELS = st.sampled_from([None, "post", "email", "web-form"])


def some(values: tuple[str, ...], min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), min_size=min_size, unique=True)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


FOLLOW_UP = {
    "request_kind": st.sampled_from(RIGHT_KINDS),
    "request_date": maybe(DAYS),
    "received": maybe(DAYS),
    "channel": CHANNELS,
    "reference": maybe(st.just("RR 1234 5678 9FR")),
}
TIMED = {
    **FOLLOW_UP,
    "extended": st.booleans(),
    "older_than_5_years": st.booleans(),
}
PERSON = st.fixed_dictionaries({"given_name": st.just("Paul"), "family_name": st.just("Dupont")})
OPTIONS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "access": st.fixed_dictionaries({"sovereignty": st.booleans(), "electronic": st.booleans()}),
    "erasure": st.fixed_dictionaries(
        {
            "grounds": some(ERASURE_GROUNDS, 1),
            "close_account": st.booleans(),
            "genetic": maybe(st.booleans()),
            "processor_reminder": maybe(st.booleans()),
        }
    ),
    "objection": st.fixed_dictionaries(
        {
            "purposes": some(OBJECTION_PURPOSES, 1),
            "situation": maybe(TYPED),
            "snds": maybe(st.booleans()),
            "also_erase": st.booleans(),
        }
    ),
    "rectification": st.fixed_dictionaries(
        {
            "corrections": st.lists(
                st.fixed_dictionaries({"current": maybe(TYPED), "corrected": TYPED}),
                max_size=3,
            )
        }
    ),
    "portability": st.fixed_dictionaries({"transmit_to": maybe(TYPED)}),
    "medical-record": st.fixed_dictionaries(
        {
            "addressee": st.sampled_from(["director", "practitioner"]),
            "delivery": st.sampled_from(["post", "email", "on-site", "doctor"]),
            "requester": st.sampled_from(REQUESTERS),
            "patient": maybe(
                st.fixed_dictionaries(
                    {
                        "given_name": st.just("Paul"),
                        "family_name": st.just("Dupont"),
                        "birth_date": maybe(st.just(date(1940, 2, 1))),
                        "death_date": maybe(st.just(date(2025, 12, 1))),
                    }
                ).map(drop_none)
            ),
            "heir_purposes": some(HEIR_PURPOSES, 1),
            "doctor": maybe(
                st.just({"name": "Dr Martin", "address_lines": ["1 rue de la Paix", "75002 Paris"]})
            ),
            "period": maybe(TYPED),
            "older_than_5_years": st.booleans(),
            "id_copy": st.booleans(),
            "protection": st.sampled_from(["representation", "assistance"]),
        }
    ),
    "reminder": st.fixed_dictionaries(TIMED),
    "incomplete-answer": st.fixed_dictionaries(
        {**FOLLOW_UP, "answer_date": maybe(DAYS), "missing": some(ACCESS_ITEMS)}
    ),
    "complaint-file": st.fixed_dictionaries(
        {
            **TIMED,
            "outcome": st.sampled_from(["no-answer", "incomplete", "refused", "wrong"]),
            "reminder_date": maybe(DAYS),
            "answer_date": maybe(DAYS),
            "details": maybe(TYPED),
            "on_behalf": st.booleans(),
            "data_subject": maybe(PERSON),
        }
    ),
    "cada-referral": st.fixed_dictionaries(
        {
            "request_date": maybe(DAYS),
            "received": maybe(DAYS),
            "refusal_date": maybe(DAYS),
            "documents": maybe(TYPED),
        }
    ),
    "mandate": st.fixed_dictionaries(
        {
            "agent": maybe(
                st.fixed_dictionaries(
                    {
                        "name": st.sampled_from(["Asso Santé", "Jeanne Martin"]),
                        "kind": st.sampled_from(["person", "association"]),
                        "address_lines": st.sampled_from([[], ["3 rue Haute", "69001 Lyon"]]),
                    }
                )
            ),
            "rights": some(MANDATE_RIGHTS, 1),
            "data": maybe(TYPED),
            "answers_to": st.sampled_from(["principal", "agent"]),
            "article_80": st.booleans(),
        }
    ),
}
HAND_TYPED = (
    Recipient(name="Centre hospitalier de Test", address_lines=(), public=True),
    Recipient(
        name="Clinique du Parc",
        address_lines=("4 avenue du Parc", "69006 Lyon"),
        email="contact@clinique.example",
        public=False,
    ),
)
SLUGS = ("doctolib", "ap-hp", "23andme", "snds", "hcl", "eds-aphp", "ramsay-sante", "alan")
RECIPIENTS = st.one_of(
    st.sampled_from(HAND_TYPED),
    st.sampled_from(SLUGS).map(
        lambda slug: recipient_from_platform(get_catalogue().get(slug))  # type: ignore[arg-type]
    ),
)
