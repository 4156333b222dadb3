"""The platform catalogue: shipped records valid and sourced; the validator catches bad ones."""

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.catalogue.contacts import MEDICAL_RECORD_ADDRESSEES
from app.catalogue.loader import DATA_DIR, get_catalogue, load_directory
from app.catalogue.schema import CATEGORIES, siren_is_valid
from app.catalogue.search import fold, search_platforms

GOOD: dict[str, Any] = tomllib.loads((DATA_DIR / "doctolib.toml").read_text(encoding="utf-8"))


def test_shipped_catalogue_is_valid() -> None:
    result = load_directory()
    assert result.problems == []
    assert len(result.platforms) >= 80


def test_catalogue_covers_at_least_twelve_categories_with_real_records() -> None:
    counts = Counter(c for platform in get_catalogue().platforms for c in platform.categories)
    assert len(counts) >= 12
    assert set(counts) <= set(CATEGORIES)


def test_every_contact_is_sourced_and_unverified_records_say_so() -> None:
    for platform in get_catalogue().platforms:
        assert platform.sources, platform.slug
        for key in platform.contact.source_keys():
            assert platform.sources[key].url.startswith(("https://", "http://"))
        if platform.contact.empty:
            assert platform.quality == "unverified", platform.slug
        assert platform.relevant_rights[0] == platform.recommended_right


def test_records_never_ask_again_for_what_the_identity_form_asks() -> None:
    for platform in get_catalogue().platforms:
        for label in platform.identifiers:
            folded = fold(label)
            assert "date de naissance" not in folded, (platform.slug, label)
            assert not folded.startswith(("nom et prenom", "nom prenom")), (platform.slug, label)


def test_at_least_five_records_have_sourced_contacts() -> None:
    sourced = [
        platform
        for platform in get_catalogue().platforms
        if not platform.contact.empty and platform.quality != "unverified"
    ]
    assert len(sourced) >= 5
    for platform in sourced:
        for key in platform.contact.source_keys():
            source = platform.sources[key]
            assert source.url.startswith(("https://", "http://"))
            assert source.seen


