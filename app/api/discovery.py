"""JSON API, version 1: discovery questions, the checklist, establishments, organisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api import ERROR_RESPONSES
from app.api.schemas import ChecklistItemOut, CompanyOut, EstablishmentOut, EstablishmentsOut
from app.catalogue.checklist import build_checklist
from app.catalogue.companies import CompanySearch, CompanySearchError
from app.catalogue.establishments import search_establishments
from app.catalogue.loader import get_catalogue
from app.catalogue.organisation import Organisation
from app.catalogue.questionnaire import OTHER, QUESTIONS, clean_answer, question_named
from app.db import SessionDep
from app.errors import Invalid
from app.i18n import gettext as _
from app.routing import Router

router = Router(prefix="/api/v1", tags=["v1"], responses=ERROR_RESPONSES)


def company_search(request: Request) -> CompanySearch:
    """The client built at start-up (a disabled one if the app was started without it)."""
    client = getattr(request.app.state, "company_search", None)
    return client if isinstance(client, CompanySearch) else CompanySearch("")


CompanySearchDep = Annotated[CompanySearch, Depends(company_search)]


class Choice(BaseModel):
    value: str
    name: str
    summary: str
    quality: str | None = None


class QuestionOut(BaseModel):
    id: str
    text: str
    hint: str
    choices: list[Choice]


@router.get("/questionnaire", response_model=list[QuestionOut])
def questionnaire() -> list[QuestionOut]:
    """The discovery questions in order, each with the platforms it proposes."""
    catalogue = get_catalogue()
    questions = []
    for question in QUESTIONS:
        choices = [
            Choice(
                value=platform.slug,
                name=platform.name,
                summary=platform.summary,
                quality=platform.quality,
            )
            for platform in question.candidates(catalogue)
        ]
        if question.other:
            choices.append(Choice(value=OTHER, name=_("Un autre"), summary=_(question.other)))
        questions.append(
            QuestionOut(
                id=question.id, text=_(question.text), hint=_(question.hint), choices=choices
            )
        )
    return questions


class ChecklistRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, list[str]] = Field(default_factory=dict, max_length=len(QUESTIONS))
    organisations: list[Organisation] = Field(default_factory=list, max_length=30)


@router.post("/checklist", response_model=list[ChecklistItemOut])
def checklist(body: Annotated[ChecklistRequest, Body()]) -> list[ChecklistItemOut]:
    """The checklist for these answers: whom to write to, which request, and why."""
    catalogue = get_catalogue()
    answers: dict[str, list[str]] = {}
    for question_id, values in body.answers.items():
        question = question_named(question_id)
        if question is None:
            raise Invalid({f"answers.{question_id}": "no question has this id"})
        try:
            answers[question_id] = clean_answer(question, catalogue, values)
        except ValueError as exc:
            message = f"not a choice of this question: {exc}"
            raise Invalid({f"answers.{question_id}": message}) from exc
    items = build_checklist(catalogue, answers, body.organisations)
    return [ChecklistItemOut.of(item) for item in items]


@router.get("/establishments", response_model=EstablishmentsOut)
def establishments(
    db: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    town: Annotated[str, Query(max_length=80)] = "",
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> EstablishmentsOut:
    """Hospitals, clinics, laboratories, pharmacies from the FINESS registry, by name and town."""
    result = search_establishments(db, q, town, limit)
    return EstablishmentsOut(
        imported=result.imported,
        total=result.total,
        results=[EstablishmentOut.of(row) for row in result.establishments],
    )


@router.get(
    "/organisations",
    response_model=list[CompanyOut],
    responses={503: {"description": "the company search is disabled or unreachable"}},
)
def organisations(
    client: CompanySearchDep, q: Annotated[str, Query(min_length=3, max_length=100)]
) -> list[CompanyOut]:
    """Organisations from the State's company register, by name or SIREN (head-office address)."""
    try:
        companies = client.search(q)
    except CompanySearchError as exc:
        raise HTTPException(503, detail=exc.message) from exc
    return [CompanyOut.of(company) for company in companies]
