"""Every route of /api/v1/ with its HTTP methods, read from the URL configuration."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

_IGNORED = {"options", "head", "trace"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _clean(route: str) -> str:
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    route = route.replace("^", "").replace("$", "")
    for name in ("pk", "public_id", "number", "name", "agency", "code"):
        route = route.replace(f"(?P<{name}>[^/.]+)", "{" + name + "}").replace(
            f"<uuid:{name}>", "{" + name + "}"
        )
        route = route.replace(f"<str:{name}>", "{" + name + "}").replace(
            f"(?P<{name}>[a-z_]+)", "{" + name + "}"
        )
        route = route.replace(f"(?P<{name}>[0-9a-f-]{{36}})", "{" + name + "}")
    return "/" + route


def api_routes() -> list[str]:
    """'METHOD /api/v1/...' for every route and method the API answers."""
    routes = set()
    for route, callback in _walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/") or "format" in route:
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            allowed = callback.cls.http_method_names
            methods = [m for m in actions if m in allowed]
        else:
            view = callback.view_class
            methods = [m for m in view.http_method_names if hasattr(view, m) and m not in _IGNORED]
        for method in methods:
            if method not in _IGNORED:
                routes.add(f"{method.upper()} {_clean(route)}")
    return sorted(routes)
