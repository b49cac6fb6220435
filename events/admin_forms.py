"""The event editor's form: exceptions are checked against the series being edited."""

from wagtail.admin.forms import WagtailAdminPageForm

from events.recurrence import Rule, series_dates


class EventPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("date_changes")
        if formset is None:
            return cleaned_data
        start, repeat = cleaned_data.get("start"), cleaned_data.get("repeat")
        rule = Rule(
            repeat=repeat or "",
            interval=cleaned_data.get("repeat_interval") or 1,
            until=cleaned_data.get("repeat_until"),
            count=cleaned_data.get("repeat_count"),
        )
        dates = None
        if start and repeat and (rule.until or rule.count):
            dates = series_dates(start, rule)
        seen = set()
        for form in formset.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            original = form.cleaned_data.get("original_date")
            if original is None:
                continue
            if not repeat:
                form.add_error(
                    "original_date",
                    "Cet événement ne se répète pas : changez directement sa date ou son statut.",
                )
            elif dates is not None and original not in dates:
                form.add_error(
                    "original_date",
                    f"Cette date ne fait pas partie de la série ({rule.describe_from(start)}).",
                )
            elif original in seen:
                form.add_error("original_date", "Cette date a déjà une exception ci-dessus.")
            seen.add(original)
        return cleaned_data
