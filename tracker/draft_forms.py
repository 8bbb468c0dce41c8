"""The chair's part of the quarterly SVRP update, drafted in the portal, and re-issuing a
finalised update.

Each rating offers the portal's suggestion (tracker/rag.py) as its empty choice; a
rating that differs from the suggestion needs a reason, said by the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from core.bounds import BoundedFormMixin
from core.versioning import VersionedForm
from tracker.models import DraftRisk, QuarterlyDraft
from tracker.rag import AREAS, MEANINGS, Rag, worst

# Long enough for a page of prose in the update; the update is a summary, not a report.
TEXT_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 1000
RISK_MAX_LENGTH = 1000
OWNER_MAX_LENGTH = DraftRisk._meta.get_field("owner").max_length
MAX_RISKS = 20
# Ratings as the chair reads them, best first.
BEST_FIRST = (Rag.GREEN, Rag.AMBER, Rag.RED)
# What the chair rates: the overall status, then each area, by the key of its fields.
RATED = ("overall", *(area.key for area in AREAS))


def rag_label(rag: Rag) -> str:
    """ "Amber – At risk: in hand, but needs watching": a rating never by colour alone."""
    return f"{rag.label} – {MEANINGS[rag]}"


def _rating_choices(use_suggestion: str) -> list[tuple[str, str]]:
    return [("", use_suggestion), *((rag.value, rag_label(rag)) for rag in BEST_FIRST)]


def _text_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QuarterlyDraftForm(BoundedFormMixin, VersionedForm, forms.ModelForm):
    """The chair's status, ratings and words for one quarter.

    `suggestions` holds the portal's suggested rating of each area by its key; the
    overall suggestion is the worst of the areas' ratings as chosen in this form.
    """

    summary = _text_field("Summary", "The quarter in a few sentences, for the SVRP.")
    achievements = _text_field("Achievements this quarter")
    next_quarter = _text_field("Planned for next quarter")
    asks = _text_field(
        "Decisions and asks for the SVRP", "What the SVRP is asked to decide, note or help with."
    )

    class Meta:
        model = QuarterlyDraft
        fields = [
            *(name for key in RATED for name in (f"{key}_rag", f"{key}_reason")),
            "summary",
            "achievements",
            "next_quarter",
            "asks",
        ]

    def __init__(self, *args, suggestions: dict[str, Rag], **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = suggestions
        for key in RATED:
            if key == "overall":
                use = "Use the suggestion: the worst of the five areas' ratings below"
            else:
                use = f"Use the suggestion: {rag_label(suggestions[key])}"
            name = self.fields[f"{key}_rag"].label
            self.fields[f"{key}_rag"] = forms.ChoiceField(
                label=f"Rating: {name}",
                choices=_rating_choices(use),
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{key}_reason"] = forms.CharField(
                label=f"{name}: why your rating differs from the suggestion",
                help_text="Needed when you choose a rating other than the suggestion.",
                required=False,
                max_length=REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def suggested(self, key: str) -> Rag:
        """The portal's suggestion for `key`: the overall one follows the areas as chosen."""
        if key != "overall":
            return self.suggestions[key]
        data = getattr(self, "cleaned_data", {})
        return worst(data.get(f"{area.key}_rag") or self.suggestions[area.key] for area in AREAS)

    def clean(self):
        data = super().clean()
        for key in RATED:
            chosen, reason = data.get(f"{key}_rag"), f"{key}_reason"
            if not chosen:
                # The suggestion needs no reason: one typed for another rating is dropped.
                if reason in data:
                    data[reason] = ""
                continue
            suggested = self.suggested(key)
            if chosen != suggested and not data.get(reason) and reason not in self.errors:
                self.add_error(
                    reason,
                    f"Say why the rating is {Rag(chosen).label}: the portal suggests "
                    f"{suggested.label}. Or choose “Use the suggestion”.",
                )
        return data


@dataclass(frozen=True)
class RiskRow:
    """One risk or issue as the chair typed it; `pk` names the stored risk it edits."""

    text: str
    rag: str
    owner: str
    pk: int | None = None


class DraftRiskForm(BoundedFormMixin, forms.Form):
    risk = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Risk or issue",
        max_length=RISK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rag = forms.ChoiceField(
        label="Rating",
        choices=[("", "Choose a rating"), *((rag.value, rag_label(rag)) for rag in BEST_FIRST)],
    )
    owner = forms.CharField(label="Owner", max_length=OWNER_MAX_LENGTH)

    @classmethod
    def initial_for(cls, risk: DraftRisk) -> dict:
        return {"risk": risk.pk, "text": risk.text, "rag": risk.rag, "owner": risk.owner}


class BaseDraftRiskFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form in self.forms:
            if "DELETE" in form.fields:
                form.fields["DELETE"].label = "Remove this risk or issue"

    def rows(self) -> list[RiskRow]:
        """The risks kept, in the page's order; blank new rows and removed ones left out.
        Call once the formset is valid."""
        return [
            RiskRow(
                text=form.cleaned_data["text"],
                rag=form.cleaned_data["rag"],
                owner=form.cleaned_data["owner"],
                pk=form.cleaned_data.get("risk"),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


DraftRiskFormSet = forms.formset_factory(
    DraftRiskForm,
    formset=BaseDraftRiskFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_RISKS,
    absolute_max=MAX_RISKS,
    validate_max=True,
)


def with_one_more_row(data, *, prefix: str):
    """The posted formset with a blank row added (up to MAX_RISKS): "Add another risk"."""
    data = data.copy()
    name = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(name, ""))
    except ValueError:
        return data
    data[name] = str(min(max(total, 0) + 1, MAX_RISKS))
    return data


class ReissueForm(BoundedFormMixin, forms.Form):
    """A correction of a finalised update: a new issue, with its reason."""

    reason = forms.CharField(
        label="Why it is re-issued",
        help_text="Said in the new issue, so that the SVRP knows what changed and why.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The issue current when the page was opened: a re-issue in between is not repeated.
    issue = forms.IntegerField(min_value=1, max_value=32767, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        # A hidden field's error would show nowhere: say it at the top of the form.
        if "issue" in self.errors:
            del self._errors["issue"]
            self.add_error(None, "This page is out of date: open it again, then re-issue.")
        return data
