"""Organisations outside the catalogue: FINESS establishments, the company register, by hand."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.catalogue.companies import CompanySearch, CompanySearchError
from app.catalogue.establishments import current_import, get_establishment, search_establishments
from app.catalogue.labels import CATEGORY_LABELS
from app.catalogue.organisation import Organisation
from app.catalogue.schema import CATEGORIES
from app.config import get_settings
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import gettext as _
from app.letters.drafts import load_draft
from app.routing import Router
from app.web.deps import WebSessionDep, csrf_protect
from app.web.organisation_form import organisation_from_form
from app.web.pages import redirect, render_page
from app.web.routes.discovery import current_discovery, save

router = Router(dependencies=[Depends(csrf_protect)])

# The categories a person may give an organisation typed by hand.
MANUAL_CATEGORIES = ("hospital", "laboratory", "pharmacy", "occupational", "insurer")


def company_search(request: Request) -> CompanySearch:
    client = getattr(request.app.state, "company_search", None)
    return client if isinstance(client, CompanySearch) else CompanySearch("")


CompanySearchDep = Annotated[CompanySearch, Depends(company_search)]


def _page(
    request: Request,
    db: Session,
    client: CompanySearch,
    category: str = "",
    nom: str = "",
    ville: str = "",
    entreprise: str = "",
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The search page: FINESS establishments, the company register, the typed address."""
    category = category if category in CATEGORIES else ""
    nom, ville, entreprise = nom.strip()[:100], ville.strip()[:80], entreprise.strip()[:100]
    establishments = search_establishments(db, nom, ville) if (nom or ville) else None
    imported = (
        establishments.imported if establishments is not None else current_import(db) is not None
    )
    companies = None
    company_error = None
    if entreprise:
        try:
            companies = client.search(entreprise)
        except CompanySearchError as exc:
            company_error = exc.message
    context: dict[str, Any] = {
        "category": category,
        "nom": nom,
        "ville": ville,
        "entreprise": entreprise,
        "imported": imported,
        "establishments": establishments,
        "companies": companies,
        "company_error": company_error,
        "company_search_enabled": client.enabled,
        "company_search_host": get_settings().company_search_url.split("://", 1)[-1],
        "category_labels": CATEGORY_LABELS,
        "manual_categories": MANUAL_CATEGORIES,
        "values": {"category": category if category in MANUAL_CATEGORIES else ""},
        "errors": {},
        "add_error": None,
    }
    context.update(extra or {})
    return render_page(request, "discovery/organisation.html", context, status=status)


@router.get("/decouvrir/organisme", response_class=HTMLResponse)
def find_organisation(
    request: Request,
    db: SessionDep,
    session: WebSessionDep,
    client: CompanySearchDep,
    categorie: str = "",
    nom: str = "",
    ville: str = "",
    entreprise: str = "",
) -> HTMLResponse:
    return _page(request, db, client, categorie, nom, ville, entreprise)


@router.post("/decouvrir/organismes/etablissement")
def add_establishment(
    db: SessionDep, session: WebSessionDep, finess: Annotated[str, Form(max_length=9)]
) -> RedirectResponse:
    row = get_establishment(db, finess)
    if row is None:
        raise NotFound(_("Cet établissement n'est pas dans le répertoire de ce serveur."))
    organisation = Organisation(
        name=row.display_name,
        address_lines=row.address_lines,
        finess=row.finess,
        siren=row.siret[:9] if row.siret else None,
        category=row.kind,
        public=row.public,
    )
    discovery = current_discovery(load_draft(db, session))
    discovery.add_organisation(organisation)
    save(db, session, discovery)
    return redirect("/decouvrir/liste")


@router.post("/decouvrir/organismes/entreprise", response_class=HTMLResponse)
async def add_company(
    request: Request, db: SessionDep, session: WebSessionDep, client: CompanySearchDep
) -> Response:
    """Add a company found in the register (its details come back from the results page)."""
    form = await request.form()
    raw = {
        "name": str(form.get("name") or ""),
        "address_lines": [str(line) for line in form.getlist("address_line")][:6],
        "siren": str(form.get("siren") or "") or None,
        "category": str(form.get("category") or "") or None,
        "public": {"oui": True, "non": False}.get(str(form.get("public") or "")),
    }
    try:
        organisation = Organisation.model_validate(raw)
    except ValidationError:
        message = _("Cet organisme n'a pas pu être ajouté. Cherchez-le de nouveau.")
        return _page(request, db, client, extra={"add_error": message}, status=422)
    discovery = current_discovery(load_draft(db, session))
    discovery.add_organisation(organisation)
    save(db, session, discovery)
    return redirect("/decouvrir/liste")


@router.post("/decouvrir/organismes/saisie", response_class=HTMLResponse)
async def add_typed(
    request: Request, db: SessionDep, session: WebSessionDep, client: CompanySearchDep
) -> Response:
    """An organisation whose address the person types themselves."""
    form = await request.form()
    names = ("name", "line1", "line2", "postal_code", "town", "email", "web_form", "category")
    values = {name: str(form.get(name) or "").strip()[:600] for name in names}
    errors: dict[str, str] = {}
    if values["category"] and values["category"] not in MANUAL_CATEGORIES:
        errors["category"] = _("Choisissez une des propositions.")
    organisation, form_errors = organisation_from_form(values, postal_address=False)
    errors.update(form_errors)
    if errors or organisation is None:
        extra = {"values": values, "errors": errors}
        return _page(request, db, client, values["category"], extra=extra, status=422)
    discovery = current_discovery(load_draft(db, session))
    discovery.add_organisation(organisation)
    save(db, session, discovery)
    return redirect("/decouvrir/liste")


@router.post("/decouvrir/organismes/retirer")
def remove_organisation(
    db: SessionDep, session: WebSessionDep, remove: Annotated[str, Form(max_length=12)]
) -> RedirectResponse:
    """Take an organisation off the checklist (its key is `o-<index>`)."""
    discovery = current_discovery(load_draft(db, session))
    prefix, _sep, number = remove.partition("-")
    if prefix == "o" and number.isdigit():
        discovery.remove_organisation(int(number))
        save(db, session, discovery)
    return redirect("/decouvrir/liste")