def _write(directory: Path, record: dict[str, Any], name: str | None = None) -> None:
    lines: list[str] = []

    def emit(table: dict[str, Any], prefix: str = "", array: bool = False) -> None:
        def is_tables(value: Any) -> bool:
            return isinstance(value, list) and bool(value) and isinstance(value[0], dict)

        scalars = {k: v for k, v in table.items() if not isinstance(v, dict) and not is_tables(v)}
        tables = {k: v for k, v in table.items() if isinstance(v, dict)}
        arrays = {k: v for k, v in table.items() if is_tables(v)}
        if prefix:
            lines.append(f"[[{prefix}]]" if array else f"[{prefix}]")
        for key, value in scalars.items():
            lines.append(f"{key} = {_toml(value)}")
        for key, value in tables.items():
            emit(value, f"{prefix}.{key}" if prefix else key)
        for key, items in arrays.items():
            for item in items:
                emit(item, f"{prefix}.{key}" if prefix else key, array=True)

    emit(record)
    (directory / f"{name or record['slug']}.toml").write_text("\n".join(lines), encoding="utf-8")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _with(change: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {**GOOD}
    for dotted, value in change.items():
        target = record
        *path, last = dotted.split(".")
        for part in path:
            if isinstance(target, list):
                target[int(part)] = dict(target[int(part)])
                target = target[int(part)]
            else:
                copied = target[part]
                target[part] = list(copied) if isinstance(copied, list) else dict(copied)
                target = target[part]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    return record


def test_the_good_record_round_trips(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    assert load_directory(tmp_path).problems == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"channels.0.email": "not-an-email"}, "channels.0.email", "valid email"),
        ({"channels.0.email_source": "nowhere"}, "(record)", "undefined sources"),
        ({"channels.0.email_source": None}, "channels.0", "email needs email_source"),
        ({"quality": "unverified"}, "(record)", "quality"),
        ({"sources.policy.kind": "secondary"}, "(record)", "quality"),
        ({"sources.policy.url": "ftp://example.org"}, "sources.policy.url", "URL"),
        ({"sources.policy.dated": "2025/08"}, "sources.policy.dated", "YYYY-MM"),
        ({"categories": ["casino"]}, "categories.0", ""),
        ({"slug": "Doctolib!"}, "slug", "lowercase"),
        ({"siren": "123456789"}, "siren", "SIREN"),
        ({"role_note": None}, "(record)", "role_note"),
        ({"channels.0.postal.postal_code": "9230"}, "channels.0.postal", "five-digit"),
        ({"domains": ["https://doctolib.fr"]}, "domains", "domain"),
        ({"surprise": "field"}, "surprise", ""),
        ({"identifiers": ["Nom, prénom et date de naissance"]}, "identifiers", "identity form"),
        ({"identifiers": ["Adresse postale"]}, "identifiers", "identity form"),
        ({"identifiers": ["Date de naissance"]}, "identifiers", "identity form"),
        ({"rights": ["access", "erasure"]}, "(record)", "recommended right"),
        ({"rights": ["erasure", "access", "access"]}, "(record)", "twice"),
        ({"rights": ["erasure", "gossip"]}, "rights.1", ""),
        ({"related": ["doctolib"]}, "(record)", "itself"),
        ({"related": ["Not A Slug"]}, "related", "slug"),
        ({"domains": ["doctolib.fr", "doctolib.fr"]}, "domains", "twice"),
        ({"channels.0.postal.head_office": "maybe"}, "channels.0.postal.head_office", ""),
        (
            {"channels.0.rights": ["access", "medical-record"], "channels.0.to": "director"},
            "(record)",
            "does not list",
        ),
        ({"channels.0.rights": ["medical-record"]}, "channels.0", "not 'dpo'"),
        ({"channels.0.to": "dpo", "channels.0.rights": ["erasure"]}, "(record)", "no channel for"),
        ({"channels.0.to": "janitor"}, "channels.0.to", ""),
        ({"channels.0.for_privacy": None}, "channels.0.for_privacy", "required"),
        ({"no_channel": {"why": "x", "what_to_do": "y"}}, "(record)", "every right has"),
    ],
)
def test_invalid_records_are_reported_with_file_and_field(
    tmp_path: Path, change: dict[str, Any], field: str, message: str
) -> None:
    _write(tmp_path, _with(change), name="doctolib")
    problems = load_directory(tmp_path).problems
    assert problems, "the invalid record was accepted"
    assert any(
        p.file == "doctolib.toml" and p.field == field and message in p.message for p in problems
    ), problems


def test_identifiers_about_other_people_or_accounts_are_accepted(tmp_path: Path) -> None:
    record = _with(
        {"identifiers": ["Prénom des enfants enregistrés", "Nom de naissance, s'il est différent"]}
    )
    _write(tmp_path, record)
    assert load_directory(tmp_path).problems == []


def test_two_records_for_one_domain_or_a_missing_related_record_are_reported(
    tmp_path: Path,
) -> None:
    _write(tmp_path, _with({"related": ["nowhere"]}))
    _write(tmp_path, _with({"slug": "doctolib-bis", "name": "Doctolib bis"}))
    problems = [str(problem) for problem in load_directory(tmp_path).problems]
    assert "doctolib.toml: related: no record named nowhere" in problems
    assert "doctolib.toml: domains: doctolib.fr is also in doctolib-bis.toml" in problems


def test_duplicates_and_misnamed_files_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    _write(tmp_path, GOOD, name="doctolib-copy")
    problems = [str(problem) for problem in load_directory(tmp_path).problems]
    assert any("must match the file name" in p for p in problems)
    assert any("duplicate" in p for p in problems)


def test_a_record_without_any_source_is_refused(tmp_path: Path) -> None:
    dropped = {"sources", "channels", "hosting"}
    record = {key: value for key, value in GOOD.items() if key not in dropped}
    record["quality"] = "unverified"
    _write(tmp_path, record)
    problems = load_directory(tmp_path).problems
    assert any("at least one source" in problem.message for problem in problems)


