"""Agent-owner companies (代建单位) and their projects."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from core.submission import create_once
from townships.querysets import SubqueryCount
from townships.scope import scoped

from ..formatting import format_wan
from ..forms import (
    AgentOwnerForm,
)
from ..models import AgentOwner, Project
from ..permissions import can_edit_agents
from ..selectors import project_list
from ..services.agents import agent_owner_save
from .projects import ProjectsFormView


def _visible_projects(user):
    return scoped(Project.objects.active(), user)


class AgentOwnerListView(LoginRequiredMixin, ListView):
    template_name = "projects/agent_list.html"
    context_object_name = "agents"
    paginate_by = 50

    def get_queryset(self):
        projects = _visible_projects(self.request.user).filter(agent_owner=OuterRef("pk"))
        return (
            AgentOwner.objects.filter(archived=False)
            .annotate(project_count=SubqueryCount(projects))
            .order_by("company", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_edit=can_edit_agents(self.request.user), **kwargs)


class AgentOwnerDetailView(LoginRequiredMixin, DetailView):
    template_name = "projects/agent_detail.html"
    context_object_name = "agent"

    def get_object(self, queryset=None):
        return get_object_or_404(AgentOwner, pk=self.kwargs["pk"], archived=False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = project_list(user=self.request.user).filter(agent_owner=self.object)
        context["projects"] = projects.order_by("township__code", "name")
        context["totals"] = projects.aggregate(
            count=Count("pk"), budget=Sum("budget"), townships=Count("township", distinct=True)
        )
        context["can_edit"] = can_edit_agents(self.request.user)
        context["budget_wan"] = format_wan(context["totals"]["budget"] or 0)
        return context


class AgentOwnerFormView(ProjectsFormView):
    form_class = AgentOwnerForm
    template_name = "projects/agent_form.html"
    agent = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not can_edit_agents(request.user):
                raise PermissionDenied
            if "pk" in kwargs:
                self.agent = get_object_or_404(AgentOwner, pk=kwargs["pk"], archived=False)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.agent}

    @property
    def success_message(self):
        return _("Agent owner saved.")

    def save(self, form):
        fields = self.model_fields(form)
        return create_once(
            form,
            self.request.user,
            lambda: agent_owner_save(
                by=self.request.user, fields=fields, agent_owner_id=self.agent.pk if self.agent else None
            ),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(agent=self.agent, **kwargs)
