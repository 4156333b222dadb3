"""The FINESS registry: reading its documented layout, importing it, searching it."""

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from app.catalogue.establishments import (
    describe_import,
    get_establishment,
    import_file,
    import_parsed,
    search_establishments,
)
from app.catalogue.finess import FIELDS, category_of, parse_file, parse_text
from app.errors import Invalid
from app.models.establishment import Establishment
from tests.support.paths import FIXTURES

SAMPLE = FIXTURES / "finess" / "etalab-cs1100502-sample.csv"
FLEYRIAT = SAMPLE.read_text(encoding="utf-8").splitlines()[1]


def test_the_sample_file_is_read_whole() -> None:
    parsed = parse_file(SAMPLE)
    assert parsed.problems == []
    assert len(parsed.rows) == 14
    assert str(parsed.extracted_on) == "2026-05-12"


@pytest.mark.parametrize(
    ("finess", "name", "lines", "kind", "public"),
    [
        (
            "010000024",
            "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT",
            ["900 ROUTE DE PARIS", "01440 VIRIAT"],
            "hospital",
            True,
        ),
        (
            "970400024",
            "CHU SITE FELIX GUYON (SAINT DENIS)",
            ["ALLEE DES TOPAZES", "CS 11021", "97405 ST DENIS CEDEX"],
            "hospital",
            True,
        ),
        (
            "970409645",
            "UNITE AUTODIALYSE (LA POSSESSION)-ASDR",
            ["1 C RUE RAYMOND BARRE", "ZAC MOULIN JOLI", "97419 LA POSSESSION"],
            None,
            None,
        ),
        (
            "980501506",
            'LIEU DE VIE ET D\'ACCUEIL "MAVOUNA MEMA 1"',
            ["ASSOCIATION MESSO", "12 RUE ANCIEN TERRAIN DE FOOT", "97620 CHIRONGUI"],
            None,
            None,
        ),
        (
            "970405767",
            "CENTRE EDUCATIF FERME JULES PALANT (STE ANNE)",
            ["40 CHEMIN SAFER MORANGE", "97437 ST BENOIT"],
            None,
            None,
        ),
        (
            "970302287",
            "E.H.P.A.D. DU CENTRE HOSPITALIER DE CAYENNE",
            ["AVENUE ALEXIS BLAISE", "BP 6006", "97306 CAYENNE CEDEX"],
            None,
            None,
        ),
    ],
)
def test_rows_become_names_addresses_and_categories(
    finess: str, name: str, lines: list[str], kind: str | None, public: bool | None
) -> None:
    row = next(row for row in parse_file(SAMPLE).rows if row.finess == finess)
    assert row.display_name == name
    assert row.address_lines == lines
    assert row.kind == kind
    assert row.public is public


@pytest.mark.parametrize(
    ("code", "label", "aggregate", "kind"),
    [
        ("355", "Centre Hospitalier (C.H.)", "Centres Hospitaliers", "hospital"),
        ("101", "Centre Hospitalier Régional (C.H.R.)", "", "hospital"),
        ("620", "Pharmacie d'Officine", "", "pharmacy"),
        ("611", "Laboratoire de Biologie Médicale", "", "laboratory"),
        ("999", "Clinique du Parc", "", "hospital"),
        (
            "699",
            "Entité Ayant Autorisation",
            "Autres Etablissements Relevant de la Loi Hospitalière",
            None,
        ),
        ("500", "Etablissement d'hébergement pour personnes âgées dépendantes", "", None),
    ],
)
def test_categories(code: str, label: str, aggregate: str, kind: str | None) -> None:
    assert category_of(code, label, aggregate) == kind


def test_windows_1252_files_are_read_too(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("cp1252"))
    parsed = parse_file(path)
    assert len(parsed.rows) == 14
    assert any(
        row.aggregate_label == "Etablissements d'Hébergement pour Personnes Âgées"
        for row in parsed.rows
    )


