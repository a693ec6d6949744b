"""A user's own subscriptions: secret calendar addresses and saved vacancy searches."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.typing import logged_in_user
from core.pages import ServiceFormMixin
from secondments import services
from secondments.forms import SavedSearchForm
from secondments.models import CalendarToken, SavedSearch


def _posted_id(value: Any) -> int:
    """A posted id, or 0 (matches nothing) when it isn't a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class CalendarTokensView(LoginRequiredMixin, TemplateView):
    """Create and revoke one's secret calendar addresses."""

    template_name = "secondments/calendar_tokens.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tokens"] = CalendarToken.objects.filter(
            user=logged_in_user(self.request), revoked__isnull=True
        )
        context["new_url"] = self.request.session.pop("calendar_new_url", None)
        return context

    def post(self, request: HttpRequest) -> HttpResponse:
        if "revoke" in request.POST:
            token = CalendarToken.objects.filter(
                user=logged_in_user(request), pk=_posted_id(request.POST["revoke"])
            ).first()
            if token is None:
                raise Http404
            services.calendar_token_revoke(actor=request.user, token=token)
            messages.success(request, _("Calendar address revoked."))
        else:
            _token, raw = services.calendar_token_create(actor=request.user)
            request.session["calendar_new_url"] = request.build_absolute_uri(
                reverse("secondments:calendar", kwargs={"token": raw})
            )
        return redirect("secondments:calendar-tokens")


class SavedSearchView(LoginRequiredMixin, ServiceFormMixin, FormView):
    """Save the current vacancy filters as a search with instant or daily e-mail alerts."""

    template_name = "secondments/saved_searches.html"
    form_class = SavedSearchForm

    def _query(self) -> dict[str, str]:
        return services.saved_search_query(
            self.request.POST if self.request.method == "POST" else self.request.GET
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["searches"] = SavedSearch.objects.filter(user=logged_in_user(self.request))
        context["query"] = self._query()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "delete" in request.POST:
            search = SavedSearch.objects.filter(
                user=logged_in_user(request), pk=_posted_id(request.POST["delete"])
            ).first()
            if search is None:
                raise Http404
            services.saved_search_delete(actor=request.user, search=search)
            messages.success(request, _("Saved search deleted."))
            return redirect("secondments:searches")
        return super().post(request, *args, **kwargs)

    def perform(self, form: SavedSearchForm) -> SavedSearch:
        return services.saved_search_create(
            actor=self.request.user,
            name=form.cleaned_data["name"],
            frequency=form.cleaned_data["frequency"],
            query=self._query(),
        )

    def success(self, search: SavedSearch) -> HttpResponse:
        messages.success(self.request, _("Search saved."))
        return redirect("secondments:searches")
