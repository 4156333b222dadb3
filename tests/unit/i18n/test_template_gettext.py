"""`_()` in templates is Jinja's new-style gettext done in one call (app.templating): for any
message and any value filled in, a page shows exactly what Jinja's own would, escaping included,
in both languages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, select_autoescape

from app.i18n import use_locale
from app.templating import _gettext, _ngettext, get_environment

SOURCE = (
    '{{ _("Date limite : %(day)s", day=value) }}|{{ gettext("Mes démarches") }}|'
    '{{ _("100%% sûr") }}|{% trans name=value %}Bonjour {{ name }} !{% endtrans %}'
)


def _jinjas_own() -> Environment:
    env = Environment(
        autoescape=select_autoescape(default_for_string=True, default=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


REFERENCE = _jinjas_own().from_string(SOURCE)
OURS = get_environment().from_string(SOURCE)


@settings(max_examples=200, deadline=None)
@given(value=st.text(), locale=st.sampled_from(["fr", "en"]))
def test_a_message_reads_as_jinjas_own_gettext_makes_it(value: str, locale: str) -> None:
    with use_locale(locale):
        assert OURS.render(value=value) == REFERENCE.render(value=value)


def test_what_people_typed_is_escaped_in_a_message() -> None:
    with use_locale("en"):
        shown = OURS.render(value="<script>alert(1)</script>")
    assert "<script>" not in shown
    assert "Deadline: &lt;script&gt;" in shown
