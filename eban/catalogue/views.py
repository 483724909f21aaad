"""The public catalogue pages: home, browse, the guide page and search.

Server-rendered, thin: reads come from `queries.find_matters` (search and filters) and a few
small aggregate queries here; the guide page caches its rendered body by code + `updated_at`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from eban.government.models import Department, Division, DivisionLevel
from eban.search.analysis import content_runs, is_cjk, normalize, strip_question

from .enums import Audience, Category, Channel
from .models import LifeEvent, Matter, Theme
from .queries import find_matters

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 100
GUIDE_CACHE_SECONDS = 10 * 60
FACET_CACHE_SECONDS = 5 * 60
CSRF_STAND_IN = "eban-csrf-token-stand-in"  # replaced by the request's token in a cached guide page

# Shown on the home page when the catalogue holds them (first matching live matter for each).
POPULAR = [
    "老年人优待证",
    "社保参保证明",
    "市民卡挂失",
    "住房公积金提取",
    "港澳通行证",
    "无犯罪记录证明",
    "居住证",
    "户籍证明",
]
POPULAR_COUNT = 8

FILTER_NAMES = ("category", "theme", "department", "audience", "life_event", "division", "channel")


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _catalogue_stamp() -> str:
    """Changes whenever a live matter is added, removed or edited: keys the cached aggregates."""
    agg = Matter.objects.filter(live=True).aggregate(n=Count("id"), at=Max("updated_at"))
    at = agg["at"].timestamp() if agg["at"] else 0
    return f"{agg['n']}:{at}"


# ---------------------------------------------------------------- facets (cached aggregates)


def _facets(stamp: str) -> dict[str, Any]:
    """Options for every filter with the number of live matters in each, cached per catalogue state."""
    key = f"catalogue:facets:{stamp}"
    facets = cache.get(key)
    if facets is not None:
        return facets
    live = Q(matters__live=True)
    category_counts = dict(
        Matter.objects.filter(live=True)
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    audience_counts = dict(
        Matter.objects.filter(live=True)
        .values_list("audience")
        .annotate(n=Count("id"))
        .values_list("audience", "n")
    )
    themes = list(Theme.objects.annotate(n=Count("matters", filter=live, distinct=True)))
    life_events = list(LifeEvent.objects.annotate(n=Count("matters", filter=live, distinct=True)))
    departments = list(
        Department.objects.select_related("division")
        .annotate(n=Count("matters", filter=live, distinct=True))
        .filter(n__gt=0)
        .order_by("division__code", "code")
    )
    divisions = list(
        Division.objects.filter(level__in=[DivisionLevel.CITY, DivisionLevel.COUNTY]).order_by("code")
    )
    facets = {
        "categories": [(c.value, category_counts.get(c.value, 0)) for c in Category],
        "audiences": [(a.value, audience_counts.get(a.value, 0)) for a in Audience],
        "themes": themes,
        "life_events": life_events,
        "departments": departments,
        "divisions": divisions,
        "sample_count": Matter.objects.filter(live=True, is_sample=True).count(),
    }
    cache.set(key, facets, FACET_CACHE_SECONDS)
    return facets


def _popular(stamp: str) -> list[Matter]:
    key = f"catalogue:popular:{stamp}"
    popular = cache.get(key)
    if popular is not None:
        return popular
    wanted = Q()
    for term in POPULAR:
        wanted |= Q(name__contains=term) | Q(short_name__contains=term)
    candidates = list(
        Matter.objects.filter(live=True).filter(wanted).select_related("department").order_by("code")[:200]
    )
    popular, seen = [], set()
    for term in POPULAR:
        for matter in candidates:
            if matter.pk not in seen and (term in matter.name or term in matter.short_name):
                popular.append(matter)
                seen.add(matter.pk)
                break
    if len(popular) < POPULAR_COUNT:
        popular += list(
            Matter.objects.filter(live=True)
            .exclude(pk__in=seen)
            .select_related("department")
            .order_by("code")[: POPULAR_COUNT - len(popular)]
        )
    cache.set(key, popular, FACET_CACHE_SECONDS)
    return popular


# ---------------------------------------------------------------- filters and pages


@dataclass(frozen=True)
class Filters:
    values: dict[str, str]

    @classmethod
    def from_request(cls, request: HttpRequest, facets: dict[str, Any]) -> Filters:
        """The filters asked for, keeping only known values (a stale link filters nothing)."""
        known = {
            "category": set(Category.values),
            "audience": set(Audience.values),
            "channel": set(Channel.values),
            "theme": {t.code for t in facets["themes"]},
            "life_event": {e.code for e in facets["life_events"]},
            "department": {d.code for d in facets["departments"]},
            "division": {d.code for d in facets["divisions"]},
        }
        values = {}
        for name in FILTER_NAMES:
            value = request.GET.get(name, "").strip()
            if value and value in known[name]:
                values[name] = value
        return cls(values)

    def __bool__(self) -> bool:
        return bool(self.values)


def _page(request: HttpRequest, items) -> Page:
    paginator = Paginator(items, PAGE_SIZE, allow_empty_first_page=True)
    return paginator.get_page(request.GET.get("page"))


def _with_relations(page: Page) -> list[Matter]:
    """The page's matters loaded in one query with their departments, in the page's order."""
    ids = [m.pk for m in page.object_list]
    by_id = Matter.objects.select_related("department").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _chosen(filters: Filters, facets: dict[str, Any]) -> list[tuple[str, str]]:
    """(filter name, display label) of the filters in force, to show and remove them."""
    labels = {
        "category": lambda v: Category(v).label,
        "audience": lambda v: Audience(v).label,
        "channel": lambda v: Channel(v).label,
        "theme": lambda v: next(t.display_name for t in facets["themes"] if t.code == v),
        "life_event": lambda v: next(e.display_name for e in facets["life_events"] if e.code == v),
        "department": lambda v: next(d.display_name for d in facets["departments"] if d.code == v),
        "division": lambda v: next(d.display_name for d in facets["divisions"] if d.code == v),
    }
    return [(name, labels[name](value)) for name, value in filters.values.items()]


def _find(q: str, filters: Filters):
    return find_matters(q, **filters.values)


def _highlight_words(q: str) -> str:
    """The words of a query worth marking in the results, space-separated: the query itself and
    its content words as the search segments them (老年人优待证怎么办 → 老年人, 优待证)."""
    words = [
        w for run in content_runs(strip_question(normalize(q))) for w in run if len(w) >= 2 or not is_cjk(w)
    ]
    return " ".join(dict.fromkeys([q, *words]))


# ---------------------------------------------------------------- views


def home(request: HttpRequest) -> HttpResponse:
    stamp = _catalogue_stamp()
    facets = _facets(stamp)
    popular = _popular(stamp)
    return render(
        request,
        "catalogue/home.html",
        {
            "facets": facets,
            "person_events": [e for e in facets["life_events"] if e.audience != Audience.ENTERPRISE],
            "enterprise_events": [e for e in facets["life_events"] if e.audience == Audience.ENTERPRISE],
            "popular": popular,
            "show_sample": facets["sample_count"] > 0,
        },
    )


def browse(request: HttpRequest) -> HttpResponse:
    facets = _facets(_catalogue_stamp())
    filters = Filters.from_request(request, facets)
    result = _find("", filters)
    page = _page(request, result.matters)
    matters = _with_relations(page)
    return render(
        request,
        "catalogue/browse.html",
        {
            "facets": facets,
            "channels": Channel.choices,
            "filters": filters.values,
            "chosen": _chosen(filters, facets),
            "page": page,
            "matters": matters,
            "total": page.paginator.count,
            "show_sample": any(m.is_sample for m in matters),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    facets = _facets(_catalogue_stamp())
    filters = Filters.from_request(request, facets)
    context: dict[str, Any] = {
        "q": q,
        "facets": facets,
        "channels": Channel.choices,
        "filters": filters.values,
        "chosen": _chosen(filters, facets),
    }
    if q:
        result = _find(q, filters)
        page = _page(request, result.matters)
        matters = _with_relations(page)
        context.update(
            mark=_highlight_words(q),
            page=page,
            matters=matters,
            total=page.paginator.count,
            suggestions=[s for s in (result.suggestions or []) if s and s != q][:8] if not matters else [],
            show_sample=any(m.is_sample for m in matters),
        )
        if not matters:  # nothing matches: where to go instead
            context["popular"] = _popular(_catalogue_stamp())
    else:
        context["popular"] = _popular(_catalogue_stamp())
    return render(request, "catalogue/search.html", context)


def _visitor_kind(request: HttpRequest) -> str:
    """What of the visitor the cached page shows: nobody, an account, or a citizen's account."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return "citizen" if getattr(user, "citizen", None) is not None else "account"


