"""The signed-in person's pages: account, identity, letters, access log, my data, deletion."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import col, select

from app.accounts import users
from app.accounts.credentials import end_credentials
from app.accounts.sessions import sign_in_session
from app.db import SessionDep
from app.errors import Invalid
from app.grants import AccessDep, OwnLetter
from app.i18n import gettext as _
from app.letters.addressees import Addressee, addressee_of
from app.letters.drafts import load_draft
from app.letters.kinds import KIND_INFO
from app.letters.render import letter_pdf
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding
from app.organisations.access import own_files
from app.organisations.audit import audit_trail
from app.patients import files as patient_files
from app.privacy.personal_data import delete_account, export_zip
from app.proceedings.lifecycle import STATE_LABELS
from app.routing import Router
from app.web.deps import csrf_protect
from app.web.identity_form import FIELDS, countries, form_from_identity, identity_from_form
from app.web.pages import redirect, render_page
from app.web.routes.accounts import notice
from app.web.session_cookies import client_address, forget_session, give_session

router = Router(prefix="/compte", dependencies=[Depends(csrf_protect)])
Secret = Annotated[str, Form(max_length=1000)]


def draft_addressee(draft: dict[str, Any]) -> Addressee | None:
    """To whom the letter being written goes: a catalogue platform or an organisation."""
    if draft.get("organisation"):
        return Addressee(organisation=dict(draft["organisation"]))
    if draft.get("platform"):
        return Addressee(platform=str(draft["platform"]))
    return None


def find_own_file(db: SessionDep, access: AccessDep) -> PatientFile | None:
    for file in own_files(db, access.actor):
        if file.association_id is None:
            return file
    return None


def own_file(db: SessionDep, access: AccessDep) -> PatientFile:
    """The person's own file (created at sign-up; made again, on a POST, if it was missing)."""
    found = find_own_file(db, access)
    if found is not None:
        return found
    file = PatientFile(user_id=access.user.id)
    db.add(file)
    db.flush()
    return file


@router.get("", response_class=HTMLResponse)
def overview(request: Request, db: SessionDep, access: AccessDep, fait: str = "") -> HTMLResponse:
    files = own_files(db, access.actor)
    return render_page(
        request,
        "account/overview.html",
        {
            "email": users.email_of(access.user),
            "name": users.name_of(access.user),
            "letters": len(patient_files.letters_of(db, [f.id for f in files])),
            "followed": any(f.association_id for f in files),
            "staff": access.actor.staff,
            "notice": notice(fait),
        },
    )


@router.get("/identite", response_class=HTMLResponse)
def identity_form(request: Request, db: SessionDep, access: AccessDep) -> HTMLResponse:
    file = find_own_file(db, access)
    return render_page(
        request,
        "account/identity.html",
        {
            "values": form_from_identity(patient_files.identity_of(file) if file else None),
            "countries": countries(),
            "action": "/compte/identite",
        },
    )


@router.post("/identite")
async def save_identity(request: Request, db: SessionDep, access: AccessDep) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "")[:300] for name in FIELDS}
    identity, errors = identity_from_form(values, [])
    if identity is None:
        return render_page(
            request,
            "account/identity.html",
            {
                "values": values,
                "errors": errors,
                "countries": countries(),
                "action": "/compte/identite",
            },
            422,
        )
    patient_files.set_identity(db, own_file(db, access), identity)
    return redirect("/compte?fait=identite")


@router.get("/lettres", response_class=HTMLResponse)
def letters(request: Request, db: SessionDep, access: AccessDep) -> HTMLResponse:
    files = own_files(db, access.actor)
    stored = patient_files.letters_of(db, [f.id for f in files])
    draft = load_draft(db, access.session)
    contents = [(letter, patient_files.letter_content(letter)) for letter in stored]
    followed = [letter.proceeding_id for letter in stored if letter.proceeding_id is not None]
    states = {
        proceeding.id: proceeding.status
        for proceeding in db.exec(select(Proceeding).where(col(Proceeding.id).in_(followed)))
    }
    to = draft_addressee(draft)
    kept = {(content.get("kind"), addressee_of(content).key) for _letter, content in contents}
    return render_page(
        request,
        "account/letters.html",
        {
            "letters": contents,
            "recipient_name": patient_files.recipient_name,
            "kind_info": KIND_INFO,
            "state_labels": STATE_LABELS,
            "states": states,
            # Not asked about a letter the account already keeps (or follows).
            "can_save_draft": bool(
                to and draft.get("identity") and (draft.get("kind", "erasure"), to.key) not in kept
            ),
        },
    )


