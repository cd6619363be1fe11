"""Writes for agent-owner companies."""

from django.db import transaction

from ..models import AgentOwner
from ..permissions import ensure_can_edit_agents
from .projects import _full_clean


@transaction.atomic
def agent_owner_save(*, by, fields: dict, agent_owner_id: int | None = None) -> AgentOwner:
    """Create or change an agent-owner company."""
    ensure_can_edit_agents(by)
    if agent_owner_id:
        agent = AgentOwner.objects.select_for_update().get(pk=agent_owner_id)
        for name, value in fields.items():
            setattr(agent, name, value)
    else:
        agent = AgentOwner(**fields)
    _full_clean(agent)
    agent.save()
    return agent
