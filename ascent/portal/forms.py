from django import forms
from django.utils.translation import gettext_lazy as _

from ascent.applications.models import Applicant


class SignupForm(forms.Form):
    """allauth's sign-up, plus the name the program will address the applicant by."""

    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))  # fmt: skip

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["name"][:150]
        user.save(update_fields=["first_name"])
        Applicant.objects.get_or_create(user=user,
                                        defaults={"display_name": self.cleaned_data["name"]})  # fmt: skip
