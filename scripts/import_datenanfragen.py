"""Import contacts from Datenanfragen's company database (CC0) into the platform records.

Usage:
  python scripts/import_datenanfragen.py DATENANFRAGEN_CHECKOUT [--records DIR] [--dry-run]

The checkout is a git clone of github.com/datenanfragen/data; each selected company's file
(companies/SLUG.json) is read at the checkout's HEAD, and cited by its address at that commit with
the date of the last commit that changed it. Every imported field is a secondary source: it stays
marked so until the organisation's own document confirms it.

Two import paths:
- a company Reprise lacks becomes a new record (SELECTION gives its French summary and rights);
- a company Reprise has gets what its record lacks: an email, a web form or a postal address
  on the channel of its recommended right (or a first channel when it had none). A contact the
  record already has is never replaced.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale

from app import clock
from app.catalogue.loader import DATA_DIR
from app.catalogue.records import dump_record, with_expected_quality

REPOSITORY = "https://github.com/datenanfragen/data"
APP_RIGHTS = ["erasure", "access", "portability", "rectification", "objection"]
APP_REASON = (
    "Aucune loi n'oblige cette entreprise à garder vos données de santé. Vous pouvez donc "
    "demander qu'elles soient toutes effacées."
)
BROKER_REASON = (
    "Vous ne savez peut-être pas ce que cette entreprise détient sur vous : demandez d'abord une "
    "copie de vos données et leur origine, puis opposez-vous à leur utilisation."
)


@dataclass(frozen=True)
class New:
    """A company Reprise lacks: what the record says that Datenanfragen does not."""

    slug: str
    name: str
    categories: tuple[str, ...]
    summary: str
    recommended_right: str = "erasure"
    reason: str = APP_REASON
    rights: tuple[str, ...] = tuple(APP_RIGHTS)
    aliases: tuple[str, ...] = ()
    country: str = "US"  # where the company is, when its address does not say


# Datenanfragen slug -> the record it fills (an existing slug) or the new record it makes.
SELECTION: dict[str, str | New] = {
    "garmin": "garmin",
    "ada-health": "ada-health",
    "ancestry-com": "ancestry",
    "apple": "apple-sante",
    "samsung": "samsung-health",
    "huawei": "huawei-health",
    "strava": "strava",
    "mi-com": New(
        "xiaomi",
        "Xiaomi",
        ("wearables", "fitness"),
        "Bracelets d'activité et montres Xiaomi (Mi Band, Redmi Watch) et leurs applications.",
        aliases=("Mi Fitness", "Mi Band"),
    ),
    "glooko-com": New(
        "glooko",
        "Glooko",
        ("health-record",),
        "Application et plateforme de suivi du diabète (glycémie, insuline), utilisée aussi par "
        "des services hospitaliers.",
        recommended_right="access",
        reason="Vos données de glycémie peuvent aussi servir à vos soignants : demandez d'abord "
        "une copie de ce qui est gardé, puis, si vous le voulez, l'effacement de votre compte.",
        rights=("access", "erasure", "portability", "rectification", "objection"),
    ),
    "iqvia": New(
        "iqvia",
        "IQVIA",
        ("data-broker", "pharma"),
        "Entreprise de données de santé et d'études pour l'industrie pharmaceutique (données de "
        "prescription et de vente des pharmacies, études cliniques).",
        recommended_right="access",
        reason=BROKER_REASON,
        rights=("access", "objection", "erasure", "rectification"),
    ),
    "under-armour": New(
        "under-armour",
        "Under Armour",
        ("fitness",),
        "Vêtements de sport et applications de course (MapMyRun, MapMyFitness) ; ancien "
        "propriétaire de MyFitnessPal.",
        aliases=("MapMyRun", "MapMyFitness"),
    ),
    "wahoo-fitness": New(
        "wahoo",
        "Wahoo Fitness",
        ("wearables", "fitness"),
        "Compteurs de vélo, capteurs cardiaques et home-trainers connectés, et leurs applications.",
    ),
    "7mind": New(
        "7mind",
        "7Mind",
        ("mental-health",),
        "Application de méditation et de gestion du stress.",
    ),
    "runtastic": "adidas-running",
    "pharmacie-lafayette-toulouse": New(
        "pharmacie-lafayette-toulouse",
        "Pharmacie Lafayette Toulouse",
        ("pharmacy",),
        "Pharmacie d'officine du centre de Toulouse (enseigne Pharmacie Lafayette).",
        recommended_right="access",
        reason="Une pharmacie doit garder certaines données de délivrance (ordonnancier) pendant "
        "des années : demandez d'abord une copie de ce qu'elle garde sur vous.",
        rights=("access", "erasure", "rectification", "objection"),
        country="FR",
    ),
    "biontech": New(
        "biontech",
        "BioNTech",
        ("pharma",),
        "Laboratoire pharmaceutique allemand (vaccins, traitements contre le cancer) qui mène des "
        "essais cliniques et des programmes de pharmacovigilance.",
        recommended_right="access",
        reason="Un laboratoire doit garder les déclarations d'effets indésirables et les données "
        "d'essais cliniques pendant des années : demandez d'abord une copie de vos données.",
        rights=("access", "rectification", "objection", "erasure"),
    ),
    "gyroscope": New(
        "gyroscope",
        "Gyroscope",
        ("fitness",),
        "Application de suivi de santé et d'activité qui rassemble les données d'autres "
        "applications et objets connectés.",
    ),
    "runalyze": New(
        "runalyze",
        "Runalyze",
        ("fitness",),
        "Site et application d'analyse des entraînements de course à pied.",
    ),
    "nike": New(
        "nike",
        "Nike Run Club et Nike Training Club",
        ("fitness",),
        "Applications de course et d'entraînement de Nike (comptes Nike).",
        aliases=("Nike Run Club", "Nike Training Club", "Nike"),
    ),
    "dnafit": New(
        "dnafit",
        "DNAFit",
        ("genetics",),
        "Tests génétiques vendus en ligne pour la nutrition et le sport.",
        rights=("erasure", "access", "portability", "objection"),
    ),
}

POSTAL_LINE_RE = re.compile(
    r"^(?P<code>\d{4} ?[A-Z]{2}|[A-Z]{0,2}-?\d[\d\- ]{2,9}\d|\d{4,5})\s+(?P<city>.+)$"
)


def countries() -> dict[str, str]:
    """Country names as Datenanfragen writes them (German, English, French) -> ISO code."""
    names: dict[str, str] = {}
    for language in ("de", "en", "fr"):
        for code, name in Locale.parse(language).territories.items():
            if re.fullmatch(r"[A-Z]{2}", code):
                names[name.casefold()] = code
    names.update({"usa": "US", "uk": "GB", "united states of america": "US"})
    return names


def parse_address(text: str, source: str) -> dict[str, Any] | None:
    """A postal address from Datenanfragen's free text, or None when it cannot be read safely.

    The text is the street lines, then the town line, then the country's name; the record's
    legal name heads the letter, so the address carries no recipient of its own.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        return None
    country = countries().get(lines[-1].casefold().removeprefix("the "))
    if country is None:
        return None
    match = POSTAL_LINE_RE.match(lines[-2])
    if country == "FR" and not match:
        return None
    return {
        "lines": lines[:-2][:5],
        "postal_code": match.group("code") if match else None,
        "city": match.group("city") if match else lines[-2],
        "country": country,
        "source": source,
    }


