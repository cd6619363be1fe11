"""Model field factories for the references every app declares the same way.

Each holds one rule, so a model states only what is its own: the label and the reverse name.
"""

from django.conf import settings
from django.db import models


def protected_fk(to, verbose_name, *, related_name=None, optional=False, **kwargs) -> models.ForeignKey:
    """A reference whose target cannot be deleted while this row points at it (PROTECT).

    The rows that point are records: deleting what they name must fail loudly, never take them
    along nor leave them pointing at nothing. `optional`: the reference may be empty, in the
    database and in forms.
    """
    if optional:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=models.PROTECT, related_name=related_name, **kwargs
    )


def user_fk(verbose_name, *, related_name="+", optional=False, **kwargs) -> models.ForeignKey:
    """A person's account a record names: who filed, decided or recorded it, or who answers for it.

    An account that has acted is deactivated, never deleted, so its records keep naming it; and the
    user model gets no reverse accessor for every such stamp ("+") unless a page needs one.
    """
    return protected_fk(
        settings.AUTH_USER_MODEL, verbose_name, related_name=related_name, optional=optional, **kwargs
    )
