"""The isolation guard: walk every URL of the project and try tenant B's objects as tenant A.

Nothing here is a hand-kept list of views. The guard resolves the project's URL
configuration, and for every pattern (pages and API routes alike):

* patterns with object ids in the path are requested with tenant B's ids (GET and
  POST for pages; GET, POST, PUT, PATCH and DELETE for API routes): anything but
  403, 404 or 405 is a leak;
  patterns with several ids are also tried with tenant A's parent and B's child;
* patterns without ids (lists, forms, dashboards) are requested with GET and POST
  (the POST body carries B's ids under every known name);
* no response may contain tenant B's private marker text;
* afterwards, no row of tenant B may have been created, changed or deleted.

A URL keyword the guard does not know makes it fail with a message saying which
of tenant B's objects to add to `object_kwargs()`: a new view cannot be skipped
silently. Views marked with core.public.public_view serve anonymous visitors by
design; for them only the marker and the row checks apply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Program

#: Third-party views: they serve only the signed-in person's own account, the admin
#: (platform operators, not tenant users) or static documents.
THIRD_PARTY_PREFIXES = (
    "allauth.",
    "django.contrib.admin.",
    "django.contrib.contenttypes.",
    "django.contrib.staticfiles.",
    "django.views.static",
    "drf_spectacular.",
)

REFUSED = {403, 404, 405}
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    name: str
    namespace: str
    kwargs: tuple[str, ...]
    callback: object

    @property
    def is_public(self) -> bool:
        view = self.callback
        return bool(
            getattr(view, "is_public_view", False)
            or getattr(getattr(view, "view_class", None), "is_public_view", False)
            or getattr(getattr(view, "cls", None), "is_public_view", False)
        )

    @property
    def is_third_party(self) -> bool:
        if self.namespace.split(":")[0] == "admin":
            return True
        view = self.callback
        owner = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
        module = getattr(owner, "__module__", "") or ""
        return module.startswith(THIRD_PARTY_PREFIXES)


def _pattern_kwargs(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    regex = getattr(pattern.pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def iter_routes(urlconf: str | None = None) -> Iterator[Route]:
    """Every URL pattern of the URL configuration, with its namespaced name and kwargs."""

    def walk(resolver, namespace: str, kwargs: tuple[str, ...]) -> Iterator[Route]:
        for pattern in resolver.url_patterns:
            own = _pattern_kwargs(pattern)
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, ns, kwargs + own)
            elif isinstance(pattern, URLPattern):
                name = pattern.name
                if name and namespace:
                    name = f"{namespace}:{name}"
                yield Route(
                    name=name or "",
                    namespace=namespace,
                    kwargs=kwargs + own,
                    callback=pattern.callback,
                )

    yield from walk(get_resolver(urlconf), "", ())


def tenant_fingerprint(program: Program) -> tuple[int, str]:
    """Row count and digest of every row that carries `program` (or is the program)."""
    digest = hashlib.sha256()
    count = 0
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        field_names = {f.name for f in model._meta.get_fields()}
        if model is Program:
            rows = list(model.objects.filter(pk=program.pk).values())
        elif "program" in field_names and model._meta.get_field("program").related_model is Program:
            rows = list(model.objects.filter(program=program).order_by("pk").values())
        else:
            continue
        count += len(rows)
        digest.update(model._meta.label.encode())
        digest.update(repr(rows).encode())
    return count, digest.hexdigest()


@dataclass
class Guard:
    """Run the walk for one signed-in client of tenant A against tenant B's objects."""

    client: Client
    b_kwargs: dict[str, object]
    a_kwargs: dict[str, object]
    marker: str
    urlconf: str | None = None

    def problems(self) -> list[str]:
        found: list[str] = []
        for route in iter_routes(self.urlconf):
            if route.is_third_party:
                continue
            if not route.name:
                found.append(f"unnamed URL pattern for {route.callback!r}: name every route")
                continue
            unknown = [k for k in route.kwargs if k not in self.b_kwargs]
            if unknown:
                found.append(
                    f"{route.name}: unknown URL keyword(s) {unknown}; add tenant B's object for "
                    "them to tests/test_isolation.py object_kwargs()"
                )
                continue
            for kwargs in self._combinations(route):
                url = reverse(route.name, kwargs=kwargs, urlconf=self.urlconf)
                found.extend(self._check(route, url))
        return found

    def _combinations(self, route: Route) -> Iterator[dict]:
        names = [k for k in route.kwargs if k != "format"]
        base = {k: self.b_kwargs[k] for k in route.kwargs}
        yield base
        if len(names) > 1:
            # A's parent with B's child, for every position.
            for keep_b in names:
                combo = dict(base)
                for other in names:
                    if other != keep_b and other in self.a_kwargs:
                        combo[other] = self.a_kwargs[other]
                yield combo

    def _check(self, route: Route, url: str) -> list[str]:
        found = []
        has_ids = any(k != "format" for k in route.kwargs)
        body = {k: str(v) for k, v in self.b_kwargs.items() if k != "format"}
        body.update({k.removesuffix("_id"): str(v) for k, v in self.b_kwargs.items()})
        # API routes take every write method; pages only ever act on POST (their
        # other methods fall through to the same lookup), so GET and POST suffice.
        is_api = route.namespace.split(":")[0] == "api"
        methods = ("get", *WRITE_METHODS) if has_ids and is_api else ("get", "post")
        for method in methods:
            if method == "get":
                response = self.client.get(url)
            elif method == "post":
                response = self.client.post(url, body)
            else:
                response = getattr(self.client, method)(url, body, content_type="application/json")
            where = f"{method.upper()} {url} ({route.name})"
            if response.status_code >= 500:
                found.append(f"{where}: server error {response.status_code}")
            if has_ids and not route.is_public and response.status_code not in REFUSED:
                found.append(f"{where}: answered {response.status_code} with tenant B's object")
            content = b"".join(response) if response.streaming else response.content
            if self.marker.encode() in content:
                found.append(f"{where}: response contains tenant B's private data")
        return found
