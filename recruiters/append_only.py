"""Log rows written once and never changed: the base of every log of the project (a case's
events, an agency's events, a complaint's events). Kept in the bottom layer so that every
app may use it."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only: never updated")

    def delete(self):
        raise TypeError(f"{self.model._meta.verbose_name_plural} are append-only: never deleted")


class AppendOnly(models.Model):
    """A log row: written once, never updated nor deleted (its queryset refuses both too)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError(f"{self._meta.verbose_name_plural} are append-only: never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name_plural} are append-only: never deleted")
