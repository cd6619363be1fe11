"""Model fields that point at the registry: cities, counties, townships and tracks.

Every app's records name a place or a track; a registry row they name is never deleted with them nor
from under them (PROTECT). The factories take the models by name, so an app's models module needs
no import of townships.models for them.
"""

from django.utils.translation import gettext_lazy as _

from core.fields import protected_fk


def _registry_fk(model: str, label):
    def factory(related_name=None, *, verbose_name=label, optional=False, **kwargs):
        return protected_fk(
            f"townships.{model}", verbose_name, related_name=related_name, optional=optional, **kwargs
        )

    factory.__name__ = factory.__qualname__ = f"{model.lower()}_fk"
    factory.__doc__ = f"A reference to a {model} of the registry, labelled “{model.lower()}” by default."
    return factory


city_fk = _registry_fk("City", _("city"))
county_fk = _registry_fk("County", _("county"))
township_fk = _registry_fk("Township", _("township"))
track_fk = _registry_fk("Track", _("track"))
