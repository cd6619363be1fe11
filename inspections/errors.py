from django.core.exceptions import ValidationError


class WorkflowError(ValidationError):
    """A state change that the rules do not allow; the message says why."""
