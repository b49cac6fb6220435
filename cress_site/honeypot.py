"""A spam trap for public forms."""

from django import forms


class HoneypotFormMixin(forms.Form):
    """A field people never see: a bot that fills it in is thanked and ignored."""

    HONEYPOT_FIELD = "site_web"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.HONEYPOT_FIELD] = forms.CharField(
            label="Ne pas remplir ce champ",
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get(self.HONEYPOT_FIELD))

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != self.HONEYPOT_FIELD]

    @property
    def honeypot(self):
        return self[self.HONEYPOT_FIELD]
