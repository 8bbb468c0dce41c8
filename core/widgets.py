"""How the portal's forms draw their widgets (settings.FORM_RENDERER), and the forms drawn
without crispy-forms, in its markup, where a page draws many fields."""

from __future__ import annotations

from django import forms
from django.forms import BoundField, Select
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe


class FormRenderer(DjangoTemplates):
    """Django's own renderer, except that every select is drawn in Python.

    Django draws a select through one template per option, about 70 µs each, so the 201
    groups of a filter at a hundred times today's data took 15 ms, as long as the rest of
    the page. The markup is Django's own, character for character (tests/portal/test_widgets.py).
    """

    def render(self, template_name, context, request=None):
        if template_name == Select.template_name:
            return select_html(context["widget"])
        return super().render(template_name, context, request)


def select_html(widget: dict) -> SafeString:
    """django/forms/widgets/select.html and select_option.html, for the context they take.

    Plain string building, each value escaped as the templates escape it: at a few
    hundred options a call of format_html per option is itself most of the cost."""
    parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{escape(option["value"])}"{_attributes(option["attrs"])}>'
            f"{escape(option['label'])}</option>\n"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return _joined(parts)


def _attributes(attrs: dict) -> str:
    """Attributes in their own order, as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _joined(parts) -> SafeString:
    """Parts built from escaped values and constants only."""
    return mark_safe("".join(parts))  # noqa: S308


class BootstrapBoundField(BoundField):
    """A field marked "is-invalid" for Bootstrap when it has errors, as crispy-forms marks it;
    Django adds aria-invalid and points aria-describedby at the help and the error."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            widget = widget or self.field.widget
            attrs["class"] = f"{attrs.get('class', widget.attrs.get('class', ''))} is-invalid"
        return attrs


class BootstrapForm(forms.Form):
    """A form whose fields templates/partials/field.html draws as crispy-forms' Bootstrap 5
    pack would, at a fraction of its cost: the widgets carry the classes crispy adds."""

    bound_field_class = BootstrapBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            if isinstance(widget, forms.Select):
                look = "form-select"
            elif isinstance(widget, forms.CheckboxInput):
                look = "form-check-input"
            else:
                look = "form-control"
            widget.attrs.setdefault("class", f"{type(widget).__name__.lower()} {look}")
