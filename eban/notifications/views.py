"""The signed-in person's inbox: /account/messages/ (newest first, unread marked) and
/account/messages/<id>/ (opening marks it read). Only one's own messages: any other id is 404.

An account that may enter the back office is sent to the second sign-in step first (its
messages include cases of other people; docs/staff.md: pages outside /admin/ check it too)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from eban.core.exceptions import NotFound

from . import actions
from .models import Message

PER_PAGE = 20


def _needs_second_factor(user) -> bool:
    if not settings.EBAN_STAFF_2FA:
        return False
    if not (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


def signed_in(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("accounts:sign_in"))
        if _needs_second_factor(request.user):
            try:
                verify = reverse("staff_otp_verify")
            except NoReverseMatch:
                raise Http404 from None
            return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@signed_in
def inbox(request: HttpRequest) -> HttpResponse:
    messages = Message.objects.inbox(request.user).only(
        "pk", "subject", "reference", "created_at", "delivered_at", "read_at", "template_code"
    )
    page = Paginator(messages, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread": Message.objects.inbox(request.user).unread().count(),
        "section": "messages",
    }
    return render(request, "notifications/inbox.html", context)


@require_GET
@signed_in
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        message = actions.mark_read(request.user, pk)
    except NotFound:
        raise Http404 from None
    return render(request, "notifications/message.html", {"message": message, "section": "messages"})
