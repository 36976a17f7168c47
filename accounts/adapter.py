"""allauth adapter: route allauth's e-mails through our outbox."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site

from core.emails import email_enqueue_message
from core.notification_kinds import ACCOUNT


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message now, send it in the background.

        Verification and password-reset mails then get the same retries and
        failure visibility as every other message of the product.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        msg = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(msg, "alternatives", []):
            if mimetype == "text/html":
                html = content
        email_enqueue_message(
            to=email, subject=msg.subject, body_text=msg.body, body_html=html, kind=ACCOUNT
        )
