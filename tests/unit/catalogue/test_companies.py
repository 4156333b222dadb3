"""The company search client, on recorded answers of the real API (httpx.MockTransport)."""

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from app.catalogue.companies import (
    CACHE_SECONDS,
    CompanySearch,
    CompanySearchDisabled,
    CompanySearchUnavailable,
)
from tests.support.paths import FIXTURES

RECORDED = FIXTURES / "recherche_entreprises"
BASE = "https://recherche-entreprises.api.gouv.fr"


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def laposte_envelope() -> dict[str, Any]:
    item = recorded("laposte_result_item.json")
    return {"results": [item], "total_results": 1, "page": 1, "per_page": 10, "total_pages": 1}


class Recorder:
    """A transport that answers from a function and remembers every request."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    def client(self, **kwargs: Any) -> CompanySearch:
        return CompanySearch(BASE, transport=httpx.MockTransport(self), **kwargs)


def test_a_recorded_search_becomes_a_company_to_write_to() -> None:
    recorder = Recorder(lambda request: httpx.Response(200, json=recorded("coise_search.json")))
    [coise] = recorder.client().search("mairie coise")
    assert coise.siren == "216900621"
    assert coise.name == "COMMUNE DE COISE"
    assert coise.address_lines == ["HOTEL DE VILLE", "69590 COISE"]
    assert coise.public is True  # nature juridique 7210: a public body
    assert coise.active is True
    request = recorder.requests[0]
    assert request.url.path == "/search"
    assert dict(request.url.params) == {"q": "mairie coise", "page": "1", "per_page": "10"}


def test_a_siren_typed_with_spaces_is_sent_as_nine_digits() -> None:
    recorder = Recorder(lambda request: httpx.Response(200, json=laposte_envelope()))
    [laposte] = recorder.client().search("356 000 000")
    assert recorder.requests[0].url.params["q"] == "356000000"
    assert laposte.address_lines == [
        "DIRECTION GENERALE DE LA POSTE",
        "9 RUE DU COLONEL PIERRE AVIA",
        "75015 PARIS",
    ]
    assert laposte.public is False
    assert laposte.finess == ["750073637"]
    assert laposte.category is None


def test_answers_are_cached_for_a_while() -> None:
    now = [1000.0]
    recorder = Recorder(lambda request: httpx.Response(200, json=recorded("coise_search.json")))
    client = recorder.client(clock=lambda: now[0])
    client.search("Mairie  Coise")
    client.search("mairie coise")
    assert len(recorder.requests) == 1
    now[0] += CACHE_SECONDS + 1
    client.search("mairie coise")
    assert len(recorder.requests) == 2


def test_a_disabled_client_never_calls_out() -> None:
    client = CompanySearch("")
    assert client.enabled is False
    with pytest.raises(CompanySearchDisabled) as refused:
        client.search("clinique du parc")
    assert "désactivée" in refused.value.message


def test_short_queries_and_queries_the_api_refuses_give_nothing() -> None:
    recorder = Recorder(
        lambda request: httpx.Response(
            400, json={"erreur": "Veuillez indiquer au moins un paramètre de recherche."}
        )
    )
    client = recorder.client()
    assert client.search("ab") == []
    assert recorder.requests == []
    assert client.search("abc") == []
    assert len(recorder.requests) == 1


def _raise(error: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        raise error

    return answer


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_raise(httpx.ReadTimeout("slow")), "ne répond pas"),
        (_raise(httpx.ConnectError("down")), "ne répond pas"),
        (lambda request: httpx.Response(429, json={}), "trop de demandes"),
        (lambda request: httpx.Response(502, text="bad gateway"), "ne répond pas"),
        (lambda request: httpx.Response(200, text="<html>maintenance</html>"), "ne répond pas"),
        (lambda request: httpx.Response(200, json={"unexpected": True}), "réponse inattendue"),
    ],
)
def test_failures_become_a_clear_message(
    answer: Callable[[httpx.Request], httpx.Response], words: str
) -> None:
    client = Recorder(answer).client()
    with pytest.raises(CompanySearchUnavailable) as failed:
        client.search("clinique du parc")
    assert words in failed.value.message


def test_failures_are_not_cached() -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, json=recorded("coise_search.json"))])
    client = Recorder(lambda request: next(answers)).client()
    with pytest.raises(CompanySearchUnavailable):
        client.search("mairie coise")
    assert client.search("mairie coise")[0].siren == "216900621"
