from django import forms
from django.utils.translation import gettext_lazy as _

from ascent.applications.models import Applicant
from ascent.common.email import mail_name


class SignupForm(forms.Form):
    """allauth's sign-up, plus the name the program will address the applicant by."""

    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))  # fmt: skip

    def clean_name(self) -> str:
        # The name goes into the subject of the e-mails an applicant asks Ascent to send.
        if mail_name(self.cleaned_data["name"])[1]:
            raise forms.ValidationError(_("a name cannot contain a web address or a domain name"))
        return self.cleaned_data["name"]

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["name"][:150]
        user.save(update_fields=["first_name"])
        Applicant.objects.get_or_create(user=user,
                                        defaults={"display_name": self.cleaned_data["name"]})  # fmt: skip
