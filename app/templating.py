"""The Jinja2 environment shared by pages, letters and emails: autoescaped, translated."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from app.clock import PARIS
from app.config import TEMPLATES_DIR
from app.i18n import get_locale, gettext, long_date, month_names, ngettext


def _gettext(message: str, **variables: object) -> str:
    return gettext(message, **variables)


def _ngettext(singular: str, plural: str, n: int, **variables: object) -> str:
    return ngettext(singular, plural, n, **variables)


@pass_context
def _page_gettext(context: Context, message: str, **variables: object) -> str:
    """`_()` and `gettext()` in templates, as Jinja's new-style gettext does them (translated,
    made safe markup when autoescaping, then always formatted with the variables escaped), in
    one call: Jinja's own goes through two indirect calls for each message, a good part of the
    time a page takes to render (a page shows dozens of messages)."""
    text = gettext(message)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (the project's own messages, as Jinja does)
    return text % variables


@lru_cache(maxsize=1)
def get_environment() -> Environment:
    """One environment: HTML autoescaped, strict undefined, gettext installed.

    Templates are part of a deployment, which restarts the service: a compiled template is kept
    (auto_reload off), where Jinja would otherwise look at its file, and at the file of each
    template it extends or includes, on every render."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        auto_reload=False,
        autoescape=select_autoescape(
            enabled_extensions=("html", "xml"), default_for_string=True, default=True
        ),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["gettext"] = env.globals["_"] = _page_gettext
    env.globals["current_locale"] = get_locale
    env.globals["catalogue_lang"] = catalogue_lang
    env.globals["month_names"] = month_names
    env.filters["long_date"] = long_date
    env.filters["long_moment"] = long_moment
    return env


def compile_all() -> int:
    """Compile every template now (about 0.4 s of CPU), rather than on the request
    that first needs it; returns how many."""
    env = get_environment()
    names = env.list_templates(extensions=("html",))
    for name in names:
        env.get_template(name)
    return len(names)


def catalogue_lang() -> Markup:
    """` lang="fr"` on an element holding the catalogue's French text in a page that is not
    French, so screen readers read it in French (WCAG 3.1.2)."""
    return Markup("") if get_locale() == "fr" else Markup(' lang="fr"')


def long_moment(moment: datetime) -> str:
    """A moment as people say it, in Paris time: '5 décembre 2026 à 4 h 53'."""
    local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(PARIS)
    minute = str(local.minute).zfill(2)
    return gettext(
        "%(day)s à %(hour)s h %(minute)s",
        day=long_date(local.date()),
        hour=str(local.hour),
        minute=minute,
    )
