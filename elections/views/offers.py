"""Observer offer pages: a focal point offers its State's observers (the form on the election's
page), changes or withdraws them while the windows are open; the list of offers (HR and ODIHR:
every State's; a focal point: its own)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from accounts.roles import focal_state
from core.pages import FilteredListView, ServiceActionView, ServiceFormMixin
from elections import policies, services
from elections.api.serializers import ObserverOfferSerializer
from elections.filters import ObserverOfferFilter
from elections.forms import ObserverOfferForm, observers_text
from elections.models import ObservationActivity, ObserverOffer, OfferedObserver
from elections.views.elections import election_context, election_for


class OfferCreateView(ServiceFormMixin, FormView):
    """POST ``/elections/activities/<id>/offer/``: the offer form of the election's page; a refusal
    shows the election's page again with the message on the form (400/409)."""

    template_name = "elections/election_detail.html"
    form_class = ObserverOfferForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.activity = get_object_or_404(
            ObservationActivity.objects.visible_to(request.user).select_related("election"), pk=kwargs["pk"]
        )
        policies.offer_create(request.user, self.activity)  # who may, before the form is read
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect("elections:detail", pk=self.activity.election_id)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = election_context(self.request, election_for(self.request, self.activity.election_id))
        context["offer_form"] = kwargs.get("form") or self.get_form()
        context["show_offer_form"] = True
        return context

    def perform(self, form: ObserverOfferForm) -> ObserverOffer:
        return services.observer_offer_create(
            actor=self.request.user,
            activity=self.activity,
            lto=form.cleaned_data["lto"],
            sto=form.cleaned_data["sto"],
            note=form.cleaned_data["note"],
            observers=form.cleaned_data["observers"],
        )

    def success(self, offer: ObserverOffer) -> HttpResponse:
        messages.success(self.request, _("Your offer has been recorded."))
        return redirect(reverse("elections:detail", kwargs={"pk": self.activity.election_id}) + "#offers")


def offer_for(request: HttpRequest, pk: int) -> ObserverOffer:
    """The offer at ``pk`` as this user may change it: the list's right first (403), then the
    offer's (another State's: 404; HR's or ODIHR's: 403)."""
    policies.offers_read(request.user)
    offer = get_object_or_404(
        ObserverOffer.objects.visible_to(request.user).select_related("state", "activity__election__state"),
        pk=pk,
    )
    policies.offer_change(request.user, offer)
    return offer


class OfferEditView(ServiceFormMixin, FormView):
    """``/elections/offers/<id>/edit/``: the offering State changes its numbers, note and named
    observers, or withdraws the offer, while the windows are open."""

    template_name = "elections/offer_form.html"
    form_class = ObserverOfferForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.offer = offer_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        offer = self.offer
        return {"lto": offer.lto, "sto": offer.sto, "note": offer.note, "observers": observers_text(offer)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        activity = self.offer.activity
        today = timezone.localdate()
        return super().get_context_data(
            offer=self.offer,
            activity=activity,
            election=activity.election,
            lto_open=activity.lto_offers_open(today),
            sto_open=activity.sto_offers_open(today),
            **kwargs,
        )

    def perform(self, form: ObserverOfferForm) -> ObserverOffer:
        # Named observers re-sent unchanged touch no window: the service compares them.
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.observer_offer_update(actor=self.request.user, offer=self.offer, **changes)

    def success(self, offer: ObserverOffer) -> HttpResponse:
        messages.success(self.request, _("Your offer has been changed."))
        return redirect(reverse("elections:detail", kwargs={"pk": offer.activity.election_id}) + "#offers")


class OfferWithdrawView(ServiceActionView):
    """POST ``/elections/offers/<id>/withdraw/``: the offering State withdraws its offer (409 once
    the window of any of its numbers has closed)."""

    page_view = staticmethod(OfferEditView.as_view())

    def perform(self, request: HttpRequest, **kwargs: Any) -> str:
        offer = offer_for(request, kwargs["pk"])
        self.election_id = offer.activity.election_id
        services.observer_offer_withdraw(actor=request.user, offer=offer)
        return _("Your offer has been withdrawn.")

    def redirect_to(self, **kwargs: Any) -> HttpResponse:
        election_id = getattr(self, "election_id", None)
        if election_id is None:
            return redirect("elections:offer-edit", pk=kwargs["pk"])
        return redirect(reverse("elections:detail", kwargs={"pk": election_id}) + "#offers")


class OfferListView(FilteredListView):
    """``/elections/offers/``: HR and ODIHR see every State's offers, a focal point its own."""

    template_name = "elections/offer_list.html"
    filterset_class = ObserverOfferFilter
    context_object_name = "offers"
    export_serializer_class = ObserverOfferSerializer

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.offers_read(request.user)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet[ObserverOffer]:
        # 1 count + 1 page (State, activity, election and its State joined).
        return (
            ObserverOffer.objects.visible_to(self.request.user)
            .select_related("state", "activity__election__state")
            .order_by("-offered", "-id")
        )

    def export_queryset(self, queryset: QuerySet[ObserverOffer]) -> QuerySet[ObserverOffer]:
        # The CSV also names the observers (to whom the serializer shows them): one more query.
        return queryset.prefetch_related(
            Prefetch("observers", queryset=OfferedObserver.objects.order_by("id"))
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(focal_state=focal_state(self.request.user), **kwargs)