def company_source(checkout: Path, slug: str) -> dict[str, Any]:
    """The source entry citing one company file at the checkout's commit."""
    path = f"companies/{slug}.json"
    head = _git(checkout, "rev-parse", "HEAD")
    changed = _git(checkout, "log", "-1", "--format=%cs", "--", path) or None
    return {
        "url": f"{REPOSITORY}/blob/{head}/{path}",
        "title": f"Datenanfragen, base d'entreprises (CC0) : {path}",
        "dated": changed,
        "kind": "secondary",
        "seen": clock.today().isoformat(),
    }


def _git(checkout: Path, *args: str) -> str:
    git = shutil.which("git")
    if git is None:
        raise SystemExit("git is needed to cite the company files at their commit")
    done = subprocess.run(
        [git, "-C", str(checkout), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def contacts_of(company: dict[str, Any], source: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if company.get("email"):
        found["email"] = company["email"]
        found["email_source"] = source
    if company.get("webform", "").startswith("https://"):
        found["web_form"] = company["webform"]
        found["web_form_source"] = source
    postal = parse_address(company.get("address", ""), source)
    if postal:
        found["postal"] = postal
    return found


def domain_of(company: dict[str, Any]) -> list[str]:
    web = company.get("web") or ""
    host = re.sub(r"^https?://(www\.)?", "", web).split("/")[0].lower()
    return [host] if host else []


def new_record(company: dict[str, Any], spec: New, source: dict[str, Any]) -> dict[str, Any]:
    channel = {"rights": list(spec.rights), "to": "privacy-team", "for_privacy": True}
    channel.update(contacts_of(company, "datenanfragen"))
    country = channel.get("postal", {}).get("country", spec.country)
    record: dict[str, Any] = {
        "slug": spec.slug,
        "name": spec.name,
        "legal_name": company["name"],
        "aliases": list(spec.aliases),
        "domains": domain_of(company),
        "categories": list(spec.categories),
        "country": country,
        "summary": spec.summary,
        "role": "controller",
        "request_language": "fr" if country == "FR" else "en",
        "recommended_right": spec.recommended_right,
        "recommended_reason": spec.reason,
        "rights": list(spec.rights),
        "quality": "secondary",
        "channels": [channel] if len(channel) > 3 else [],
        "sources": {"datenanfragen": source},
    }
    if not record["channels"]:
        record["no_channel"] = {
            "why": "La base Datenanfragen ne donne aucun contact lisible pour cette entreprise.",
            "what_to_do": "Cherchez le contact « privacy » ou « DPO » dans sa politique de "
            "confidentialité.",
        }
    return record


def fill_record(record: dict[str, Any], company: dict[str, Any], source: dict[str, Any]) -> bool:
    """Add what the record lacks; True when something was added."""
    found = contacts_of(company, "datenanfragen")
    if not found:
        return False
    channels = record.setdefault("channels", [])
    if not channels:
        # A medical record is asked of the establishment: never from this database.
        rights = record.get("rights") or [record["recommended_right"]]
        taken = [right for right in rights if right != "medical-record"]
        channels.append({"rights": taken, "to": "privacy-team", "for_privacy": True, **found})
        if len(taken) == len(rights):
            record.pop("no_channel", None)
    else:
        chosen = next(
            (c for c in channels if record["recommended_right"] in c["rights"]), channels[0]
        )
        added = {
            key: value for key, value in found.items() if key.removesuffix("_source") not in chosen
        }
        if not added:
            return False
        chosen.update(added)
    record.setdefault("sources", {})["datenanfragen"] = source
    return True


def run(checkout: Path, records: Path, dry_run: bool = False) -> list[str]:
    """Import the selection; returns one line per record written."""
    done: list[str] = []
    for company_slug, target in SELECTION.items():
        path = checkout / "companies" / f"{company_slug}.json"
        if not path.exists():
            done.append(f"{company_slug}: not in the checkout, skipped")
            continue
        company = json.loads(path.read_text(encoding="utf-8"))
        source = company_source(checkout, company_slug)
        if isinstance(target, New):
            out = records / f"{target.slug}.toml"
            if out.exists():
                done.append(f"{target.slug}: already in the catalogue, skipped")
                continue
            record = new_record(company, target, source)
            verb = "added"
        else:
            out = records / f"{target}.toml"
            if not out.exists():
                done.append(f"{target}: no such record, skipped")
                continue
            record = tomllib.loads(out.read_text(encoding="utf-8"))
            if not fill_record(record, company, source):
                done.append(f"{target}: nothing new")
                continue
            verb = "completed"
        record = with_expected_quality(record)
        if not dry_run:
            out.write_text(dump_record(record), encoding="utf-8")
        done.append(f"{out.stem}: {verb}")
    return done


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--records", type=Path, default=DATA_DIR)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    for line in run(args.checkout, args.records, args.dry_run):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
