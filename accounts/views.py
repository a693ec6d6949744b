"""Login, logout and the user's own page (roles, API tokens, language of e-mails, notifications,
password), and HR's audit trail."""

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
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from accounts import policies, services
from accounts.filters import AuditFilter
from accounts.forms import LoginForm, PreferenceForm, TokenCreateForm
from accounts.models import ApiToken, Preference
from accounts.typing import logged_in_user
from core.errors import Invalid
from core.models import AuditEntry, Notification
from core.pages import FilteredListView, ServiceFormMixin, form_add_error

RECENT_NOTIFICATIONS = 5


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


def _profile(request: HttpRequest, status: int = 200, **context: object) -> HttpResponse:
    """The user's page: roles, language of e-mails, latest notifications, API tokens."""
    user = logged_in_user(request)
    language = Preference.objects.filter(user=user).values_list("language", flat=True).first() or ""
    context = {
        "tokens": ApiToken.objects.filter(user=user).order_by("-created"),
        "form": TokenCreateForm(),
        "preference_form": PreferenceForm(initial={"language": language}),
        "notifications": Notification.objects.visible_to(user)[:RECENT_NOTIFICATIONS],
        **context,
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    user = logged_in_user(request)
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _profile(request, status=400, form=form)
    token, raw = services.token_create(
        user=user,
        name=form.cleaned_data["name"],
        expires_days=form.expiry_days(),
        read_only=form.cleaned_data["read_only"],
    )
    return _profile(request, status=201, new_token=raw, new_token_obj=token)


@login_required
@require_POST
def preference_update(request: HttpRequest) -> HttpResponse:
    """The language of the user's e-mails (``accounts.services.preference_update``)."""
    user = logged_in_user(request)
    form = PreferenceForm(request.POST)
    if form.is_valid():
        try:
            services.preference_update(actor=user, user=user, language=form.cleaned_data["language"])
        except Invalid as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Your e-mails will be written in the language you chose."))
            return redirect("accounts:profile")
    return _profile(request, status=400, preference_form=form)


@method_decorator(login_required, name="dispatch")
class NotificationListView(ListView):
    """Every notification the portal sent the user, newest first (only the user's own)."""

    template_name = "accounts/notifications.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.visible_to(self.request.user)


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
