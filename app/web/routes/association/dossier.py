"""Acting for a member under mandates: their dossier, their identity, their letters."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.db import SessionDep
from app.errors import Invalid
from app.grants import MandatedFile, MandatedFileGrant, MandatedLetter
from app.letters.render import letter_pdf
from app.organisations.acting import (
    Dossier,
    NotCovered,
    dossier_of,
    member_letter_file,
    open_dossier,
    set_member_identity,
    write_member_letter,
)
from app.organisations.mandates import RIGHTS
from app.patients import files as patient_files
from app.routing import Router
from app.web.deps import csrf_protect
from app.web.identity_form import FIELDS, countries, form_from_identity, identity_from_form
from app.web.pages import redirect, render_page

router = Router(prefix="/association", dependencies=[Depends(csrf_protect)])
Text = Annotated[str, Form(max_length=300)]


@router.get("/membres/{file_id}/dossier", response_class=HTMLResponse)
def dossier(
    request: Request, db: SessionDep, mandated: MandatedFile, file_id: uuid.UUID
) -> HTMLResponse:
    dossier = open_dossier(db, mandated.actor, mandated.file, mandated.cover)
    return _dossier_page(request, db, mandated, dossier=dossier)


def _dossier_page(
    request: Request,
    db: SessionDep,
    mandated: MandatedFileGrant,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    dossier: Dossier | None = None,
) -> HTMLResponse:
    file, scope = mandated.file, mandated.cover
    if dossier is None:  # the form again: the helper's look is already in the log
        dossier = dossier_of(db, file, scope)
    offered, identity = dossier.offered, dossier.identity
    return render_page(
        request,
        "association/dossier.html",
        {
            "file": file,
            "name": patient_files.display_name(file),
            "identity": identity,
            "values": values or form_from_identity(identity),
            "errors": errors or {},
            "countries": countries(),
            "scope": scope,
            "kinds": offered.kinds,
            "platforms": offered.platforms,
            "organisations": offered.organisations,
            "letters": dossier.letters,
            "recipient_name": patient_files.recipient_name,
            "rights": RIGHTS,
        },
        status,
    )


@router.post("/membres/{file_id}/identite")
async def member_identity(
    request: Request, db: SessionDep, mandated: MandatedFile, file_id: uuid.UUID
) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "")[:300] for name in FIELDS}
    identity, errors = identity_from_form(values, [])
    if identity is None:
        return _dossier_page(request, db, mandated, errors, values, 422)
    set_member_identity(db, mandated.actor, mandated.file, identity)
    return redirect(f"/association/membres/{mandated.file.id}/dossier")


@router.post("/membres/{file_id}/lettres")
def member_letter(
    request: Request,
    db: SessionDep,
    mandated: MandatedFile,
    file_id: uuid.UUID,
    kind: Text = "",
    platform: Text = "",
) -> Response:
    # `platform` is a catalogue slug, or `organisme:<key>` for an organisation the mandate names.
    try:
        write_member_letter(db, mandated.actor, mandated.file, mandated.cover, kind, platform)
    except NotCovered:
        raise
    except Invalid as exc:
        # The member's identity lacks what a letter needs: say so next to the address.
        message = next(iter(exc.errors.values()))
        return _dossier_page(request, db, mandated, {"address_line1": message}, None, 422)
    return redirect(f"/association/membres/{mandated.file.id}/dossier")


@router.get("/membres/{file_id}/lettres/{letter_id}/lettre.pdf")
def member_letter_pdf(
    db: SessionDep, mandated: MandatedLetter, file_id: uuid.UUID, letter_id: uuid.UUID
) -> Response:
    letter = member_letter_file(db, mandated.actor, mandated.file, mandated.letter)
    return Response(
        letter_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.file_stem}.pdf"'},
    )
