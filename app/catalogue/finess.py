"""The FINESS open-data file of health establishments: reading its documented layout.

The « FINESS Extraction du Fichier des établissements » published on data.gouv.fr
(etalab-cs1100502-stock-*.csv, or cs1100507 with a geolocation section): `;`-separated, no header
row, a first line `finess;etalab;<n>;<date>`, then one line per establishment starting with the
section name `structureet` and 31 values (number, names, address parts, category, SIRET,
public-service status, dates). Geolocation lines (`geolocalisation;...`) are skipped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.catalogue.text import fold

SECTION = "structureet"
FIELDS = (
    "section",
    "nofinesset",
    "nofinessej",
    "rs",
    "rslongue",
    "complrs",
    "compldistrib",
    "numvoie",
    "typvoie",
    "voie",
    "compvoie",
    "lieuditbp",
    "commune",
    "departement",
    "libdepartement",
    "ligneacheminement",
    "telephone",
    "telecopie",
    "categetab",
    "libcategetab",
    "categagretab",
    "libcategagretab",
    "siret",
    "codeape",
    "codemft",
    "libmft",
    "codesph",
    "libsph",
    "dateouv",
    "dateautor",
    "datemaj",
    "numuai",
)
FINESS_RE = re.compile(r"^[0-9][0-9A-Z][0-9]{7}$")
TOWN_LINE_RE = re.compile(r"^([0-9]{5}) (.+)$")
HEADER_RE = re.compile(r"^finess;etalab;[^;]*;(\d{4}-\d{2}-\d{2})\s*$")
SIRET_RE = re.compile(r"^[0-9]{14}$")
PHONE_RE = re.compile(r"^0[0-9]{9}$")

# Street types as FINESS abbreviates them, spelled out for an envelope.
STREET_TYPES = {
    "R": "RUE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "RTE": "ROUTE",
    "CHE": "CHEMIN",
    "ALL": "ALLEE",
    "PL": "PLACE",
    "IMP": "IMPASSE",
    "QUAI": "QUAI",
    "CRS": "COURS",
    "SQ": "SQUARE",
    "FG": "FAUBOURG",
    "PAS": "PASSAGE",
    "RES": "RESIDENCE",
    "LOT": "LOTISSEMENT",
    "PRV": "PROMENADE",
    "ESP": "ESPLANADE",
    "CHS": "CHAUSSEE",
}
# Repetition indexes (bis, ter, quater) as FINESS codes them.
REPETITIONS = {"B": "BIS", "T": "TER", "Q": "QUATER", "C": "C"}


@dataclass(frozen=True)
class EstablishmentRow:
    """One establishment as the FINESS file describes it."""

    finess: str
    finess_ej: str | None
    name: str
    long_name: str | None
    complement: str | None
    distribution: str | None
    street: str | None
    locality: str | None
    postal_code: str
    town: str
    department: str
    department_name: str | None
    phone: str | None
    category_code: str | None
    category_label: str | None
    aggregate_code: str | None
    aggregate_label: str | None
    siret: str | None
    public_status: str | None
    updated_on: date | None

    @property
    def display_name(self) -> str:
        return self.long_name or self.name

    @property
    def address_lines(self) -> list[str]:
        """The postal address, the town line last, as printed on an envelope."""
        parts = (self.complement, self.distribution, self.street, self.locality)
        return [*(part for part in parts if part), f"{self.postal_code} {self.town}"]

    @property
    def kind(self) -> str | None:
        """The Reprise category of this establishment, when its FINESS category tells it."""
        return category_of(self.category_code, self.category_label, self.aggregate_label)

    @property
    def public(self) -> bool | None:
        """A public health establishment (True), a private one (False), or unknown (None)."""
        label = fold(self.public_status or "")
        if "public" in label:
            return True
        if "prive" in label:
            return False
        return None


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Parsed:
    rows: list[EstablishmentRow]
    problems: list[LineProblem]
    extracted_on: date | None
    skipped_sections: int


# Category codes seen in FINESS data for the holders Reprise writes to. Labels back them up:
# the nomenclature has hundreds of codes and its official list was not read.
HOSPITAL_CODES = frozenset({"101", "355", "365"})
LABORATORY_CODES = frozenset({"610", "611", "612", "619"})
PHARMACY_CODES = frozenset({"620", "627"})
HOSPITAL_LABEL_MARKERS = (
    "centre hospitalier",
    "hopital",
    "clinique",
    "etablissement de soins",
    "lutte contre le cancer",
)
HOSPITAL_AGGREGATE_MARKERS = ("centres hospitaliers", "soins de courte duree")


def category_of(code: str | None, label: str | None, aggregate: str | None) -> str | None:
    """hospital, laboratory or pharmacy, from the FINESS category (code, then label words)."""
    if code in HOSPITAL_CODES:
        return "hospital"
    if code in LABORATORY_CODES:
        return "laboratory"
    if code in PHARMACY_CODES:
        return "pharmacy"
    label, aggregate = fold(label or ""), fold(aggregate or "")
    if "pharmacie" in label:
        return "pharmacy"
    if any(marker in label for marker in ("laboratoire", "imagerie", "radiologie")):
        return "laboratory"
    if any(marker in label for marker in HOSPITAL_LABEL_MARKERS) or any(
        marker in aggregate for marker in HOSPITAL_AGGREGATE_MARKERS
    ):
        return "hospital"
    return None


def decode(data: bytes) -> str:
    """FINESS files have been published in Windows-1252 and in UTF-8: try UTF-8 first."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _clean(value: str) -> str | None:
    value = " ".join(value.split())
    return value or None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _street(number: str, repetition: str, kind: str, name: str) -> str | None:
    street_type = STREET_TYPES.get(kind.strip(), kind.strip())
    if street_type and name.strip().startswith(street_type + " "):
        street_type = ""  # Some lines repeat the type in the street name.
    parts = [
        number.strip(),
        REPETITIONS.get(repetition.strip(), repetition.strip()),
        street_type,
        name.strip(),
    ]
    return _clean(" ".join(part for part in parts if part))


