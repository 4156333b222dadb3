"""Looking up an organisation that is not in the catalogue: the State's company search API.

recherche-entreprises.api.gouv.fr (no key; at most 7 requests per second) returns a company's
legal name, SIREN and head-office address from a name or a SIREN. One client is built at start-up
with explicit timeouts and a small in-process cache; an empty REPRISE_COMPANY_SEARCH_URL disables
it, and then nothing leaves the server. Only the name or number the person typed is sent.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from app.admission import step_aside
from app.catalogue.finess import STREET_TYPES
from app.catalogue.text import fold
from app.i18n import gettext as _

if TYPE_CHECKING:
    import httpx

logger = logging.getLogger("reprise.companies")

# Seconds (httpx.Timeout): httpx is loaded with the first look-up, not at start.
TIMEOUTS = {"connect": 3.0, "read": 6.0, "write": 3.0, "pool": 2.0}
CACHE_SIZE = 256
CACHE_SECONDS = 6 * 3600
PER_PAGE = 10
MIN_QUERY = 3
MAX_QUERY = 100

# Main activity (NAF code) -> the catalogue category whose rules apply.
CATEGORY_BY_ACTIVITY = {
    "86.10Z": "hospital",  # Activités hospitalières
    "86.90B": "laboratory",  # Laboratoires d'analyses médicales
    "47.73Z": "pharmacy",  # Commerce de détail de produits pharmaceutiques
    "65.12Z": "insurer",  # Autres assurances (mutuelles, assurance santé)
}
REPETITIONS = {"B": "BIS", "T": "TER", "Q": "QUATER"}


class CompanySearchError(Exception):
    """The look-up could not be done; `message` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CompanySearchDisabled(CompanySearchError):
    pass


class CompanySearchUnavailable(CompanySearchError):
    pass


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Siege(_Lenient):
    adresse: str | None = None
    cedex: str | None = None
    code_postal: str | None = None
    complement_adresse: str | None = None
    distribution_speciale: str | None = None
    indice_repetition: str | None = None
    libelle_cedex: str | None = None
    libelle_commune: str | None = None
    libelle_commune_etranger: str | None = None
    libelle_pays_etranger: str | None = None
    libelle_voie: str | None = None
    liste_finess: list[str] | None = None
    numero_voie: str | None = None
    siret: str | None = None
    type_voie: str | None = None


class _Result(_Lenient):
    siren: str
    nom_complet: str | None = None
    nom_raison_sociale: str | None = None
    sigle: str | None = None
    siege: _Siege | None = None
    activite_principale: str | None = None
    nature_juridique: str | None = None
    etat_administratif: str | None = None


class _Envelope(_Lenient):
    results: list[_Result]
    total_results: int = 0


@dataclass(frozen=True)
class Company:
    """An organisation as the company register knows it, ready to be written to."""

    siren: str
    name: str
    address_lines: list[str]
    active: bool
    public: bool | None
    category: str | None
    finess: list[str] = field(default_factory=list)
    activity: str | None = None


def _join(*parts: str | None) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())


def address_lines(siege: _Siege) -> list[str]:
    """The head office's postal address, town line last."""
    street_type = STREET_TYPES.get((siege.type_voie or "").strip(), siege.type_voie)
    repetition = REPETITIONS.get((siege.indice_repetition or "").strip(), siege.indice_repetition)
    lines = [
        _join(siege.complement_adresse),
        _join(siege.numero_voie, repetition, street_type, siege.libelle_voie),
        _join(siege.distribution_speciale),
    ]
    if siege.cedex and siege.libelle_cedex:
        lines.append(_join(siege.cedex, siege.libelle_cedex))
    elif siege.cedex:
        lines.append(_join(siege.cedex, siege.libelle_commune, "CEDEX"))
    elif siege.code_postal or siege.libelle_commune:
        lines.append(_join(siege.code_postal, siege.libelle_commune))
    elif siege.libelle_commune_etranger:
        lines.append(_join(siege.libelle_commune_etranger))
        lines.append(_join(siege.libelle_pays_etranger))
    kept = [line for line in lines if line]
    if len(kept) <= 1 and siege.adresse:
        return [siege.adresse.strip()]
    return kept


def _company(result: _Result) -> Company:
    siege = result.siege or _Siege()
    nature = result.nature_juridique or ""
    name = result.nom_complet or result.nom_raison_sociale or result.siren
    return Company(
        siren=result.siren,
        name=name.strip(),
        address_lines=address_lines(siege),
        active=result.etat_administratif != "C",
        public=nature.startswith("7") if nature else None,
        category=CATEGORY_BY_ACTIVITY.get(result.activite_principale or ""),
        finess=list(siege.liste_finess or []),
        activity=result.activite_principale,
    )