@pytest.mark.parametrize(
    ("siren", "valid"),
    [
        ("794598813", True),
        ("552100554", True),
        ("356000000", True),
        ("794598814", False),
        ("12345678", False),
        ("abcdefghi", False),
    ],
)
def test_siren_check(siren: str, valid: bool) -> None:
    assert siren_is_valid(siren) is valid


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Doctolib", "doctolib"),
        ("doctolib.fr", "doctolib"),
        ("DOCTO", "doctolib"),
        ("withings", "withings"),
        ("mondocteur", "doctolib"),
        ("doctolbi", "doctolib"),  # two letters swapped
        ("doctlib", "doctolib"),  # one letter missing
        ("withinggs", "withings"),  # one letter too many
        ("withimgs", "withings"),  # one letter wrong
        ("HÉLOA", "heloa"),
        ("genéanet", "geneanet"),
        ("Hôpitaux de Marseille", "ap-hm"),
        ("Runtastic", "adidas-running"),  # an old name
        ("ScanWatch", "withings"),  # a brand
        ("chu lyon", "hcl"),
        ("23andme.com", "23andme"),
    ],
)
def test_search_finds_by_name_alias_brand_and_domain(query: str, slug: str) -> None:
    found = [platform.slug for platform in search_platforms(get_catalogue(), query)]
    assert found[:1] == [slug], found


@pytest.mark.parametrize("query", ["", "   ", "zzzz", "dcotolbi", "clu", "xq"])
def test_search_does_not_guess_too_far(query: str) -> None:
    # Two mistakes, or a mistake in a short word, find nothing rather than anything.
    assert "doctolib" not in [p.slug for p in search_platforms(get_catalogue(), query)]
    if query.strip() in {"", "zzzz", "xq"}:
        assert search_platforms(get_catalogue(), query) == []


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("CHU de Nantes", "chu-nantes"),
        ("chu grenoble", "chu-grenoble-alpes"),
        ("CHU Clermont-Ferrand", "chu-clermont-ferrand"),
        ("Hôpital Carémeau", "chu-nimes"),
        ("CHRU de Tours", "chru-tours"),
        ("Institut Bergonié", "institut-bergonie"),
        ("Paoli-Calmettes", "institut-paoli-calmettes"),
        ("ICO Saint-Herblain", "institut-cancerologie-ouest"),
        ("Gustave Roussy", "gustave-roussy"),
        ("Centre Oscar Lambret", "centre-oscar-lambret"),
        ("CHU de Martinique", "chu-martinique"),
        ("CHU d'Orléans", "chu-orleans"),
        ("CHU de la Réunion", "chu-reunion"),
        ("CHU de Pointe-à-Pitre", "chu-guadeloupe"),
        ("hôpital de Cayenne", "chu-guyane"),
        ("Centre Antoine Lacassagne", "centre-antoine-lacassagne"),
        ("Centre Georges-François Leclerc", "centre-georges-francois-leclerc"),
        ("Hôpital Foch", "hopital-foch"),
        ("Hôpital Saint-Joseph Paris", "hopital-paris-saint-joseph"),
        ("Hôpital Européen Marseille", "hopital-europeen-marseille"),
        ("Hôpital de Sète", "hopitaux-bassin-de-thau"),
        ("Hôpital de Tulle", "ch-tulle"),
    ],
)
def test_a_patient_finds_their_hospital_and_where_to_ask_for_the_record(
    query: str, slug: str
) -> None:
    # Without the FINESS file, a hospital is found only if the catalogue has it; its record
    # then says where the medical record is asked for (never only the DPO), or why it cannot.
    found = search_platforms(get_catalogue(), query)
    assert [platform.slug for platform in found[:1]] == [slug]
    hospital = found[0]
    assert hospital.recommended_right == "medical-record"
    channel = hospital.channel("medical-record")
    if channel is None:
        assert hospital.no_channel is not None
        assert hospital.no_channel.what_to_do
    else:
        assert channel.to in MEDICAL_RECORD_ADDRESSEES
        assert channel.postal or channel.email or channel.web_form


def test_every_platform_is_found_first_by_its_own_name() -> None:
    catalogue = get_catalogue()
    for platform in catalogue.platforms:
        found = search_platforms(catalogue, platform.name)
        assert platform in found[:3], (platform.name, [p.slug for p in found[:3]])


def test_fold_removes_accents_case_and_punctuation() -> None:
    assert fold("Hôpital-Européen  Georges") == "hopital europeen georges"