def parse_row(values: list[str], line: int) -> EstablishmentRow | LineProblem:
    """One `structureet` line (already split) -> an establishment, or what is wrong with it."""
    if len(values) == len(FIELDS) + 1 and values[-1] == "":
        values = values[:-1]  # The documented trailing ";".
    if len(values) != len(FIELDS):
        return LineProblem(line, f"{len(values)} fields, the layout has {len(FIELDS)}")
    row = dict(zip(FIELDS, values, strict=True))
    finess = row["nofinesset"].strip()
    if not FINESS_RE.match(finess):
        return LineProblem(line, f"not a FINESS number: {finess!r}")
    name = _clean(row["rs"]) or _clean(row["rslongue"])
    if name is None:
        return LineProblem(line, "no name (rs and rslongue are empty)")
    town_line = _clean(row["ligneacheminement"]) or ""
    town = TOWN_LINE_RE.match(town_line)
    if town is None:
        return LineProblem(line, f"the town line does not start with a postal code: {town_line!r}")
    finess_ej = row["nofinessej"].strip()
    siret = row["siret"].strip()
    phone = row["telephone"].strip()
    return EstablishmentRow(
        finess=finess,
        finess_ej=finess_ej if FINESS_RE.match(finess_ej) else None,
        name=name,
        long_name=_clean(row["rslongue"]),
        complement=_clean(row["complrs"]),
        distribution=_clean(row["compldistrib"]),
        street=_street(row["numvoie"], row["compvoie"], row["typvoie"], row["voie"]),
        locality=_clean(row["lieuditbp"]),
        postal_code=town.group(1),
        town=town.group(2),
        department=row["departement"].strip(),
        department_name=_clean(row["libdepartement"]),
        phone=phone if PHONE_RE.match(phone) else None,
        category_code=_clean(row["categetab"]),
        category_label=_clean(row["libcategetab"]),
        aggregate_code=_clean(row["categagretab"]),
        aggregate_label=_clean(row["libcategagretab"]),
        siret=siret if SIRET_RE.match(siret) else None,
        public_status=_clean(row["libsph"]),
        updated_on=_date(row["datemaj"].strip()),
    )


def parse_lines(lines: Iterable[str]) -> Parsed:
    """Every establishment of a FINESS extraction, and every line that breaks its layout."""
    parsed = Parsed(rows=[], problems=[], extracted_on=None, skipped_sections=0)
    seen: set[str] = set()
    for number, values in enumerate(csv.reader(lines, delimiter=";"), 1):
        if not values or values == [""]:
            continue
        if number == 1 and values[0] == "finess":
            header = HEADER_RE.match(";".join(values))
            parsed.extracted_on = date.fromisoformat(header.group(1)) if header else None
            continue
        if values[0] != SECTION:
            if values[0] == "geolocalisation":
                parsed.skipped_sections += 1
            else:
                parsed.problems.append(LineProblem(number, f"unknown section {values[0][:30]!r}"))
            continue
        result = parse_row(values, number)
        if isinstance(result, LineProblem):
            parsed.problems.append(result)
        elif result.finess in seen:
            parsed.problems.append(LineProblem(number, f"FINESS number {result.finess} repeated"))
        else:
            seen.add(result.finess)
            parsed.rows.append(result)
    return parsed


def parse_file(path: Path) -> Parsed:
    """Read a FINESS extraction from disk (UTF-8 or Windows-1252)."""
    return parse_text(decode(path.read_bytes()))


def parse_text(text: str) -> Parsed:
    return parse_lines(io.StringIO(text, newline=""))