def guide(request: HttpRequest, code: str) -> HttpResponse:
    """One matter's whole guide. Only live (published) matters exist here.

    Costs one small query when cached: the page is rendered once per (matter version, language,
    display mode, path) and kept with a stand-in for the CSRF token of the language form, which
    is filled in per request. The guide's body is cached on its own too (shared by both modes).
    """
    head = (
        Matter.objects.filter(live=True, code=code)
        .values("pk", "code", "name", "name_en", "summary", "updated_at", "is_sample", "category")
        .first()
    )
    if head is None:
        raise Http404
    lang = _lang()
    version = f"{head['code']}:{head['updated_at'].timestamp()}:{lang}"
    page_key = None
    if set(request.GET) <= {"elderly"}:  # other parameters would only fill the cache
        elderly = int(bool(getattr(request, "elderly_mode", False)))
        visitor = _visitor_kind(request)  # the header differs for a signed-in citizen
        page_key = f"catalogue:guide-page:{version}:{elderly}:{visitor}:{request.get_full_path()}"
        html = cache.get(page_key)
        if html is not None:
            return HttpResponse(html.replace(CSRF_STAND_IN, get_token(request)))

    body_key = f"catalogue:guide:{version}"
    body = cache.get(body_key)
    if body is None:
        matter = (
            Matter.objects.select_related("department__division")
            .prefetch_related("themes", "life_events", "divisions")
            .get(pk=head["pk"])
        )
        body = render_to_string("catalogue/_guide_body.html", {"matter": matter, "lang": lang})
        cache.set(body_key, body, GUIDE_CACHE_SECONDS)
    title = head["name_en"] if lang == "en" and head["name_en"] else head["name"]
    context = {"head": head, "title": title, "category": head["category"], "guide_body": mark_safe(body)}
    if page_key is None:
        return render(request, "catalogue/guide.html", context)
    html = render_to_string("catalogue/guide.html", {**context, "csrf_token": CSRF_STAND_IN}, request=request)
    cache.set(page_key, html, GUIDE_CACHE_SECONDS)
    return HttpResponse(html.replace(CSRF_STAND_IN, get_token(request)))
