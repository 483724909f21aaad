"""The public finder pages (phones, WeChat's built-in browser, large print): where is the nearest
self-service terminal open now, how far, how long a walk, and a link to walk there.

No sign-in and nothing personal kept: the position arrives in the query string (the phone's
"use my location", or a place name looked up offline), is used for this one answer and is
neither logged nor stored. Thin: the finding is eban.kiosks.finder.locator, the hours eban.kiosks.hours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from eban.government.models import Division

from .. import geo, hours
from ..app.queries import kiosk_matters
from ..enums import Hardware
from ..maps import MapPoint, map_context
from ..models import Terminal
from . import locator, maplinks

RESULTS = 5
NEAREST_CLOSED_SHOWN = 3
DIVISION_PAGE_SIZE = 20
MAX_PLACE_LENGTH = 60
MATTERS_SHOWN = 50  # on a terminal's page; the rest are counted


@dataclass
class Card:
    """One terminal as the pages show it."""

    terminal: Terminal
    open_now: bool
    today: str
    hours: list[str]
    devices: list[str]
    links: maplinks.Links
    url: str
    distance_m: float | None = None
    walk_m: int | None = None
    minutes: int | None = None

    @property
    def distance_text(self) -> str:
        if self.distance_m is None:
            return ""
        if self.distance_m < 1000:
            return _("%(m)s m") % {"m": int(round(self.distance_m, -1)) or int(round(self.distance_m))}
        return _("%(km)s km") % {"km": f"{self.distance_m / 1000:.1f}"}


def _devices(terminal: Terminal) -> list[str]:
    labels = dict(Hardware.choices)
    return [str(labels[code]) for code in (terminal.hardware or []) if code in labels]


def _card(terminal: Terminal, at, origin=None, origin_name: str = "", found=None, query: str = "") -> Card:
    url = reverse("kiosks:detail", args=[terminal.code])
    if query:
        url = f"{url}?{query}"
    return Card(
        terminal=terminal,
        open_now=found.open_now if found is not None else hours.is_open(terminal, at),
        today=hours.today_text(terminal, at),
        hours=hours.describe(terminal),
        devices=_devices(terminal),
        links=maplinks.links_for(terminal, origin, origin_name),
        url=url,
        distance_m=found.distance_m if found is not None else None,
        walk_m=found.walk_m if found is not None else None,
        minutes=found.minutes if found is not None else None,
    )


def _position(request: HttpRequest) -> tuple[float, float] | None:
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (KeyError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return round(lat, 6), round(lng, 6)


def _points(cards: list[Card], me: tuple[float, float] | None, me_label: str) -> list[MapPoint]:
    points = []
    if me is not None:
        points.append(MapPoint(me[0], me[1], me_label, kind="me"))
    for card in cards:
        t = card.terminal
        points.append(MapPoint(t.latitude, t.longitude, t.display_name, kind="ok" if card.open_now else "off",
                               url=card.url))  # fmt: skip
    return points


def _division_context(request: HttpRequest) -> dict[str, Any]:
    code = (request.GET.get("division") or "").strip()[:12]
    chosen = Division.objects.filter(code=code).first() if code.isdigit() else None
    county = None
    if chosen is not None:
        county = (
            chosen
            if chosen.level == "county"
            else next((a for a in chosen.ancestors() if a.level == "county"), None)
        )
    return {
        "counties": locator.division_choices(),
        "townships": locator.division_choices(county.code) if county is not None else [],
        "chosen_division": chosen,
        "chosen_county": county,
    }


@never_cache
def find(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    context: dict[str, Any] = {
        "at": at,
        "place_text": (request.GET.get("place") or "").strip()[:MAX_PLACE_LENGTH],
    }
    context.update(_division_context(request))
    origin = _position(request)
    origin_label = _("Your position")
    place = None
    if origin is None and context["place_text"]:
        place = locator.place_position(context["place_text"])
        if place is None:
            context["no_place"] = locator.no_place_message(context["place_text"])
        else:
            origin, origin_label = (place.lat, place.lng), place.label
    context["place"] = place
    context["origin"] = origin
    context["origin_label"] = origin_label
    cards: list[Card] = []
    if origin is not None:
        query = urlencode({"lat": origin[0], "lng": origin[1]})
        open_found = locator.nearest(*origin, limit=RESULTS, open_now=True, at=at)
        cards = [_card(f.terminal, at, origin, origin_label, f, query) for f in open_found]
        nearest_any = locator.nearest(*origin, limit=NEAREST_CLOSED_SHOWN, at=at)
        first_open = open_found[0].distance_m if open_found else math.inf
        closed = [f for f in nearest_any if not f.open_now and f.distance_m < first_open]
        context["closed_nearer"] = [_card(f.terminal, at, origin, origin_label, f, query) for f in closed]
        context["searched"] = True
        map_cards = cards + context["closed_nearer"]
        context.update(
            map_context(_points(map_cards, origin, origin_label), label=_("Map of the nearest terminals"))
        )
    elif context["chosen_division"] is not None:
        division = context["chosen_division"]
        terminals = locator.in_division(division.code)
        page = Paginator(terminals, DIVISION_PAGE_SIZE).get_page(request.GET.get("page"))
        cards = [_card(t, at) for t in page.object_list]
        context["page_obj"] = page
        context["searched"] = True
        context.update(
            map_context(_points(cards, None, ""), label=_("Map of the terminals in %(division)s")
                        % {"division": division.display_name})
        )  # fmt: skip
    context["cards"] = cards
    context["show_sample"] = any(c.terminal.is_sample for c in cards + context.get("closed_nearer", [])) or (
        not cards and Terminal.objects.filter(active=True, is_sample=True).exists()
    )
    return render(request, "kiosks/finder/find.html", context)


@never_cache
def detail(request: HttpRequest, code: str) -> HttpResponse:
    terminal = Terminal.objects.filter(code=code[:32], active=True).select_related("division").first()
    if terminal is None:
        raise Http404(_("No terminal has this code."))
    at = timezone.now()
    origin = _position(request)
    found = None
    if origin is not None:
        distance = geo.haversine_m(*origin, terminal.latitude, terminal.longitude)
        walk_m, minutes = geo.walking(distance)
        found = locator.Found(terminal, distance, walk_m, minutes, hours.is_open(terminal, at))
    card = _card(terminal, at, origin, _("Your position"), found)
    offered = kiosk_matters(terminal)
    matters = list(offered[:MATTERS_SHOWN])
    back = reverse("kiosks:find")
    if origin is not None:
        back = f"{back}?{urlencode({'lat': origin[0], 'lng': origin[1]})}"
    context = {
        "card": card,
        "terminal": terminal,
        "matters": matters,
        "more_matters": max(0, offered.count() - len(matters)) if len(matters) == MATTERS_SHOWN else 0,
        "back_url": back,
        "show_sample": terminal.is_sample,
        **map_context(_points([card], origin, _("Your position")), label=_("Map of %(name)s")
                      % {"name": terminal.display_name}, height_px=320),
    }  # fmt: skip
    return render(request, "kiosks/finder/detail.html", context)