@router.post("/lettres")
def save_draft_letter(db: SessionDep, access: AccessDep) -> Response:
    """Keep the letter being written in the wizard in the person's own file."""
    draft = load_draft(db, access.session)
    to = draft_addressee(draft)
    if not (to and draft.get("identity")):
        raise Invalid({"letter": _("Aucune lettre en cours à enregistrer.")})
    file = own_file(db, access)
    patient_files.store_letter(
        db,
        file,
        draft.get("kind", "erasure"),
        to,
        draft["identity"],
        draft.get("options"),
        access.user.id,
    )
    if file.identity_sealed is None:
        from app.letters.identity import Identity

        patient_files.set_identity(db, file, Identity.model_validate(draft["identity"]))
    return redirect("/compte/lettres")


@router.get("/lettres/{letter_id}/lettre.pdf")
def letter_download(own: OwnLetter, letter_id: str) -> Response:
    letter = patient_files.letter_of(own.letter)
    return Response(
        letter_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.file_stem}.pdf"'},
    )


@router.post("/lettres/{letter_id}/supprimer")
def letter_delete(db: SessionDep, own: OwnLetter, letter_id: str) -> Response:
    db.delete(own.letter)
    return redirect("/compte/lettres")


@router.get("/journal", response_class=HTMLResponse)
def access_log(request: Request, db: SessionDep, access: AccessDep) -> HTMLResponse:
    files = own_files(db, access.actor)
    lines = audit_trail(db, [f.id for f in files])
    return render_page(
        request,
        "account/journal.html",
        {"lines": lines, "platform_name": patient_files.platform_name},
    )


@router.get("/mes-donnees", response_class=HTMLResponse)
def my_data(request: Request, access: AccessDep) -> HTMLResponse:
    return render_page(request, "account/my_data.html")


@router.post("/mes-donnees")
def export(db: SessionDep, access: AccessDep) -> Response:
    return Response(
        export_zip(db, access.user),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="reprise-mes-donnees.zip"'},
    )


@router.get("/mot-de-passe", response_class=HTMLResponse)
def password_form(request: Request, access: AccessDep) -> HTMLResponse:
    return render_page(request, "account/password.html")


@router.post("/mot-de-passe")
def change_password(
    request: Request,
    db: SessionDep,
    access: AccessDep,
    current_password: Secret = "",
    password: Secret = "",
) -> Response:
    try:
        users.change_password(db, access.user, current_password, password, client_address(request))
    except Invalid as exc:
        return render_page(request, "account/password.html", {"errors": exc.errors}, 422)
    # Every session ended with the change; this browser gets a new one.
    started = sign_in_session(db, None, access.user)
    give_session(request, started.token)
    return redirect("/compte?fait=mot-de-passe")


@router.post("/deconnexion-partout")
def sign_out_everywhere(request: Request, db: SessionDep, access: AccessDep) -> Response:
    end_credentials(db, access.user.id)
    forget_session(request)
    return redirect("/connexion?fait=deconnecte-partout")


@router.get("/supprimer", response_class=HTMLResponse)
def delete_form(request: Request, access: AccessDep) -> HTMLResponse:
    return render_page(request, "account/delete.html")


@router.post("/supprimer")
def delete(request: Request, db: SessionDep, access: AccessDep, password: Secret = "") -> Response:
    try:
        users.confirm_password(db, access.user, password, client_address(request))
    except Invalid as exc:
        return render_page(request, "account/delete.html", {"errors": exc.errors}, 422)
    email = users.email_of(access.user)
    delete_account(db, access.user)
    forget_session(request)
    from app.accounts.emails import send_account_deleted

    send_account_deleted(email)
    return redirect("/connexion?fait=compte-supprime")
