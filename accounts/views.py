"""Login, logout and the user's own page (roles and API tokens)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import policies, services
from accounts.filters import AuditFilter
from accounts.forms import LoginForm, TokenCreateForm
from accounts.models import ApiToken
from accounts.typing import logged_in_user
from core.models import AuditEntry
from core.pages import FilteredListView, ServiceFormMixin


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """GET asks to confirm (a link must not log anyone out); POST logs out."""
    if request.method == "POST":
        logout(request)
        messages.success(request, _("You have been logged out."))
        return redirect("home")
    return render(request, "accounts/logout.html")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=logged_in_user(request)).order_by("-created")
    return render(request, "accounts/profile.html", {"tokens": tokens, "form": TokenCreateForm()})


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        tokens = ApiToken.objects.filter(user=user).order_by("-created")
        return render(request, "accounts/profile.html", {"tokens": tokens, "form": form}, status=400)
    token, raw = services.token_create(
        user=user, name=form.cleaned_data["name"], expires_days=form.cleaned_data["expires_days"]
    )
    tokens = ApiToken.objects.filter(user=user).order_by("-created")
    return render(
        request,
        "accounts/profile.html",
        {"tokens": tokens, "form": TokenCreateForm(), "new_token": raw, "new_token_obj": token},
        status=201,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = logged_in_user(request)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.token_revoke(token=token, actor=user)
    messages.success(request, _("The token %(name)s has been revoked.") % {"name": token.name})
    return redirect("accounts:profile")


class PasswordChangeView(ServiceFormMixin, auth_views.PasswordChangeView):
    """The user's own password, with Django's form (old password, the new one twice, checked by
    AUTH_PASSWORD_VALIDATORS); the change itself is the service's (audited)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password-done")

    def perform(self, form: PasswordChangeForm) -> Any:
        return services.password_change(
            actor=logged_in_user(self.request),
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"],
        )

    def success(self, result: Any) -> HttpResponse:
        update_session_auth_hash(self.request, result)  # the other sessions end, this one stays
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class AuditListView(FilteredListView):
    """The audit trail, newest first, for HR: read-only (entries are written by services only)."""

    template_name = "accounts/audit_list.html"
    filterset_class = AuditFilter
    context_object_name = "entries"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.audit_read(request.user)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet[AuditEntry]:
        return AuditEntry.objects.select_related("actor").order_by("-at", "-id")
