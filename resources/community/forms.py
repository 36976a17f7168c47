"""Forms of the community pages. They only parse input: the services check the rules
(lengths, who may join) and their errors land on these fields by name."""

from django import forms

from ..models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from .services import MESSAGE_MAX_LENGTH, REASON_MAX_LENGTH

_PLAIN = "Plain text: web addresses (https://…) become links; write @Full Name to mention someone."


class JoinForm(forms.Form):
    message = forms.CharField(
        label="A word to program staff (optional)",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who you are and why you want to join, if staff may not know you.",
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        help_text=(
            "Anyone: someone with an account is invited in the app; an address with no "
            "account gets an e-mail with a link to create one and join."
        ),
    )
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label="Message",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_PLAIN,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_PLAIN,
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label="Why hide it",
        max_length=REASON_MAX_LENGTH,
        help_text="Kept for the record; others see “removed by a moderator”.",
    )
