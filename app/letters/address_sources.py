"""Where a person may look for an organisation's address when Reprise knows none."""

from __future__ import annotations

from urllib.parse import quote_plus

from app.catalogue.loader import get_catalogue
from app.letters.document import Recipient

# The State's public directory of companies and organisations (data.gouv.fr): the registered
# office of a company, an association or a public establishment, by SIREN or by name.
DIRECTORY = "https://annuaire-entreprises.data.gouv.fr"


def address_source(recipient: Recipient) -> str | None:
    """A catalogue record's privacy policy (else its first source); for an organisation typed
    in, its page in the public directory (by SIREN), else a search there by its name."""
    if recipient.platform_slug:
        platform = get_catalogue().get(recipient.platform_slug)
        if platform is None or not platform.sources:
            return None
        source = platform.sources.get("policy") or next(iter(platform.sources.values()))
        return source.url
    if recipient.siren:
        return f"{DIRECTORY}/entreprise/{recipient.siren}"
    if recipient.name:
        return f"{DIRECTORY}/rechercher?terme={quote_plus(recipient.name)}"
    return None
