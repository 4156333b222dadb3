"""`reprise discover` and `reprise organisations search`: whom to write to."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.cli.common import print_json


def _discover(args: argparse.Namespace) -> int:
    from app.api.schemas import ChecklistItemOut
    from app.catalogue.checklist import build_checklist, wanted_others
    from app.catalogue.labels import CATEGORY_LABELS, KIND_LABELS
    from app.catalogue.loader import get_catalogue
    from app.catalogue.organisation import Organisation
    from app.catalogue.questionnaire import QUESTIONS, clean_answer, question_named
    from app.i18n import gettext as _

    catalogue = get_catalogue()
    if args.questions:
        for question in QUESTIONS:
            print(f"{question.id}: {_(question.text)}")
            values = [platform.slug for platform in question.candidates(catalogue)]
            if question.other:
                values.append("autre")
            print("    " + ", ".join(values))
        return 0
    answers: dict[str, list[str]] = {}
    for raw in args.answer:
        question_id, _sep, values = raw.partition("=")
        asked = question_named(question_id.strip())
        if asked is None:
            print(f"--answer {raw}: no question {question_id!r} (see --questions)", file=sys.stderr)
            return 2
        try:
            chosen = [value.strip() for value in values.split(",") if value.strip()]
            answers[asked.id] = clean_answer(asked, catalogue, chosen)
        except ValueError as exc:
            print(f"--answer {raw}: {exc} is not a choice of {asked.id}", file=sys.stderr)
            return 2
    organisations: list[Organisation] = []
    if args.organisations:
        try:
            raw_organisations = json.loads(Path(args.organisations).read_text(encoding="utf-8"))
            organisations = [Organisation.model_validate(o) for o in raw_organisations]
        except (OSError, ValueError, TypeError) as exc:
            print(f"{args.organisations}: {exc}", file=sys.stderr)
            return 2
    items = build_checklist(catalogue, answers, organisations)
    if args.json:
        print_json([ChecklistItemOut.of(item).cli_json() for item in items])
        return 0
    for item in items:
        mark = "[x]" if item.selected else "[ ]"
        print(f"{mark} {item.name}: {_(KIND_LABELS[item.kind])}")
        print(f"    {item.reason}")
        if item.retention:
            print(f"    {item.retention}")
        if item.check_address:
            print("    " + _("Adresse à vérifier avant d'envoyer"))
    for category in wanted_others(answers):
        label = _(CATEGORY_LABELS[category])
        print(
            f"+ {label}: `reprise finess search NAME --town TOWN` or `reprise organisations search`"
        )
    return 0


def _organisations_search(args: argparse.Namespace) -> int:
    from app.api.schemas import COMPANY_CLI_FIELDS, CompanyOut, ordered
    from app.catalogue.companies import CompanySearchError, build_company_search
    from app.config import get_settings

    client = build_company_search(get_settings().company_search_url)
    try:
        companies = [CompanyOut.of(company) for company in client.search(args.query)]
    except CompanySearchError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        client.close()
    if args.json:
        print_json([ordered(company, COMPANY_CLI_FIELDS) for company in companies])
    else:
        for company in companies:
            print(f"{company.siren}\t{company.name}\t{', '.join(company.address_lines)}")
    return 0


def add_commands(commands: Any) -> None:
    discover = commands.add_parser(
        "discover", help="the checklist of platforms to write to, from answers to the questions"
    )
    discover.add_argument("--questions", action="store_true", help="list questions and choices")
    discover.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="QUESTION=SLUG,SLUG",
        help="an answer, e.g. rendez-vous=doctolib,maiia (repeat for each question)",
    )
    discover.add_argument(
        "--organisations", help="JSON file: organisations outside the catalogue to add"
    )
    discover.add_argument("--json", action="store_true")
    discover.set_defaults(func=_discover)
    organisations = commands.add_parser(
        "organisations", help="organisations outside the catalogue"
    ).add_subparsers(dest="organisations_command", required=True)
    search = organisations.add_parser(
        "search", help="search the State's company register (REPRISE_COMPANY_SEARCH_URL)"
    )
    search.add_argument("query", help="a name or a SIREN")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=_organisations_search)
