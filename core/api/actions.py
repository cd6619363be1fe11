"""The one way an API action on an object calls its app's service (core.views.ActionView for pages)."""

from rest_framework.response import Response


def validated(serializer_class, data, **kwargs) -> dict:
    """The request's input through `serializer_class`, or DRF's 400 with the field errors."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# No docstring on the mixin: drf-spectacular would describe every viewset without its own with it.
# The refusals come in the pages' order: scope first (get_object: 404), then the role (the guard: 403),
# then the input (400), and only then the service (400 when the object's state forbids the step).
class ServiceActionMixin:
    service_key = ""  # the keyword the app's services take the object's id under, e.g. "card_id"

    def act(self, request, service, *, guard=None, serializer=None):
        """Call `service` on this action's object with the validated input; the object is returned."""
        obj = self.get_object()
        if guard is not None:
            guard(request.user, obj)
        values = validated(serializer, request.data) if serializer is not None else {}
        service(**{self.service_key: obj.pk}, by=request.user, **values)
        return obj

    def answer(self, pk):
        """The object as this viewset's queryset reads it, after a service changed it."""
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)
