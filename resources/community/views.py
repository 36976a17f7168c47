"""Pages of communities of practice: the list, a community's home and board, a thread,
members (staff manage them), and the ramps its teams shared.

Thin: each view finds the community through the selectors (a 404 for anyone who may
not see it, and for non-members on the members-only pages), checks the staff role
where it must (403), and calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_validation_error
from core.http import require
from core.paging import page_of
from core.panels import COMMUNITY_PAGE, render_panels
from core.public import public_view
from pdsa.public import (
    RAW_NOTE_FIELDS,
    shared_ramp_in_collaborative,
    shared_ramps_of_collaborative,
)
from teams.selectors import recipient_time_zone
from teams.services import UNKNOWN_INVITATION_MESSAGE

from ..models import CommunityInvitation, MemberStatus, Reply, Thread
from . import services
from .forms import HideForm, InviteForm, JoinForm, ReplyForm, ThreadForm
from .notices import community_path, members_path, reply_path, thread_path
from .selectors import (
    REPLIES_PER_PAGE,
    THREADS_PER_PAGE,
    communities_visible_to,
    community_invitation_by_secret_token,
    community_invitation_or_404,
    community_member_or_404,
    community_open_invitations,
    community_or_404,
    is_following,
    member_or_404,
    members_of,
    replies_of,
    reply_or_404,
    reply_page_number,
    thread_or_404,
    threads_of,
)

STAFF_ONLY = "Program staff manage the community's members and moderate its board."


def _flash_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def community_list(request: HttpRequest) -> HttpResponse:
    """The communities of practice of the viewer's programs, theirs first."""
    communities = list(communities_visible_to(user=request.user).order_by("-end_date", "title"))
    return render(request, "resources/community/list.html", {"communities": communities})


@login_required
def community(request: HttpRequest, community_id) -> HttpResponse:
    """Members: the board. Others of the program: how to join (or their pending
    request or invitation)."""
    access = community_or_404(user=request.user, community_id=community_id)
    collaborative = access.collaborative
    context = {"access": access, "collaborative": collaborative}
    if not access.is_member:
        context["form"] = JoinForm()
        return render(request, "resources/community/join.html", context)
    pager = page_of(request, threads_of(access=access), size=THREADS_PER_PAGE, noun="discussions")
    context.update(
        pager=pager,
        panels=render_panels(COMMUNITY_PAGE, request=request, collaborative=collaborative),
        n_requests=(
            members_of(collaborative=collaborative, statuses=(MemberStatus.REQUESTED,)).count()
            if access.can_moderate
            else 0
        ),
    )
    return render(request, "resources/community/home.html", context)


@login_required
@require_POST
def community_join(request: HttpRequest, community_id) -> HttpResponse:
    access = community_or_404(user=request.user, community_id=community_id)
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            member = services.membership_request(
                access=access, user=request.user, message=form.cleaned_data["message"]
            )
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            if member.status == MemberStatus.ACTIVE:
                messages.success(request, "Welcome: you are a member of the community.")
            else:
                messages.success(
                    request, "Your request was sent to program staff; you will hear from them."
                )
    else:
        messages.error(request, "Keep your message under 1,000 characters.")
    return redirect(community_path(access.collaborative))


@login_required
@require_POST
def community_invitation(request: HttpRequest, community_id) -> HttpResponse:
    """The invited person accepts or declines."""
    access = community_or_404(user=request.user, community_id=community_id)
    if access.status != MemberStatus.INVITED:
        raise Http404("No invitation.")
    accept = request.POST.get("answer") == "accept"
    services.invitation_answer(member=access.membership, user=request.user, accept=accept)
    if accept:
        messages.success(request, "Welcome: you are a member of the community.")
        return redirect(community_path(access.collaborative))
    messages.info(request, "You declined the invitation.")
    return redirect("resources:communities")