def test_geolocation_lines_are_skipped_and_broken_lines_reported() -> None:
    text = "\n".join(
        [
            "finess;etalab;111;2026-05-12",
            FLEYRIAT,
            "geolocalisation;010000024;870262.2;6571540.8;1,ATLASANTE;2026-05-04",
            "structureet;12345;too;short",
            FLEYRIAT.replace("010000024", "01000002X"),
            FLEYRIAT.replace("01440 VIRIAT", "VIRIAT"),
            FLEYRIAT,
            "mystery;line",
        ]
    )
    parsed = parse_text(text)
    assert [row.finess for row in parsed.rows] == ["010000024"]
    assert parsed.skipped_sections == 1
    messages = [str(problem) for problem in parsed.problems]
    assert messages[0].startswith("line 4: 4 fields")
    assert messages[1].startswith("line 5: not a FINESS number")
    assert messages[2].startswith("line 6: the town line")
    assert messages[3] == "line 7: FINESS number 010000024 repeated"
    assert messages[4].startswith("line 8: unknown section")


NAMES = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\n\x85\u2028\u2029"
    ),
    min_size=1,
    max_size=38,
).filter(lambda name: name.strip())


@given(NAMES, NAMES)
def test_names_with_separators_and_quotes_survive_the_file(name: str, long_name: str) -> None:
    values = FLEYRIAT.split(";")
    values[3], values[4] = name, long_name
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerow(values)
    parsed = parse_text("finess;etalab;111;2026-05-12\n" + buffer.getvalue())
    assert parsed.problems == []
    assert parsed.rows[0].name == " ".join(name.split())
    assert parsed.rows[0].long_name == " ".join(long_name.split())
    assert len(values) == len(FIELDS)


def test_import_then_search_by_name_and_town(db: Session) -> None:
    report = import_file(db, SAMPLE)
    assert report.rows == 14
    assert "14 établissements" in describe_import(db)
    found = search_establishments(db, "fleyriat")
    assert [row.finess for row in found.establishments] == ["010000024"]
    assert found.establishments[0].address_lines == ["900 ROUTE DE PARIS", "01440 VIRIAT"]
    cayenne = search_establishments(db, "centre hospitalier", town="cayene")  # a typo in the town
    assert {row.finess for row in cayenne.establishments} == {"970300026", "970302287"}
    assert search_establishments(db, "", town="97150").total == 2
    assert search_establishments(db, "hopital sia").establishments[0].finess == "980600027"
    assert get_establishment(db, "970400024") is not None


def test_search_before_any_import_says_so(db: Session) -> None:
    result = search_establishments(db, "hopital")
    assert result.imported is False
    assert result.establishments == []
    assert "n'a pas été importé" in describe_import(db)


def test_a_new_import_replaces_the_old_rows(db: Session) -> None:
    import_file(db, SAMPLE)
    import_parsed(db, parse_text("finess;etalab;1;2026-06-01\n" + FLEYRIAT + "\n"), "new.csv")
    assert len(db.exec(select(Establishment)).all()) == 1
    assert search_establishments(db, "cayenne").total == 0
    assert search_establishments(db, "fleyriat").total == 1


def test_a_refused_import_changes_nothing(db: Session) -> None:
    import_file(db, SAMPLE)
    broken = parse_text("finess;etalab;1;2026-06-01\n" + FLEYRIAT + "\nstructureet;1;2\n")
    with pytest.raises(Invalid) as refused:
        import_parsed(db, broken, "broken.csv")
    assert "line 3" in refused.value.errors["file"]
    with pytest.raises(Invalid):
        import_parsed(db, parse_text("finess;etalab;1;2026-06-01\n"), "empty.csv")
    assert len(db.exec(select(Establishment)).all()) == 14
    report = import_parsed(db, broken, "broken.csv", skip_invalid=True)
    assert report.rows == 1
    assert [str(problem) for problem in report.skipped] == ["line 3: 3 fields, the layout has 32"]
