"""The portal's form renderer draws selects in Python, exactly as Django's templates do:
options, option groups, choices of models, the chosen value, attributes and escaping."""

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates

from core.widgets import FormRenderer
from members.models import Agency, Group
from tests.factories import AgencyFactory, GroupFactory


def both(widget: forms.Widget, name: str, value) -> tuple[str, str]:
    """The widget as Django's templates draw it, and as the portal's renderer does."""
    attrs = {"id": f"id_{name}"}
    return (
        widget.render(name, value, attrs=attrs, renderer=DjangoTemplates()),
        widget.render(name, value, attrs=attrs, renderer=FormRenderer()),
    )


def test_the_portal_draws_its_forms_with_its_own_renderer():
    assert settings.FORM_RENDERER == "core.widgets.FormRenderer"


def test_plain_choices_with_one_chosen_and_attributes_are_drawn_alike():
    widget = forms.Select(
        attrs={"class": "form-select", "required": True, "disabled": False},
        choices=[("a", "Apples & pears"), ("b", '"Bananas" <b>')],
    )

    django_select, quick = both(widget, "fruit", "b")

    assert quick == django_select
    assert '<option value="b" selected>&quot;Bananas&quot; &lt;b&gt;</option>' in quick
    assert '<select name="fruit" class="form-select" required id="id_fruit">' in quick


def test_option_groups_and_several_chosen_are_drawn_alike():
    choices = [("", "Any"), ("North", [("1", "One"), ("2", "Two")]), ("South <s>", [("3", "3")])]

    for widget, value in (
        (forms.Select(choices=choices), "2"),
        (forms.SelectMultiple(choices=choices), ["1", "3"]),
    ):
        django_select, quick = both(widget, "area", value)
        assert quick == django_select
        assert '<optgroup label="South &lt;s&gt;">' in quick


@pytest.mark.django_db
def test_choices_of_models_are_drawn_alike():
    chosen = GroupFactory(name="Communications Working Group")
    GroupFactory(name="Task & Finish")
    AgencyFactory(name="Police")
    groups = forms.ModelChoiceField(queryset=Group.objects.order_by("name"), empty_label="Any")
    agencies = forms.ModelChoiceField(queryset=Agency.objects.order_by("name"))

    django_select, quick = both(groups.widget, "group", chosen.pk)
    assert quick == django_select
    assert f'<option value="{chosen.pk}" selected>Communications Working Group</option>' in quick
    assert "Task &amp; Finish" in quick
    django_select, quick = both(agencies.widget, "agency", None)
    assert quick == django_select
    assert "Police" in quick