@login_required
@require_http_methods(["GET", "POST"])
def community_members(request: HttpRequest, community_id) -> HttpResponse:
    """Members see who belongs; staff also see requests, invitations and removals,
    and invite people (POST)."""
    access = community_member_or_404(user=request.user, community_id=community_id)
    collaborative = access.collaborative
    form = InviteForm(request.POST or None) if access.can_moderate else None
    if request.method == "POST":
        require(access.can_moderate, STAFF_ONLY)
        if form.is_valid():
            try:
                member = services.membership_invite(
                    access=access,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if isinstance(member, CommunityInvitation):
                    messages.success(
                        request,
                        f"An invitation was e-mailed to {member.email}: they have no account "
                        "yet and create one from its link.",
                    )
                else:
                    verb = (
                        "is now a member" if member.status == MemberStatus.ACTIVE else "was invited"
                    )
                    messages.success(request, f"{member.user.display_name} {verb}.")
                return redirect(members_path(collaborative))
    pager = page_of(
        request,
        members_of(collaborative=collaborative, statuses=(MemberStatus.ACTIVE,)),
        size=50,
        noun="members",
    )
    context = {"access": access, "collaborative": collaborative, "pager": pager, "form": form}
    if access.can_moderate:
        context.update(
            requests=members_of(collaborative=collaborative, statuses=(MemberStatus.REQUESTED,)),
            invited=members_of(collaborative=collaborative, statuses=(MemberStatus.INVITED,)),
            emailed=community_open_invitations(access=access),
            removed=members_of(collaborative=collaborative, statuses=(MemberStatus.REMOVED,)),
        )
    return render(request, "resources/community/members.html", context)


@login_required
@require_POST
def community_member_action(
    request: HttpRequest, community_id, community_member_id
) -> HttpResponse:
    """Staff approve or decline a request, or remove someone."""
    access = community_member_or_404(user=request.user, community_id=community_id)
    member = member_or_404(access=access, member_id=community_member_id)
    require(access.can_moderate, STAFF_ONLY)
    action = request.POST.get("action")
    name = member.user.display_name
    try:
        if action in ("approve", "decline"):
            services.membership_decide(
                member=member, actor=request.user, approve=action == "approve"
            )
            done = "approved" if action == "approve" else "declined"
            messages.success(request, f"{name}'s request was {done}; they were told.")
        elif action == "remove":
            services.membership_remove(member=member, actor=request.user)
            messages.success(request, f"{name} was removed from the community.")
        else:
            messages.error(request, "Choose approve, decline or remove.")
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect(members_path(access.collaborative))


@login_required
@require_POST
def community_invitation_follow_up(
    request: HttpRequest, community_id, community_invitation_id, action: str
) -> HttpResponse:
    """Staff send an e-mailed invitation again (a new link) or withdraw it."""
    access = community_member_or_404(user=request.user, community_id=community_id)
    invitation = community_invitation_or_404(access=access, invitation_id=community_invitation_id)
    require(access.can_moderate, STAFF_ONLY)
    try:
        if action == "resend":
            invitation, _token = services.community_invitation_resend(
                invitation=invitation, sent_by=request.user
            )
            until = dateformat.format(timezone.localtime(invitation.expires_at), "j F Y")
            messages.success(
                request,
                f"The invitation to {invitation.email} was sent again with a new link "
                f"(valid until {until}). The old link no longer works.",
            )
        else:
            services.community_invitation_withdraw(invitation=invitation, revoked_by=request.user)
            messages.success(
                request,
                f"The invitation to {invitation.email} was withdrawn; its link no longer works.",
            )
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect(members_path(access.collaborative))


#: HTTP status of the invitation page for each reason it cannot be accepted (as the
#: team invitations' page answers).
INVITATION_PROBLEM_STATUS = {
    "unknown": 404,
    "used": 410,
    "revoked": 410,
    "expired": 410,
    "closed": 410,
    "wrong_email": 403,
    "already_member": 200,
}


@public_view
@require_http_methods(["GET", "POST"])
def community_invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page a community invitation e-mail links to.

    Public by design, like the team invitations' page: the invitee has no account
    yet, and the secret token is what lets them read the community's name. Anonymous
    visitors are offered sign-in and sign-up with a way back here; signed-in people
    accept with a POST.
    """
    invitation = community_invitation_by_secret_token(token=token)
    if invitation is None:
        return _invitation_page(request, None, "unknown", UNKNOWN_INVITATION_MESSAGE)
    user = request.user if request.user.is_authenticated else None
    if user is None:
        # Times as the invitation e-mail wrote them: in the invitee's zone.
        zone = recipient_time_zone(invitation.email, {"collaborative": invitation.collaborative})
        if zone:
            timezone.activate(zone)
    if request.method == "POST":
        if user is None:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            member = services.community_invitation_accept(invitation=invitation, user=user)
        except ValidationError as error:
            return _invitation_page(request, invitation, error.code, " ".join(error.messages))
        messages.success(request, f"Welcome to the community of {member.collaborative.title}.")
        return redirect(community_path(member.collaborative))
    refusal = services.community_invitation_refusal(invitation=invitation, user=user)
    if refusal is not None:
        return _invitation_page(request, invitation, refusal.code, " ".join(refusal.messages))
    return _invitation_page(request, invitation, None, "")


def _invitation_page(
    request: HttpRequest, invitation: CommunityInvitation | None, code: str | None, problem: str
) -> HttpResponse:
    # Someone who already belongs (or used this link themselves) is shown the way in.
    is_member_now = request.user.is_authenticated and (
        code == "already_member"
        or (
            code == "used"
            and invitation is not None
            and invitation.accepted_by_id == request.user.pk
        )
    )
    return render(
        request,
        "resources/community/invitation_accept.html",
        {
            "invitation": invitation,
            # An unusable link shows nothing about the community beyond what a member sees.
            "show_details": invitation is not None and code in (None, "already_member"),
            "code": code,
            "problem": problem,
            "is_member_now": is_member_now,
            "next_query": urlencode({"next": request.path}),
        },
        status=INVITATION_PROBLEM_STATUS.get(code, 200) if code else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, community_id) -> HttpResponse:
    access = community_member_or_404(user=request.user, community_id=community_id)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_create(access=access, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your discussion is posted; you follow it.")
            return redirect(thread_path(thread))
    return render(
        request,
        "resources/community/thread_form.html",
        {"access": access, "collaborative": access.collaborative, "form": form},
    )


def _resolve_page(request: HttpRequest, *, thread: Thread, replies: QuerySet[Reply]) -> None:
    """Turn `?reply=<id>` (a notice's link to one reply) and `?page=last` into the page
    number that holds it, so that the pager's links carry a plain page number. An
    unknown reply opens the first page."""
    query = request.GET.copy()
    reply_id = query.pop("reply", [None])[-1]
    if reply_id and "page" not in query:
        number = reply_page_number(thread=thread, reply_id=reply_id, size=REPLIES_PER_PAGE)
        if number is not None:
            query["page"] = str(number)
    elif query.get("page") == "last":
        query["page"] = str(max(1, -(-replies.count() // REPLIES_PER_PAGE)))
    request.GET = query


@login_required
@require_http_methods(["GET", "POST"])
def thread_detail(request: HttpRequest, community_id, thread_id) -> HttpResponse:
    """A discussion and its replies (paged); POST replies."""
    access = community_member_or_404(user=request.user, community_id=community_id)
    thread = thread_or_404(access=access, thread_id=thread_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = services.reply_create(
                access=access, thread=thread, actor=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Your reply is posted.")
            return redirect(reply_path(reply))
    replies = replies_of(thread=thread)
    _resolve_page(request, thread=thread, replies=replies)
    pager = page_of(request, replies, size=REPLIES_PER_PAGE, noun="replies")
    return render(
        request,
        "resources/community/thread.html",
        {
            "access": access,
            "collaborative": access.collaborative,
            "thread": thread,
            "pager": pager,
            "form": form,
            "following": is_following(thread=thread, user=request.user),
            "hide_form": HideForm(),
        },
    )


@login_required
@require_POST
def thread_follow(request: HttpRequest, community_id, thread_id) -> HttpResponse:
    access = community_member_or_404(user=request.user, community_id=community_id)
    thread = thread_or_404(access=access, thread_id=thread_id)
    following = request.POST.get("follow") == "1"
    services.follow_set(thread=thread, user=request.user, following=following)
    messages.success(
        request,
        "You follow this discussion: replies will reach you."
        if following
        else "You no longer follow this discussion.",
    )
    return redirect(thread_path(thread))


@login_required
@require_POST
def thread_moderate(request: HttpRequest, community_id, thread_id) -> HttpResponse:
    """Staff lock, unlock, hide or show a discussion."""
    access = community_member_or_404(user=request.user, community_id=community_id)
    thread = thread_or_404(access=access, thread_id=thread_id)
    require(access.can_moderate, STAFF_ONLY)
    action = request.POST.get("action")
    try:
        if action in ("lock", "unlock"):
            services.thread_lock(thread=thread, actor=request.user, locked=action == "lock")
            messages.success(request, f"The discussion is {action}ed.")
        elif action in ("hide", "show"):
            services.thread_hide(
                thread=thread,
                actor=request.user,
                hidden=action == "hide",
                reason=request.POST.get("reason", ""),
            )
            messages.success(
                request, "The discussion is hidden." if action == "hide" else "It shows again."
            )
        else:
            messages.error(request, "Choose lock, unlock, hide or show.")
    except ValidationError as error:
        _flash_errors(request, error)
    return redirect(thread_path(thread))


@login_required
@require_POST
def reply_moderate(request: HttpRequest, community_id, reply_id) -> HttpResponse:
    """Staff hide or show a reply."""
    access = community_member_or_404(user=request.user, community_id=community_id)
    reply = reply_or_404(access=access, reply_id=reply_id)
    require(access.can_moderate, STAFF_ONLY)
    hidden = request.POST.get("action") == "hide"
    try:
        services.reply_hide(
            reply=reply, actor=request.user, hidden=hidden, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, "The reply is hidden." if hidden else "The reply shows again.")
    return redirect(reply_path(reply))


@login_required
def shared_ramps(request: HttpRequest, community_id) -> HttpResponse:
    """The ramps the collaborative's teams shared, with their decisions."""
    access = community_member_or_404(user=request.user, community_id=community_id)
    ramps = shared_ramps_of_collaborative(collaborative=access.collaborative)
    return render(
        request,
        "resources/community/shared_list.html",
        {"access": access, "collaborative": access.collaborative, "ramps": ramps},
    )


@login_required
def shared_ramp(request: HttpRequest, community_id, change_idea_id) -> HttpResponse:
    """One shared ramp: what its team learned and decided; raw notes only if shared."""
    access = community_member_or_404(user=request.user, community_id=community_id)
    ramp = shared_ramp_in_collaborative(
        collaborative=access.collaborative, change_idea_id=change_idea_id
    )
    if ramp is None:
        raise Http404("No such shared ramp.")
    idea = ramp.change_idea
    return render(
        request,
        "resources/community/shared_detail.html",
        {
            "access": access,
            "collaborative": access.collaborative,
            "idea": idea,
            "ramp": ramp,
            "raw_fields": RAW_NOTE_FIELDS if idea.share_notes else (),
        },
    )
