"""Loads the platform records shipped with Reprise (one TOML file per platform)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from app.catalogue.index import NameIndex
from app.catalogue.schema import Platform
from app.catalogue.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data" / "platforms"


@dataclass(frozen=True)
class Problem:
    """One reason a record is not valid."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass
class LoadResult:
    platforms: list[Platform] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_directory(directory: Path = DATA_DIR) -> LoadResult:
    """Read and validate every record; collect problems instead of stopping at the first."""
    result = LoadResult()
    seen_slugs: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        name = path.name
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            result.problems.append(Problem(name, "(file)", f"not valid TOML: {exc}"))
            continue
        try:
            platform = Platform.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in error["loc"]) or "(record)"
                result.problems.append(Problem(name, where, error["msg"]))
            continue
        if path.stem != platform.slug:
            result.problems.append(Problem(name, "slug", "must match the file name"))
        if platform.slug in seen_slugs:
            result.problems.append(
                Problem(name, "slug", f"duplicate of {seen_slugs[platform.slug]}")
            )
            continue
        seen_slugs[platform.slug] = name
        result.platforms.append(platform)
    result.problems.extend(cross_record_problems(result.platforms))
    return result


def cross_record_problems(platforms: list[Platform]) -> list[Problem]:
    """What no single record shows: two records for one organisation, links to missing records."""
    problems: list[Problem] = []
    slugs = {platform.slug for platform in platforms}
    names: dict[str, str] = {}
    domains: dict[str, str] = {}
    for platform in platforms:
        file = f"{platform.slug}.toml"
        name = fold(platform.name)
        if name in names:
            problems.append(Problem(file, "name", f"same name as {names[name]}.toml"))
        names.setdefault(name, platform.slug)
        for domain in platform.domains:
            if domain in domains:
                other = domains[domain]
                problems.append(Problem(file, "domains", f"{domain} is also in {other}.toml"))
            domains.setdefault(domain, platform.slug)
        for slug in platform.related:
            if slug not in slugs:
                problems.append(Problem(file, "related", f"no record named {slug}"))
    return problems


class CatalogueError(RuntimeError):
    """The shipped catalogue does not validate."""


class Catalogue:
    """Every platform record, by slug, in a stable order."""

    def __init__(self, platforms: list[Platform]) -> None:
        self.platforms: tuple[Platform, ...] = tuple(
            sorted(platforms, key=lambda platform: platform.name.casefold())
        )
        self._by_slug = {platform.slug: platform for platform in self.platforms}
        self._index: NameIndex | None = None

    @property
    def index(self) -> NameIndex:
        """Every record's names (name, legal name, aliases, brands, domains), for search."""
        if self._index is None:
            self._index = NameIndex(
                [
                    platform.name,
                    platform.legal_name or "",
                    *platform.aliases,
                    *platform.brands,
                    *platform.domains,
                ]
                for platform in self.platforms
            )
        return self._index

    def get(self, slug: str) -> Platform | None:
        return self._by_slug.get(slug)

    def in_category(self, category: str) -> list[Platform]:
        return [platform for platform in self.platforms if category in platform.categories]

    def __len__(self) -> int:
        return len(self.platforms)


@lru_cache(maxsize=1)
def get_catalogue() -> Catalogue:
    """The shipped catalogue; refuses to serve a catalogue with invalid records."""
    result = load_directory()
    if result.problems:
        listed = "\n".join(str(problem) for problem in result.problems)
        raise CatalogueError(f"the platform catalogue has invalid records:\n{listed}")
    return Catalogue(result.platforms)
