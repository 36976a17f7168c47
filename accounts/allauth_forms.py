"""allauth's forms, limited to what our database columns can store.

A separate module from accounts.forms: allauth imports SignupProfileForm while
its own forms module loads, so these subclasses cannot live beside it.
"""

from allauth.account.forms import AddEmailForm, SignupForm
from django import forms
from django.core.validators import MaxLengthValidator

from .models import User

#: The e-mail column's length (RFC 5321 path limit). Django's form field allows
#: 320, which would reach the database and fail there instead of in the form.
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


def _limit_email_length(field: forms.Field) -> None:
    field.max_length = EMAIL_MAX_LENGTH
    field.widget.attrs["maxlength"] = str(EMAIL_MAX_LENGTH)
    field.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))


class LimitedSignupForm(SignupForm):
    """allauth's sign-up form with the e-mail length the database can store."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _limit_email_length(self.fields["email"])


class LimitedAddEmailForm(AddEmailForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _limit_email_length(self.fields["email"])