def parse_response(payload: Any) -> list[Company]:
    """The companies of a /search answer; raises CompanySearchUnavailable when it is not one."""
    try:
        envelope = _Envelope.model_validate(payload)
    except ValidationError as exc:
        raise CompanySearchUnavailable(
            _("L'annuaire des entreprises a donné une réponse inattendue. Réessayez plus tard.")
        ) from exc
    return [_company(result) for result in envelope.results]


def normalise_query(query: str) -> str:
    """Spaces squeezed, a SIREN or SIRET typed with spaces reduced to its nine digits."""
    text = " ".join(query.split())[:MAX_QUERY]
    digits = text.replace(" ", "").replace(".", "")
    if digits.isdigit() and len(digits) in {9, 14}:
        return digits[:9]
    return text


class CompanySearch:
    """The company search API client: one per process, built at start-up."""

    def __init__(
        self,
        base_url: str,
        transport: httpx.BaseTransport | None = None,
        cache_seconds: float = CACHE_SECONDS,
        clock: Any = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._transport = transport
        self._client: httpx.Client | None = None
        self._cache: OrderedDict[str, tuple[float, list[Company]]] = OrderedDict()
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)

    def _http(self) -> httpx.Client:
        """The HTTP client, made at the first look-up (a web process that never looks up a
        company neither loads httpx nor reads the certificate authorities). The request about
        to call out gives its database turn to the pages behind it (app.admission)."""
        import httpx

        step_aside()
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(
                    base_url=self.base_url,
                    timeout=httpx.Timeout(**TIMEOUTS),
                    transport=self._transport,
                    headers={"User-Agent": "Reprise (recherche d'organismes)"},
                    follow_redirects=False,
                )
            return self._client

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def _cached(self, key: str) -> list[Company] | None:
        with self._lock:
            entry = self._cache.get(key)
            if entry is None:
                return None
            stored_at, companies = entry
            if self._clock() - stored_at > self._cache_seconds:
                del self._cache[key]
                return None
            self._cache.move_to_end(key)
            return companies

    def _store(self, key: str, companies: list[Company]) -> None:
        with self._lock:
            self._cache[key] = (self._clock(), companies)
            self._cache.move_to_end(key)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def search(self, query: str) -> list[Company]:
        """Companies matching a name or a SIREN (nine digits), most relevant first."""
        if not self.enabled:
            raise CompanySearchDisabled(
                _(
                    "La recherche dans l'annuaire des entreprises est désactivée sur ce "
                    "serveur. Indiquez l'adresse de l'organisme vous-même."
                )
            )
        text = normalise_query(query)
        if len(text) < MIN_QUERY:
            return []
        key = fold(text)
        cached = self._cached(key)
        if cached is not None:
            return cached
        companies = self._fetch(text)
        self._store(key, companies)
        return companies

    def _fetch(self, text: str) -> list[Company]:
        import httpx

        unavailable = _(
            "L'annuaire des entreprises ne répond pas pour le moment. Réessayez plus tard, "
            "ou indiquez l'adresse de l'organisme vous-même."
        )
        try:
            response = self._http().get(
                "/search", params={"q": text, "page": 1, "per_page": PER_PAGE}
            )
        except httpx.TimeoutException as exc:
            logger.warning("company search: timed out")
            raise CompanySearchUnavailable(unavailable) from exc
        except httpx.HTTPError as exc:
            logger.warning("company search: %s", type(exc).__name__)
            raise CompanySearchUnavailable(unavailable) from exc
        if response.status_code == 400:
            return []  # The API refuses queries it finds too vague.
        if response.status_code == 429:
            logger.warning("company search: rate limited")
            raise CompanySearchUnavailable(
                _("L'annuaire des entreprises reçoit trop de demandes. Réessayez dans un moment.")
            )
        if response.status_code != 200:
            logger.warning("company search: HTTP %d", response.status_code)
            raise CompanySearchUnavailable(unavailable)
        try:
            payload = response.json()
        except ValueError as exc:
            raise CompanySearchUnavailable(unavailable) from exc
        return parse_response(payload)


def build_company_search(base_url: str) -> CompanySearch:
    """The client for the configured URL (an empty URL gives a disabled client)."""
    return CompanySearch(base_url)
