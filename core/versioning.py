"""Optimistic locking for everything staff edit: a save that started from an older
version is refused instead of silently overwriting somebody else's.

- A model that people edit inherits `Versioned`: an integer `version` that every save
  moves on, whichever way the save comes (a portal form, a button, the admin).
- Its edit form inherits `VersionedForm`, which carries the version the form was
  opened on in a hidden field.
- The save locks the row, compares, and raises `EditConflict` (holding the current
  row) when somebody else saved in between: `locked()` inside a service's transaction,
  or `save_form()` for a plain edit form.
- The view answers 409 Conflict with `conflict_message()` and `conflict_context()`:
  the current version is shown beside what was typed, the form keeps what was typed
  and now carries the current version, so that saving again is a deliberate choice.
  `templates/partials/conflict.html` shows it.

Actions work the same way with their own copy (actions/services.py, actions/views.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.utils import formats

CONFLICT_STATUS = 409

V = TypeVar("V", bound="Versioned")


class EditConflict(Exception):
    """Somebody else saved the object after this change was started."""

    def __init__(self, current: models.Model):
        super().__init__(f"{current._meta.verbose_name} was changed by somebody else.")
        self.current = current


class Versioned(models.Model):
    """A model whose rows carry a version that moves on with every save."""

    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Moves on with every save: an edit started from an older version is refused.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self._state.adding or (update_fields is not None and not update_fields):
            super().save(*args, **kwargs)
            return
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # Read the stored version under a row lock, so that two saves, however close,
        # never write the same version: an in-memory copy may be older than the row.
        with transaction.atomic(using=using, savepoint=False):
            stored = (
                type(self)
                ._base_manager.using(using)
                .select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.version = max(self.version, stored or 0) + 1
            super().save(*args, **kwargs)


def locked(model: type[V], pk: Any, version: int) -> V:
    """The row `pk`, locked until the transaction ends, if it is still at `version`.

    Call it inside `transaction.atomic()`, before changing anything. Raises
    EditConflict with the current row when somebody else saved it since.
    """
    current = model._base_manager.select_for_update().get(pk=pk)
    if current.version != version:
        raise EditConflict(current)
    return current


def save_form(form: forms.ModelForm) -> models.Model:
    """Save a valid `VersionedForm` of an existing row, unless the row was saved by
    somebody else since the form was opened (EditConflict).

    A form that matches the row as it is now changes nothing, so it neither saves nor
    conflicts: the same form sent twice is not somebody else's change.
    """
    if not form.has_changed():
        return form.instance
    with transaction.atomic():
        locked(type(form.instance), form.instance.pk, form.cleaned_data["version"])
        return form.save()


class VersionField(forms.IntegerField):
    """The hidden version an edit form was opened on. Never a change in itself, so a form
    left as it was still says "nothing was changed"."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class VersionedForm(forms.Form):
    """Mix into an edit form (before ModelForm): it carries the version it was opened on.

    A model form takes it from its instance, and loses the field when it creates a new
    row; any other form is given it (`self.fields["version"].initial = ...`).
    """

    version = VersionField(
        error_messages={
            "required": "This page is out of date: open it again, then make your changes."
        }
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None:
            return
        if instance._state.adding:
            del self.fields["version"]
        else:
            self.fields["version"].initial = instance.version

    def clean(self):
        cleaned = super().clean()
        # A hidden field's error would show nowhere: say it at the top of the form.
        if "version" in self._errors:
            self.add_error(None, self._errors.pop("version"))
        return cleaned


class VersionForm(VersionedForm):
    """A page that saves something other than one form's instance (a register) still
    says which version it was opened on."""

    @classmethod
    def started_from(cls, data, *, prefix: str | None = None) -> int | None:
        """The version a posted page was opened on, or None when it does not say."""
        form = cls(data, prefix=prefix)
        return form.cleaned_data["version"] if form.is_valid() else None


def conflict_message(what: str) -> str:
    """The 409 page's message: `what` is "this meeting", "this seat"…"""
    return (
        f"Somebody else changed {what} while you were working on it, so your changes were "
        "not saved. The current version is shown below: check it, then save again if your "
        "changes still apply."
    )


@dataclass(frozen=True)
class Difference:
    """A field where what was typed and the current version disagree."""

    label: str
    current: str
    yours: str


def shown(field: forms.Field, value: Any) -> str:
    """A value as the page shows it: a choice's label, a date in words, Yes or No."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        labels = {str(key): label for key, label in field.choices}
        return str(labels.get(str(value), value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value)
    if isinstance(value, dt.time):
        return formats.time_format(value, "H:i")
    return str(value)


def _as_python(field: forms.Field, value: Any) -> Any:
    """A form's initial value (a key, a string) as the field would clean it."""
    try:
        return field.to_python(field.prepare_value(value))
    except (ValidationError, TypeError, ValueError):
        if isinstance(field, forms.ModelChoiceField):
            # A choice no longer offered (a person since deactivated) is still named.
            return field.queryset.model._base_manager.filter(pk=value).first() or value
        return value


def differences(form: forms.Form, current_form: forms.Form) -> list[Difference]:
    """Where the typed (valid) `form` and an unbound form on the current version differ."""
    found = []
    for name, field in form.fields.items():
        if name == "version" or field.disabled or field.widget.is_hidden:
            continue
        initial = current_form[name].initial
        if not field.has_changed(initial, form[name].data):
            continue
        found.append(
            Difference(
                label=str(form[name].label),
                current=shown(field, _as_python(field, initial)),
                yours=shown(field, form.cleaned_data.get(name)),
            )
        )
    return found


def conflict_context(
    form: forms.ModelForm, current: models.Model, *, back_url: str, **form_kwargs
) -> dict:
    """What a 409 page shows: the form again, holding what was typed but now on the
    current version, and where the two differ (templates/partials/conflict.html).

    `back_url` leaves the changes; `form_kwargs` are the form's own arguments besides
    its data and instance (a group, `by`, its initial values).
    """
    form_kwargs.setdefault("prefix", form.prefix)
    current_form = type(form)(instance=current, **form_kwargs)
    data = form.data.copy()
    data[form.add_prefix("version")] = current.version
    return {
        "form": type(form)(data, instance=current, **form_kwargs),
        "conflict": {
            "differences": differences(form, current_form),
            "back_url": back_url,
            "current": current,
        },
    }
