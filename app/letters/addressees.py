"""To whom a kept letter or a tracked request is addressed: a catalogue platform, or an
organisation outside the catalogue (a hospital found in FINESS, a company found by its SIREN,
or an address typed by hand).

Stored contents say `{"platform": slug}` or `{"organisation": {...}}`, the organisation being the
same dict as a letters' selection holds (name, address_lines, email, siren, finess, category,
public). A content without "organisation" is a platform: rows kept before organisations could be
followed read as they always did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from app.catalogue.loader import get_catalogue
from app.catalogue.organisation import Organisation
from app.catalogue.schema import Platform
from app.catalogue.text import fold
from app.deadlines.calendar import ALSACE_MOSELLE_DEPARTEMENTS, in_alsace_moselle
from app.errors import Invalid, NotFound
from app.i18n import gettext as _
from app.letters.compose import recipient_from_platform
from app.letters.document import Recipient
from app.letters.postal import french_postal_code
from app.letters.service import recipient_from_input


def in_alsace_moselle_organisation(organisation: Mapping[str, Any]) -> bool:
    """Whether the organisation is in Moselle, Bas-Rhin or Haut-Rhin (départements 57, 67, 68).

    From the postal code of its French address; without one, from its FINESS number, whose two
    first characters are the département of the establishment.
    """
    if organisation.get("country") not in (None, "FR"):
        return False  # an address abroad: its digits are not a French postal code
    code = french_postal_code(list(organisation.get("address_lines") or []))
    if code is not None:
        return in_alsace_moselle(code)
    finess = str(organisation.get("finess") or "")
    return len(finess) == 9 and finess[:2] in ALSACE_MOSELLE_DEPARTEMENTS


def organisation_key(organisation: Mapping[str, Any]) -> str:
    """What makes two organisations the same one: the FINESS number, else the SIREN, else the
    folded name with the postal code (one open request per organisation and right)."""
    if organisation.get("finess"):
        return f"finess:{organisation['finess']}"
    if organisation.get("siren"):
        return f"siren:{organisation['siren']}"
    code = french_postal_code(list(organisation.get("address_lines") or [])) or ""
    return f"name:{fold(str(organisation.get('name') or ''))}|{code}"


def _field_errors(exc: ValidationError) -> dict[str, str]:
    return {
        "organisation" + "".join(f".{part}" for part in error["loc"]): error["msg"]
        for error in exc.errors()
    }


def organisation_from(raw: Any) -> dict[str, Any]:
    """The organisation as it is kept (every key present), checked by the one organisation type
    (app.catalogue.organisation: SIREN checksum, FINESS number, e-mail address, one-line name);
    Invalid naming `organisation.<field>`."""
    if not isinstance(raw, Mapping):
        raise Invalid({"organisation": _("Indiquez le nom et l'adresse de l'organisme.")})
    try:
        organisation = Organisation.model_validate(dict(raw))
    except ValidationError as exc:
        raise Invalid(_field_errors(exc)) from exc
    return organisation.as_selection()


@dataclass(frozen=True)
class Addressee:
    """A catalogue platform (`platform`, its slug) or an organisation (`organisation`)."""

    platform: str | None = None
    organisation: dict[str, Any] | None = None

    @classmethod
    def of_organisation(cls, raw: Any) -> Addressee:
        return cls(organisation=organisation_from(raw))

    @property
    def catalogue_platform(self) -> Platform | None:
        return get_catalogue().get(self.platform) if self.platform else None

    @property
    def key(self) -> str:
        """The same for every letter to the same recipient (platforms and organisations apart)."""
        if self.organisation is not None:
            return organisation_key(self.organisation)
        return f"platform:{self.platform or ''}"

    @property
    def name(self) -> str:
        if self.organisation is not None:
            return str(self.organisation.get("name") or "")
        platform = self.catalogue_platform
        return platform.name if platform else (self.platform or "")

    @property
    def alsace_moselle(self) -> bool:
        if self.organisation is not None:
            return in_alsace_moselle_organisation(self.organisation)
        platform = self.catalogue_platform
        return platform is not None and platform.region == "alsace-moselle"

    @property
    def may_be_public(self) -> bool:
        """Whether the CADA may act: a public establishment, or a hospital not known private."""
        if self.organisation is not None:
            public = self.organisation.get("public")
            category = self.organisation.get("category")
        else:
            platform = self.catalogue_platform
            if platform is None:
                return False
            public = platform.public
            category = "hospital" if "hospital" in platform.categories else None
        return public is True or (public is None and category == "hospital")

    def recipient(self) -> Recipient:
        """The letter's addressee block; NotFound for a platform gone from the catalogue."""
        if self.organisation is not None:
            return recipient_from_input(Organisation.model_validate(self.organisation))
        platform = self.catalogue_platform
        if platform is None:
            raise NotFound(_("Cette plateforme n'est plus dans le catalogue."))
        return recipient_from_platform(platform)

    def content(self) -> dict[str, Any]:
        """What a stored content says of its recipient."""
        if self.organisation is not None:
            return {"organisation": dict(self.organisation)}
        return {"platform": self.platform}

    def checked(self) -> Addressee:
        """The same addressee once checked: a platform of the catalogue, a valid organisation."""
        if self.organisation is not None:
            return Addressee(organisation=organisation_from(self.organisation))
        if self.catalogue_platform is None:
            raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
        return self


def addressee(to: str | Addressee) -> Addressee:
    """A slug is a catalogue platform."""
    return to if isinstance(to, Addressee) else Addressee(platform=to)


def addressee_of(content: Mapping[str, Any]) -> Addressee:
    """The recipient a stored letter's or proceeding's content names."""
    organisation = content.get("organisation")
    if isinstance(organisation, Mapping):
        return Addressee(organisation=dict(organisation))
    return Addressee(platform=str(content.get("platform") or ""))
