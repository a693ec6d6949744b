"""Login, logout and the user's own page (roles and API tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import LoginForm, TokenCreateForm
from accounts.models import ApiToken
from accounts.typing import logged_in_user


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
        user=user,
        name=form.cleaned_data["name"],
        expires_days=form.expiry_days(),
        read_only=form.cleaned_data["read_only"],
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
