"""``{% tablescroll %}``: a table in its own scrolling box, a focusable region named by its caption."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_the_box_is_a_focusable_region_named_by_the_caption() -> None:
    html = render(
        "{% tablescroll %}<table><caption>2 vacancies</caption><tr><td>x</td></tr></table>"
        "{% endtablescroll %}"
    )
    assert html == (
        '<div class="table-scroll" role="region" aria-labelledby="table-2-vacancies" tabindex="0">'
        '<table><caption id="table-2-vacancies">2 vacancies</caption><tr><td>x</td></tr></table></div>'
    )


def test_ids_are_unique_within_a_page_including_its_includes() -> None:
    table = "{% tablescroll %}<table><caption>Projects</caption></table>{% endtablescroll %}"
    html = render(
        table + "{% for i in items %}{% include inner %}{% endfor %}", items=[1, 2], inner=Template(table)
    )
    assert html.count('id="table-projects"') == 1
    assert 'id="table-projects-2"' in html and 'id="table-projects-3"' in html
    assert 'aria-labelledby="table-projects-3"' in html


def test_a_caption_keeps_its_own_id_and_attributes() -> None:
    html = render(
        '{% tablescroll %}<table><caption class="visually-hidden" id="mine">Field operations in '
        "<b>Central Asia</b></caption></table>{% endtablescroll %}"
    )
    assert 'aria-labelledby="mine"' in html
    assert '<caption class="visually-hidden" id="mine">' in html


def test_a_caption_in_any_language_and_with_markup_makes_a_valid_id() -> None:
    with translation.override("ru"):
        html = render(
            "{% tablescroll %}<table><caption>{{ name }} &amp; <em>друзья</em></caption></table>"
            "{% endtablescroll %}",
            name='Ваши "токены" <script>',
        )
    assert 'aria-labelledby="table-ваши-токены-script-друзья"' in html
    assert "<script>" not in html


def test_a_table_without_caption_still_gets_a_name() -> None:
    with translation.override("de"):
        html = render("{% tablescroll %}<table><tr><td>1</td></tr></table>{% endtablescroll %}")
    assert html.startswith(
        '<div class="table-scroll" role="region" aria-label="Tabelle" tabindex="0"><table>'
    )


def test_the_tag_takes_no_argument() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template('{% tablescroll "cards" %}<table></table>{% endtablescroll %}')
