"""Reads for a given person: what a signed-in citizen may see of identity records.

Every lookup by id goes through here and is limited to the person's own records, so changing
an id in a URL finds nothing (404), never someone else's data."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Citizen, Enterprise, EnterpriseAgent, ProxyAuthorisation


def proxies_given(person: Citizen) -> QuerySet[ProxyAuthorisation]:
    return (
        ProxyAuthorisation.objects.filter(principal=person)
        .select_related("proxy")
        .prefetch_related("matters")
        .order_by("-created_at")
    )


def proxies_held(person: Citizen) -> QuerySet[ProxyAuthorisation]:
    return (
        ProxyAuthorisation.objects.filter(proxy=person)
        .select_related("principal")
        .prefetch_related("matters")
        .order_by("-created_at")
    )


def proxy_grant(person: Citizen, pk: int) -> ProxyAuthorisation:
    """A proxy authorisation the person gave or holds; 404 for any other."""
    return get_object_or_404(ProxyAuthorisation.objects.filter(Q(principal=person) | Q(proxy=person)), pk=pk)


def enterprises_for(person: Citizen) -> QuerySet[Enterprise]:
    """The enterprises the person represents or may act for today."""
    agencies = EnterpriseAgent.objects.in_force().filter(agent=person).values("enterprise_id")
    return Enterprise.objects.filter(Q(legal_representative=person) | Q(pk__in=agencies)).order_by("name")


def enterprise_for(person: Citizen, pk: int) -> Enterprise:
    return get_object_or_404(enterprises_for(person), pk=pk)


def agents_of(person: Citizen, enterprise: Enterprise) -> QuerySet[EnterpriseAgent]:
    """The agents of an enterprise, for its legal representative only (others see none)."""
    if enterprise.legal_representative_id != person.pk:
        return EnterpriseAgent.objects.none()
    return (
        EnterpriseAgent.objects.filter(enterprise=enterprise)
        .select_related("agent")
        .prefetch_related("matters")
        .order_by("-created_at")
    )


def agent_grant(person: Citizen, pk: int) -> EnterpriseAgent:
    """An agent authorisation of an enterprise the person represents, or one the person holds."""
    qs = EnterpriseAgent.objects.filter(Q(enterprise__legal_representative=person) | Q(agent=person))
    return get_object_or_404(qs.select_related("enterprise"), pk=pk)
