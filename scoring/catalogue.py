"""Building the engine's `Catalogue` from a standard file or from the database, cached.

The cache key includes the content fingerprint, so a cached catalogue is never stale: a
published version never changes, a reloaded draft has a new fingerprint, and loading a new
version leaves the cached older ones as they are. The cache is derived data only; every
process builds its own.
"""

import threading
from decimal import Decimal
from pathlib import Path

from scoring.engine import Catalogue, CatalogueCriterion, CataloguePrinciple, CatalogueQuestion
from scoring.standard_file import StandardSpec, read_standard_file

_CACHE_SIZE = 64
_cache: dict[tuple[str, str, str], Catalogue] = {}
_lock = threading.Lock()


def catalogue_from_spec(spec: StandardSpec) -> Catalogue:
    key = (spec.code, spec.version, spec.content_sha256)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    catalogue = Catalogue(
        code=spec.code,
        version=spec.version,
        principles=tuple(CataloguePrinciple(p.code, p.kind) for p in spec.principles),
        criteria=tuple(
            CatalogueCriterion(
                code=c.code,
                principle=p.code,
                weight=Decimal(c.weight),
                zero_tolerance=c.zero_tolerance,
                forced_labour_indicators=tuple(c.forced_labour_indicators),
            )
            for p in spec.principles
            for c in p.criteria
        ),
        questions=tuple(
            CatalogueQuestion(
                code=q.code,
                criterion=c.code,
                answer_type=q.answer_type,
                required=q.required,
                allow_not_applicable=q.allow_not_applicable,
                expected=q.expected,
                choices=tuple(choice.code for choice in q.choices),
                compliant_choices=frozenset(q.compliant_choices),
                minimum=q.minimum,
                maximum=q.maximum,
            )
            for c in spec.criteria()
            for q in c.questions
        ),
    )
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        return _cache.setdefault(key, catalogue)


def catalogue_from_file(path: str | Path) -> Catalogue:
    """Straight from a standard file, without the database (raises StandardFileError)."""
    return catalogue_from_spec(read_standard_file(path))


def catalogue_get(*, code: str, version: str) -> Catalogue:
    """A loaded standard version: one query when cached, one per table when not.

    Raises `scoring.models.Standard.DoesNotExist` for a version that is not loaded.
    """
    from scoring.models import Standard
    from scoring.selectors import standard_spec_get

    standard = Standard.objects.get(code=code, version=version)
    key = (standard.code, standard.version, standard.content_sha256)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    return catalogue_from_spec(standard_spec_get(standard=standard))


def catalogue_cache_clear() -> None:
    with _lock:
        _cache.clear()
