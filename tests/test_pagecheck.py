"""The page checker itself: each rule catches what it should (so a silent checker fails here)."""

import pytest

from tests.support.pagecheck import page_problems

GOOD = """<!doctype html><html lang="fr"><head><title>Accueil</title></head><body>
<h1>Bienvenue</h1>
<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">
<label for="a">Nom</label><input id="a" name="a"><button type="submit">OK</button></form>
<form method="get" action="/s"><input name="q" aria-label="Recherche"></form>
<a href="/">Accueil</a></body></html>"""


def test_a_good_page_passes() -> None:
    assert page_problems(GOOD) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("<!doctype html>", ""), "doctype"),
        (('lang="fr"', ""), "lang"),
        (("<title>Accueil</title>", "<title> </title>"), "title"),
        (("<h1>Bienvenue</h1>", ""), "0 <h1>"),
        (("<h1>Bienvenue</h1>", "<h1>A</h1><h1>B</h1>"), "2 <h1>"),
        (('<label for="a">Nom</label>', ""), "unlabelled"),
        (('aria-label="Recherche"', ""), "unlabelled"),
        (('<input type="hidden" name="csrf_token" value="t">', ""), "CSRF"),
        (('action="/x"', ""), "without action"),
        (('<a href="/">Accueil</a>', '<a href="/">Accueil</a><p id="a">x</p>'), "duplicate ids"),
        (("</body>", '<img src="/static/x.png"></body>'), "alt"),
        (("</body>", '<script src="https://cdn.example/x.js"></script></body>'), "other sites"),
        (("</body>", "<script>alert(1)</script></body>"), "inline <script>"),
        (("<h1>", '<h1 style="color:red">'), "inline style"),
        (('<a href="/">Accueil</a>', '<a href="/"></a>'), "without text"),
    ],
)
def test_each_rule_catches_its_fault(change: tuple[str, str], problem: str) -> None:
    old, new = change
    assert old in GOOD
    problems = page_problems(GOOD.replace(old, new, 1))
    assert any(problem in text for text in problems), problems
