"""PDFs of every kind: valid for qpdf, tagged (PDF/UA-1 marker, language, title), A4; packs."""

import io
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.catalogue.loader import get_catalogue
from app.letters.compose import recipient_from_platform
from app.letters.identity import Identity
from app.letters.kinds import OPTION_MODELS
from app.letters.packs import build_letters, pack_pdf, pack_zip, parse_items
from app.letters.render import letter_pdf
from app.letters.service import make_letter
from tests.support.documents import pdf_text

TODAY = date(2026, 3, 5)


def qpdf_check(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["qpdf", "--check", str(path)], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", list(OPTION_MODELS))
def test_every_kind_is_a_valid_tagged_a4_pdf(
    identity_data: dict[str, Any], tmp_path: Path, kind: str
) -> None:
    platform = get_catalogue().get("doctolib")
    assert platform is not None
    letter = make_letter(
        kind,
        Identity.model_validate(identity_data),
        recipient_from_platform(platform),
        OPTION_MODELS[kind](),
        TODAY,
    )
    data = letter_pdf(letter)
    qpdf_check(data, tmp_path)
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    assert "/StructTreeRoot" in root
    assert bool(root.MarkInfo.Marked)
    assert str(root.Lang) == "fr"
    assert bool(root.ViewerPreferences.DisplayDocTitle)
    xmp = root.Metadata.read_bytes().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert str(pdf.docinfo.Title) == letter.title
    assert str(pdf.docinfo.Author) == "Marie Dupont"
    box = pdf.pages[0].mediabox
    assert (round(float(box[2])), round(float(box[3]))) == (595, 842)
    assert " ".join(letter.subject.split()[:4]) in " ".join(pdf_text(data, tmp_path).split())


def test_a_pack_is_one_tagged_pdf_with_the_checklist_first(
    identity_data: dict[str, Any], tmp_path: Path
) -> None:
    identity = Identity.model_validate(identity_data)
    items = parse_items(
        [
            {"platform": "doctolib", "kind": "erasure"},
            {"platform": "23andme", "kind": "erasure"},
            {
                "organisation": {
                    "name": "Centre hospitalier de Exempleville",
                    "address_lines": ["1 avenue de l'Hôpital", "01000 Exempleville"],
                    "public": True,
                },
                "kind": "medical-record",
            },
        ]
    )
    letters = build_letters(items, identity, TODAY)
    data = pack_pdf(letters, identity)
    qpdf_check(data, tmp_path)
    pdf = pikepdf.open(io.BytesIO(data))
    document = pdf.Root.StructTreeRoot.K[0]
    assert document.S == "/Document"
    assert len(document.K) == 1 + len(letters)  # the checklist, then each letter
    assert str(pdf.docinfo.Title) == "Lettres de Marie Dupont"
    assert str(pdf.Root.Lang) == "fr"
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    keys = [int(numbers[index]) for index in range(0, len(numbers), 2)]
    assert sorted(keys) == keys
    assert len(set(keys)) == len(keys)
    assert {int(page.obj.StructParents) for page in pdf.pages} <= set(keys)
    text = " ".join(pdf_text(data, tmp_path).split())
    assert text.startswith("Comment envoyer vos lettres")
    for expected in ("Doctolib SAS", "23andMe", "Centre hospitalier de Exempleville"):
        assert expected in text


def test_a_pack_zip_has_one_pdf_per_letter_and_a_sending_checklist(
    identity_data: dict[str, Any], tmp_path: Path
) -> None:
    identity = Identity.model_validate(identity_data)
    items = parse_items(
        [
            {"platform": "doctolib", "kind": "access"},
            {"platform": "withings", "kind": "objection"},
            {"organisation": {"name": "Cabinet du Dr Martin"}, "kind": "medical-record"},
        ]
    )
    archive = zipfile.ZipFile(io.BytesIO(pack_zip(build_letters(items, identity, TODAY))))
    names = archive.namelist()
    assert names == [
        "LISEZ-MOI.txt",
        "1-reprise-acces-doctolib.pdf",
        "2-reprise-opposition-withings.pdf",
        "3-reprise-dossier-medical-organisme.pdf",
    ]
    for name in names[1:]:
        qpdf_check(archive.read(name), tmp_path)
    checklist = archive.read("LISEZ-MOI.txt").decode()
    # each letter is sent as its head says: Doctolib's by post (its record gives an address)
    doctolib, withings, martin = checklist.split("\n\n")[2:5]
    assert "en lettre recommandée avec accusé de réception à l'adresse écrite" in doctolib
    assert "Par e-mail à privacy@withings.com" in withings
    # no address known for Dr Martin: where to look for it, never "the address above"
    assert "Reprise ne connaît pas l'adresse de cet organisme" in martin
    assert "annuaire-entreprises.data.gouv.fr/rechercher?terme=Cabinet+du+Dr+Martin" in martin
    assert "ci-dessus" not in checklist
    assert "Gardez le reçu du recommandé et l'accusé de réception" in checklist
    assert "un mois à compter de la réception" in checklist
    assert "huit jours à compter de la réception" in checklist
    assert "Vérifiez cette adresse" not in martin  # there is none to check


# security.md item 12: whatever a person types comes out of the PDF as the same text.
TYPED = st.text(
    alphabet=st.sampled_from([*"abcXYZéèçÀ<>\"'&/=;{}%()[]!?#*", " "]),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip() != "")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(typed=TYPED)
def test_typed_text_reaches_the_pdf_unchanged(
    identity_data: dict[str, Any], tmp_path: Path, typed: str
) -> None:
    identity_data["given_name"] = typed
    identity_data["identifiers"] = {"Numéro": f"<b>{typed}</b>"}
    platform = get_catalogue().get("withings")
    assert platform is not None
    letter = make_letter(
        "objection",
        Identity.model_validate(identity_data),
        recipient_from_platform(platform),
        OPTION_MODELS["objection"].model_validate({"purposes": ["legitimate"], "situation": typed}),
        TODAY,
    )
    text = " ".join(pdf_text(letter_pdf(letter), tmp_path).split())
    stripped = typed.strip()  # as every field is stored

    def same(value: str) -> str:
        return " ".join(value.split())  # line breaks and spacing are layout, not text

    assert same(f"{stripped} Dupont") in text
    assert same(f"<b>{typed}</b>") in text
    assert same(f"situation particulière : {stripped}.") in text
