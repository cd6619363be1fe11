"""The authorization matrix: every URL name × every role × an object in scope and one out of scope.

DESIGN.md §2: a role that may act gets 200 (201 on create); a role that may not gets 403; an object out
of the user's scope answers 404 whatever the role; an anonymous visitor is sent to the login page (pages)
or gets 401 (API). Only the login page, the token endpoint and the liveness probe are open.

`test_every_url_name_is_in_the_matrix` fails when a new URL name appears that this table does not list.
"""

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = [pytest.mark.django_db]

SIX = ("province", "city_office", "county_official", "inspector", "township_staff", "api_client")
ROLES = (*SIX, "anonymous")
READ_ONLY = ("province", "api_client")
LOGIN = "/accounts/login/"

# Not part of the matrix, deliberately: Django's admin (staff only, own permission system), the
# language switch, static/media serving, and the OpenAPI schema and its two viewers (public by design,
# they describe the API, not its data).
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language", "schema", "api-docs", "api-redoc", None}


def allow(*roles: str, ok: int = 200, others: int = 403) -> dict:
    """These roles get `ok`, the rest `others`."""
    return {role: ok if role in roles else others for role in SIX}


ALL = allow(*SIX)
WRITERS = ("city_office", "county_official", "inspector", "township_staff")  # everyone but read-only roles
CITY = ("city_office",)
FILERS = ("city_office", "county_official", "inspector")
FIXERS = ("city_office", "county_official", "township_staff")
PROJECT_EDITORS = ("city_office", "county_official", "township_staff")
SECRETARY_FILERS = ("city_office", "county_official", "township_staff")  # the township records its own
DEDUCTION_DECIDERS = ("city_office", "township_staff")  # the township secretary or the city office
AGENT_EDITORS = ("city_office", "county_official")  # agent-owner companies serve several townships
ACC_PROPOSERS = ("city_office", "county_official")  # the plan, and recommending a model
ACC_APPLICANTS = ("county_official", "township_staff")
ACC_DECIDERS = ("province",)  # the provincial office decides acceptance and confirms models
ACC_SPOT_CHECKERS = ("province", "city_office")
CHASERS = ("city_office", "county_official")  # 催办
TRIAGERS = ("city_office", "county_official")  # grid reports become findings of the county's townships


@dataclass
class Route:
    """How to address one URL name and what each role gets on GET (and optionally on POST)."""

    kwargs: Callable | None = None  # (world, side) -> reverse() kwargs; None: no object in the path
    get: dict = field(default_factory=lambda: dict(ALL))
    out: dict | None = None  # out-of-scope statuses; default 404 for all but the province
    public: bool = False  # anonymous may use it
    scoped: bool = True  # False: the object has no township (agents, tracks, rankings)
    method: str = "get"  # "post": a POST-only endpoint, sent an empty body (authorization comes first)


def obj(key: str, arg: str = "pk"):
    return lambda w, s: {arg: s[key].pk}


def own_notification(w, s, role):
    return {"pk": s["notifications"][w["users"][role].username].pk}


def own_export_job(w, s, role):
    return {"pk": s["export_jobs"][w["users"][role].username].pk}


OWN = (own_notification, own_export_job)  # objects of the user's own: anyone else's answers 404

township = lambda w, s: {"pk": s.township.pk}  # noqa: E731
county = lambda w, s: {"code": s.county.code}  # noqa: E731
POSTED = 400  # an empty POST passes authorization and fails validation

MATRIX: dict[str, Route] = {
    # --- renovation ---
    "home": Route(),
    "healthz": Route(public=True),
    # --- offline capture (core.offline): the worker and the manifest hold no data; the snapshot is scoped
    "service_worker": Route(public=True, scoped=False),
    "web_manifest": Route(public=True, scoped=False),
    "offline_snapshot": Route(scoped=False),
    # where each role lands after signing in (a redirect for every role) and 我的待办 (open to all)
    "landing": Route(get=dict.fromkeys(SIX, 302)),
    "my_work": Route(),
    "login": Route(get=dict.fromkeys(SIX, 302), public=True),  # a signed-in user is sent on to /
    "logout": Route(get=dict.fromkeys(SIX, 302), public=True, method="post"),
    # --- the user's own account: every signed-in user, nothing of anyone else's ---
    "townships:account": Route(scoped=False),
    "townships:account_password": Route(scoped=False),
    "townships:account_token_revoke": Route(get=dict.fromkeys(SIX, 302), scoped=False, method="post"),
    "townships:account_logout_everywhere": Route(get=dict.fromkeys(SIX, 302), scoped=False, method="post"),
    # --- townships pages ---
    "townships:county_list": Route(),
    "townships:county_detail": Route(kwargs=county),
    "townships:township_list": Route(),
    "townships:township_export": Route(),
    "townships:township_suggest": Route(
        scoped=False
    ),  # names within scope; tests/townships/test_township_picker.py
    "townships:township_detail": Route(kwargs=township),
    "townships:progressreport_list": Route(),
    "townships:progressreport_evidence": Route(kwargs=obj("progress")),
    "townships:progressreport_export": Route(),
    # the form is refused before it is shown to a role that may not report (issue 19)
    "townships:progressreport_create": Route(get=allow("city_office", "county_official", "township_staff")),
    "townships:progress_import": Route(get=allow("city_office", "county_official", "township_staff")),
    "townships:progress_import_template": Route(),  # a blank sheet
    "townships:target_import": Route(get=allow("city_office", "county_official")),
    "townships:target_import_template": Route(),  # a blank sheet
    "townships:township_location": Route(kwargs=township, get=allow("city_office", "county_official")),
    "townships:location_import": Route(
        get=allow("city_office", "county_official")
    ),  # the county office places them
    "townships:location_import_template": Route(),  # a blank sheet
    # --- cleaners (保洁员持证上岗) ---
    "cleaners:cleaner_list": Route(),
    "cleaners:cleaner_export": Route(),
    "cleaners:cleaner_import": Route(
        get=allow(*FIXERS)
    ),  # the township keeps its register; county and city too
    "cleaners:cleaner_import_template": Route(),  # a blank sheet
    # --- notifications pages ---
    "notifications:inbox": Route(),
    "notifications:mark_read": Route(
        kwargs=own_notification, get=dict.fromkeys(SIX, 302), out=dict.fromkeys(SIX, 404), method="post"
    ),
    "notifications:mark_all_read": Route(get=dict.fromkeys(SIX, 302), method="post"),  # one's own inbox
    "notifications:preferences": Route(get=dict.fromkeys(SIX, 302), method="post"),
    # Group robots: the city office's settings; another role is refused before any lookup.
    "notifications:channel_list": Route(get=allow(*CITY)),
    "notifications:channel_create": Route(get=allow(*CITY)),
    "notifications:channel_update": Route(kwargs=obj("channel"), get=allow(*CITY), out=allow(*CITY, ok=404)),
    # one's own export jobs: every signed-in user has some; another's is not there (404)
    "notifications:export_job": Route(kwargs=own_export_job, out=dict.fromkeys(SIX, 404)),
    "notifications:export_job_status": Route(kwargs=own_export_job, out=dict.fromkeys(SIX, 404)),
    "notifications:export_download": Route(kwargs=own_export_job, out=dict.fromkeys(SIX, 404)),
    "notifications:export_rerun": Route(
        kwargs=own_export_job, get=dict.fromkeys(SIX, 302), out=dict.fromkeys(SIX, 404), method="post"
    ),
    # --- inspections pages ---
    "inspections:index": Route(get=dict.fromkeys(SIX, 302)),
    "inspections:inspection_list": Route(),
    "inspections:inspection_create": Route(get=allow(*FILERS)),
    "inspections:inspection_detail": Route(kwargs=obj("inspection")),
    "inspections:inspection_submit": Route(
        kwargs=obj("inspection"), get=allow(*FILERS, ok=302), method="post"
    ),
    "inspections:finding_list": Route(),
    "inspections:finding_export": Route(),
    "inspections:finding_archived": Route(get=allow(*FILERS)),  # those who may restore an item
    "inspections:finding_detail": Route(kwargs=obj("finding")),
    "inspections:finding_submit": Route(kwargs=obj("finding"), get=allow(*FIXERS, ok=POSTED), method="post"),
    "inspections:finding_verify": Route(kwargs=obj("finding"), get=allow(*FILERS, ok=302), method="post"),
    "inspections:finding_reject": Route(kwargs=obj("finding"), get=allow(*FILERS, ok=POSTED), method="post"),
    "inspections:finding_archive": Route(kwargs=obj("finding"), get=allow(*FILERS, ok=POSTED), method="post"),
    "inspections:finding_restore": Route(kwargs=obj("finding"), get=allow(*FILERS, ok=POSTED), method="post"),
    "inspections:finding_photos": Route(kwargs=obj("finding"), get=allow(*FIXERS, ok=POSTED), method="post"),
    "inspections:finding_chase": Route(kwargs=obj("finding"), get=allow(*CHASERS, ok=302), method="post"),
    "inspections:finding_reply": Route(kwargs=obj("secretary"), get=allow(*FIXERS, ok=POSTED), method="post"),
    "inspections:review_queue": Route(get=allow(*FILERS)),
    "inspections:photo_file": Route(kwargs=lambda w, s: {"pk": s["photo"].pk, "variant": "thumb"}),
    "inspections:round_list": Route(),
    "inspections:round_detail": Route(kwargs=obj("round")),
    "inspections:bulletin_list": Route(),
    "inspections:bulletin_create": Route(get=allow(*CITY)),
    "inspections:bulletin_detail": Route(kwargs=obj("bulletin")),
    # Drafts are the city office's own: everyone else is told they do not exist.
    "inspections:bulletin_publish": Route(
        kwargs=obj("draft_bulletin"), get=allow(*CITY, ok=POSTED, others=404), method="post"
    ),
    "inspections:bulletin_print": Route(kwargs=obj("bulletin")),
    "inspections:bulletin_docx": Route(kwargs=obj("bulletin")),
    "inspections:yellowcard_list": Route(),
    "inspections:yellowcard_create": Route(get=allow(*CITY)),
    "inspections:yellowcard_detail": Route(kwargs=obj("card")),
    "inspections:yellowcard_escalate": Route(kwargs=obj("card"), get=allow(*CITY, ok=POSTED), method="post"),
    "inspections:yellowcard_lift": Route(kwargs=obj("card"), get=allow(*CITY, ok=POSTED), method="post"),
    "inspections:proposal_list": Route(get=allow(*CITY)),
    "inspections:proposal_decide": Route(
        kwargs=lambda w, s: {"pk": s["proposal"].pk, "decision": "accept"},
        get=allow(*CITY, ok=302),
        method="post",
    ),
    "inspections:secretary_list": Route(),
    "inspections:secretary_create": Route(get=allow(*SECRETARY_FILERS)),
    "inspections:deduction_list": Route(),
    "inspections:deduction_decide": Route(
        kwargs=lambda w, s: {"pk": s["deduction"].pk, "decision": "confirm"},
        get=allow(*DEDUCTION_DECIDERS, ok=302),
        method="post",
    ),
    "inspections:guidance_list": Route(),
    "inspections:guidance_create": Route(get=allow(*FILERS)),
    "inspections:guidance_detail": Route(kwargs=obj("guidance")),
    "inspections:guidance_follow_up": Route(
        kwargs=obj("follow_up"), get=allow(*FILERS, ok=POSTED), method="post"
    ),
    "inspections:guidance_attachment": Route(kwargs=obj("guidance_attachment")),
    "inspections:cadre_detail": Route(kwargs=lambda w, s: {"user_id": s["user"].pk}),
    # --- projects pages ---
    "projects:project_list": Route(),
    "projects:project_export": Route(),
    "projects:project_archived": Route(get=allow(*PROJECT_EDITORS)),  # those who may restore a project
    "projects:project_create": Route(get=allow(*PROJECT_EDITORS)),
    "projects:project_detail": Route(kwargs=obj("project")),
    "projects:project_update": Route(kwargs=obj("project"), get=allow(*PROJECT_EDITORS)),
    "projects:project_advance": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "projects:project_progress": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "projects:project_fast_track": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "projects:project_approvals": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "projects:project_archive": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=302), method="post"
    ),
    "projects:project_restore": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),  # not archived: the project page again with a message
    "projects:milestone_add": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "projects:milestone_done": Route(
        kwargs=obj("milestone"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "projects:funding_add": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "projects:expenditure_add": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "projects:household_list": Route(kwargs=obj("project")),
    "projects:household_export": Route(kwargs=obj("project")),
    "projects:household_create": Route(kwargs=obj("project"), get=allow(*PROJECT_EDITORS)),
    "projects:household_import": Route(kwargs=obj("project"), get=allow(*PROJECT_EDITORS)),
    "projects:household_update": Route(kwargs=obj("household"), get=allow(*PROJECT_EDITORS)),
    "projects:household_advance": Route(
        kwargs=obj("household"), get=allow(*PROJECT_EDITORS, ok=302), method="post"
    ),
    "projects:township_rollup": Route(),
    "projects:township_rollup_export": Route(),
    "projects:agent_list": Route(),
    "projects:agent_create": Route(get=allow(*AGENT_EDITORS)),
    "projects:agent_detail": Route(kwargs=lambda w, s: {"pk": w["agent"].pk}, scoped=False),
    "projects:agent_update": Route(
        kwargs=lambda w, s: {"pk": w["agent"].pk}, get=allow(*AGENT_EDITORS), scoped=False
    ),
    # --- acceptance pages (issue 17) ---
    "acceptance:plan_list": Route(),
    "acceptance:plan_propose": Route(get=allow(*ACC_PROPOSERS, ok=POSTED), method="post"),
    "acceptance:plan_confirm": Route(kwargs=obj("plan_entry"), get=allow(*CITY, ok=302), method="post"),
    "acceptance:application_list": Route(),
    "acceptance:application_create": Route(get=allow(*ACC_APPLICANTS)),
    "acceptance:application_detail": Route(kwargs=obj("application")),
    "acceptance:review_schedule": Route(
        kwargs=obj("application"), get=allow(*FILERS, ok=POSTED), method="post"
    ),
    "acceptance:application_decide": Route(
        kwargs=obj("application"), get=allow(*ACC_DECIDERS, ok=POSTED), method="post"
    ),
    "acceptance:application_recommend": Route(
        kwargs=obj("application"), get=allow(*ACC_PROPOSERS, ok=POSTED), method="post"
    ),  # not passed yet: the page again with the reason
    "acceptance:application_resubmit": Route(
        kwargs=obj("application"), get=allow(*ACC_APPLICANTS, ok=POSTED), method="post"
    ),  # not sent back: the page again with the reason
    "acceptance:spotcheck_create": Route(
        kwargs=obj("application"), get=allow(*ACC_SPOT_CHECKERS, ok=POSTED), method="post"
    ),
    "acceptance:review_score": Route(kwargs=obj("review"), get=allow(*FILERS)),  # a county-level review
    "acceptance:review_finish": Route(kwargs=obj("review"), get=allow(*FILERS, ok=302), method="post"),
    "acceptance:review_print": Route(kwargs=obj("review")),
    "acceptance:review_docx": Route(kwargs=obj("review")),
    "acceptance:readiness": Route(),
    "acceptance:readiness_export": Route(),
    "acceptance:results_print": Route(),
    "acceptance:results_docx": Route(),
    "acceptance:scheme_list": Route(),
    "acceptance:scheme_detail": Route(kwargs=obj("scheme"), scoped=False),
    "acceptance:scheme_export": Route(kwargs=obj("scheme"), scoped=False),
    "acceptance:scheme_import": Route(kwargs=obj("scheme"), get=allow(*CITY), scoped=False),
    "acceptance:expert_list": Route(),
    # --- intake pages (grid reports) ---
    "intake:event_list": Route(),
    "intake:event_detail": Route(kwargs=obj("grid_event")),
    "intake:event_accept": Route(kwargs=obj("grid_event"), get=allow(*TRIAGERS, ok=POSTED), method="post"),
    "intake:event_merge": Route(kwargs=obj("grid_event"), get=allow(*TRIAGERS, ok=POSTED), method="post"),
    "intake:event_reject": Route(kwargs=obj("grid_event"), get=allow(*TRIAGERS, ok=POSTED), method="post"),
    "intake:photo_file": Route(kwargs=lambda w, s: {"pk": s["grid_photo"].pk, "variant": "thumb"}),
    # --- standings pages ---
    "standings:ranking_list": Route(),
    "standings:refresh": Route(
        get=allow(*CITY, ok=302, others=404), method="post"
    ),  # standings keep city actions hidden
    "standings:ranking_list_export": Route(),
    "standings:ranking_detail": Route(kwargs=lambda w, s: {"period": w["ranking"].period}, scoped=False),
    "standings:ranking_export": Route(kwargs=lambda w, s: {"period": w["ranking"].period}, scoped=False),
    "standings:ranking_print": Route(kwargs=lambda w, s: {"period": w["ranking"].period}, scoped=False),
    "standings:ranking_publish": Route(
        kwargs=lambda w, s: {"period": w["ranking"].period},
        get=allow(*CITY, ok=302, others=404),
        scoped=False,
        method="post",
    ),
    "standings:warning_list": Route(),
    "standings:warning_export": Route(),
    "standings:county": Route(kwargs=county),
    # --- API ---
    "api:api-root": Route(),
    "api:token": Route(get=dict.fromkeys(SIX, 400), public=True, method="post"),
    "api:floor": Route(),
    "api:progress": Route(),
    "api:city-list": Route(),
    "api:city-detail": Route(kwargs=lambda w, s: {"pk": s.city.pk}),
    "api:county-list": Route(),
    "api:county-detail": Route(kwargs=lambda w, s: {"pk": s.county.pk}),
    "api:township-list": Route(),
    "api:township-detail": Route(kwargs=township),
    "api:track-list": Route(),
    "api:track-detail": Route(kwargs=lambda w, s: {"pk": s["target"].track_id}, scoped=False),
    "api:target-list": Route(),
    "api:target-detail": Route(kwargs=obj("target")),
    "api:progressreport-list": Route(),
    "api:progressreport-detail": Route(kwargs=obj("progress")),
    "api:notification-list": Route(),
    "api:notification-detail": Route(
        kwargs=own_notification, out=dict.fromkeys(SIX, 404)
    ),  # the caller's own
    "api:notification-mark-read": Route(get=dict.fromkeys(SIX, 200), method="post"),  # one's own inbox
    "api:notification-mark-one-read": Route(
        kwargs=own_notification, get=dict.fromkeys(SIX, 200), out=dict.fromkeys(SIX, 404), method="post"
    ),
    "api:inspection-list": Route(),
    "api:inspection-detail": Route(kwargs=obj("inspection")),
    "api:inspection-submit": Route(kwargs=obj("inspection"), get=allow(*FILERS, ok=POSTED), method="post"),
    "api:finding-list": Route(),
    "api:finding-detail": Route(kwargs=obj("finding")),
    "api:finding-archive": Route(kwargs=obj("finding"), get=allow(*FILERS, ok=POSTED), method="post"),
    "api:finding-archived": Route(get=allow(*FILERS)),  # those who may restore an item
    "api:finding-photos": Route(kwargs=obj("finding"), get=allow(*FIXERS, ok=POSTED), method="post"),
    "api:finding-chase": Route(kwargs=obj("finding"), get=allow(*CHASERS, ok=200), method="post"),
    "api:finding-reject": Route(kwargs=obj("finding"), get=allow(*FILERS, ok=POSTED), method="post"),
    "api:finding-restore": Route(kwargs=obj("finding"), get=allow(*FILERS, ok=POSTED), method="post"),
    "api:finding-submit": Route(kwargs=obj("finding"), get=allow(*FIXERS, ok=POSTED), method="post"),
    "api:finding-verify": Route(
        kwargs=obj("finding"), get=allow(*FILERS, ok=200), method="post"
    ),  # an empty note is fine
    "api:bulletin-list": Route(),
    "api:bulletin-detail": Route(kwargs=obj("bulletin")),
    "api:bulletin-docx": Route(kwargs=obj("bulletin")),
    "api:bulletin-publish": Route(
        kwargs=obj("draft_bulletin"),
        get={**allow(*CITY, ok=POSTED, others=404), **dict.fromkeys(READ_ONLY, 403)},
        method="post",
    ),
    "api:inspection-round-list": Route(),
    "api:inspection-round-detail": Route(kwargs=obj("round")),
    "api:team-list": Route(),
    "api:team-detail": Route(kwargs=obj("team")),  # a team of the user's county or city (issue 15)
    "api:yellow-card-list": Route(),
    "api:yellow-card-detail": Route(kwargs=obj("card")),
    "api:yellow-card-escalate": Route(kwargs=obj("card"), get=allow(*CITY, ok=POSTED), method="post"),
    "api:yellow-card-lift": Route(kwargs=obj("card"), get=allow(*CITY, ok=POSTED), method="post"),
    "api:yellow-card-proposal-list": Route(),
    "api:yellow-card-proposal-detail": Route(kwargs=obj("proposal")),
    "api:yellow-card-proposal-accept": Route(
        kwargs=obj("proposal"), get=allow(*CITY, ok=POSTED), method="post"
    ),
    "api:yellow-card-proposal-dismiss": Route(
        kwargs=obj("proposal"), get=allow(*CITY, ok=POSTED), method="post"
    ),
    "api:deduction-list": Route(),
    "api:deduction-detail": Route(kwargs=obj("deduction")),
    "api:deduction-confirm": Route(
        kwargs=obj("deduction"), get=allow(*DEDUCTION_DECIDERS, ok=200), method="post"
    ),
    "api:deduction-waive": Route(
        kwargs=obj("deduction"), get=allow(*DEDUCTION_DECIDERS, ok=POSTED), method="post"
    ),
    "api:project-list": Route(),
    "api:project-detail": Route(kwargs=obj("project")),
    "api:project-advance": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "api:project-households": Route(kwargs=obj("project")),
    "api:project-milestones": Route(kwargs=obj("project")),
    "api:project-progress": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "api:project-restore": Route(
        kwargs=obj("project"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),  # not archived: 400
    "api:milestone-list": Route(),
    "api:milestone-detail": Route(kwargs=obj("milestone")),
    "api:milestone-done": Route(kwargs=obj("milestone"), get=allow(*PROJECT_EDITORS, ok=200), method="post"),
    "api:household-list": Route(),
    "api:household-detail": Route(kwargs=obj("household")),
    "api:household-advance": Route(
        kwargs=obj("household"), get=allow(*PROJECT_EDITORS, ok=POSTED), method="post"
    ),
    "api:acceptance-plan-list": Route(),
    "api:acceptance-plan-detail": Route(kwargs=obj("plan_entry")),
    "api:acceptance-plan-confirm": Route(kwargs=obj("plan_entry"), get=allow(*CITY), method="post"),
    "api:acceptance-scheme-list": Route(),
    "api:acceptance-scheme-detail": Route(kwargs=obj("scheme"), scoped=False),
    "api:acceptance-application-list": Route(),
    "api:acceptance-application-detail": Route(kwargs=obj("application")),
    "api:acceptance-application-reviews": Route(kwargs=obj("application")),
    "api:acceptance-application-decide": Route(
        kwargs=obj("application"), get=allow(*ACC_DECIDERS, ok=POSTED), method="post"
    ),
    "api:acceptance-application-recommend-model": Route(
        kwargs=obj("application"), get=allow(*ACC_PROPOSERS, ok=POSTED), method="post"
    ),
    "api:acceptance-spot-check-list": Route(),
    "api:acceptance-spot-check-detail": Route(kwargs=obj("spot_check")),
    "api:expert-list": Route(),
    "api:expert-detail": Route(kwargs=lambda w, s: {"pk": w["expert"].pk}, scoped=False),
    "api:cleaner-list": Route(),
    "api:cleaner-detail": Route(kwargs=obj("cleaner")),
    "api:cleaner-rates": Route(),
    "api:guidance-visit-list": Route(),
    "api:guidance-visit-detail": Route(kwargs=obj("guidance")),
    "api:guidance-visit-by-team": Route(),
    "api:intake-event-list": Route(),
    "api:intake-event-detail": Route(kwargs=obj("grid_event")),
    "api:warning-list": Route(),
    "api:warning-detail": Route(kwargs=obj("snapshot")),
    "api:ranking-list": Route(),
    "api:ranking-detail": Route(kwargs=obj("entry")),
}


def url_names() -> set:
    """Every named URL of the project, minus the visible skip list."""
    names = set()

    def walk(resolver: URLResolver, namespace: str):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name not in SKIPPED_NAMES:
                names.add(f"{namespace}{entry.name}")

    walk(get_resolver(), "")
    return names


def test_every_url_name_is_in_the_matrix():
    missing = sorted(url_names() - MATRIX.keys())
    assert not missing, f"add these URL names to MATRIX in {__file__}: {missing}"
    stale = sorted(MATRIX.keys() - url_names())
    assert not stale, f"these MATRIX entries no longer resolve: {stale}"


def _cases():
    for name, route in MATRIX.items():
        sides = ("in", "out") if route.kwargs is not None and route.scoped else ("in",)
        for side in sides:
            for role in ROLES:
                yield pytest.param(name, role, side, id=f"{name}-{role}-{side}")


def _expected(route: Route, role: str, side: str, is_api: bool) -> int:
    if role == "anonymous":
        return 401 if is_api else 302
    if side == "out":
        if is_api and route.method == "post" and role in READ_ONLY and route.get[role] == 403:
            return 403  # the permission class refuses any write first: nothing about the object is told
        if route.out is not None:
            return route.out[role]
        return route.get[role] if role == "province" else 404
    return route.get[role]


def _path(world, name: str, route: Route, role: str, side: str) -> str:
    if route.kwargs is None:
        return reverse(name)
    builder = route.kwargs
    if builder in OWN:
        owner = role if role != "anonymous" else "province"
        return reverse(name, kwargs=builder(world, world[side], owner))
    return reverse(name, kwargs=builder(world, world[side]))


@pytest.mark.parametrize(("name", "role", "side"), list(_cases()))
def test_get(world, client, settings, name, role, side):
    settings.MEDIA_ROOT = world["media"]
    route = MATRIX[name]
    path = _path(world, name, route, role, side)
    if role != "anonymous":
        client.force_login(world["users"][role])
    is_api = path.startswith("/api/")
    response = client.post(path, {}) if route.method == "post" else client.get(path)
    if os.environ.get("MATRIX_RECORD"):
        with open(os.environ["MATRIX_RECORD"], "a") as out:
            out.write(
                json.dumps([name, role, side, response.status_code, response.get("Location", "")]) + "\n"
            )
    if role == "anonymous" and route.public:
        assert response.status_code not in (401, 403), (path, response.status_code)
        return
    expected = _expected(route, role, side, is_api)
    assert response.status_code == expected, (path, role, side, response.status_code)
    if expected == 302 and role == "anonymous":
        location = response["Location"]
        if not location.startswith(LOGIN):  # an app root redirecting to its first page
            location = client.get(location)["Location"]
        assert location.startswith(LOGIN), location


# --- a second city writes to Lishui (issue 15) ---

SECOND_CITY_ROLES = ("city_office", "county_official", "inspector", "township_staff", "api_client")
OWN_INBOX = {"notifications:mark_read", "notifications:mark_all_read", "notifications:preferences"}
OWN_INBOX |= {"api:notification-mark-read", "api:notification-mark-one-read", "logout", "api:token"}
OWN_INBOX |= {"notifications:export_rerun"}


def _write_routes():
    for name, route in MATRIX.items():
        if route.method == "post" and name not in OWN_INBOX:
            yield name


@pytest.mark.parametrize("role", SECOND_CITY_ROLES)
@pytest.mark.parametrize("name", list(_write_routes()))
def test_second_city_writes_to_lishui(world, client, settings, name, role):
    """Every write endpoint of Lishui's objects, as every role of 测试市: 404 (403: read-only API write)."""
    settings.MEDIA_ROOT = world["media"]
    route = MATRIX[name]
    path = reverse(name, kwargs=route.kwargs(world, world["in"])) if route.kwargs else reverse(name)
    client.force_login(world["second_city"][role])
    response = client.post(path, {})
    is_api = path.startswith("/api/")
    if route.kwargs is None:  # no object in the path: the role's own answer, never a 2xx on Lishui
        expected = {route.get[role]} if name != "standings:refresh" else {404}
    elif is_api and role == "api_client":
        expected = {403}  # the permission class refuses any write first: nothing about the object is told
    else:
        expected = {404}
    assert response.status_code in expected, (path, role, response.status_code)


CREATES = {
    # page or API create endpoint -> the form/body naming Lishui's objects
    "/inspections/new/": lambda w: {
        "township": w["in"].township.pk,
        "round": w["in"]["round"].pk,
        "team": w["in"]["team"].pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
    },
    "/inspections/bulletins/new/": lambda w: {"round": w["in"]["round"].pk, "title": "通报"},
    "/inspections/yellow-cards/new/": lambda w: {"township": w["in"].township.pk, "reason": "滞后"},
    "/inspections/secretary/new/": lambda w: {
        "township": w["in"].township.pk,
        "description": "交办",
        "assigning_leader": "王书记",
        "promised_date": "2030-01-01",
        "responsible_person": "刘某",
    },
    "/projects/new/": lambda w: {
        "township": w["in"].township.pk,
        "name": "越权项目",
        "budget": "1000",
        "procurement_mode": "open_tender",
    },
    "/api/v1/inspections/": lambda w: {
        "township": w["in"].township.pk,
        "inspected_on": "2026-11-20",
        "mode": "open",
        "round": w["in"]["round"].pk,
        "team": w["in"]["team"].pk,
    },
    "/api/v1/acceptance-applications/": lambda w: {
        "township": w["in"].township.pk,
        "year": 2026,
        "round": "mid_year",
        "self_score": "90",
    },
    "/api/v1/acceptance-plans/": lambda w: {"township": w["in"].township.pk, "year": 2027},
    "/api/v1/acceptance-spot-checks/": lambda w: {
        "application": w["in"]["application"].pk,
        "checked_on": "2026-11-01",
        "passed": False,
        "note": "越权",
    },
    "/api/v1/yellow-cards/": lambda w: {
        "township": w["in"].township.pk,
        "reason": "滞后",
        "finding_ids": [w["in"]["finding"].pk],
    },
}


@pytest.mark.parametrize("role", SECOND_CITY_ROLES)
@pytest.mark.parametrize("path", list(CREATES))
def test_second_city_cannot_create_in_lishui(world, client, path, role):
    """A create naming Lishui's township, round, team or items: refused (400/403), nothing created."""
    from acceptance.models import Application, PlanEntry, SpotCheck
    from inspections.models import Bulletin, Inspection, YellowCard
    from projects.models import Project

    models = (Inspection, Bulletin, YellowCard, Project, Application, PlanEntry, SpotCheck)
    before = [m.objects.count() for m in models]
    client.force_login(world["second_city"][role])
    body = CREATES[path](world)
    if path.startswith("/api/"):
        response = client.post(path, json.dumps(body), content_type="application/json")
    else:
        response = client.post(path, body)
    if response.status_code == 200:  # projects' forms re-render an invalid form with 200
        assert "township" in response.context["form"].errors, (path, role)
    else:
        assert response.status_code in (400, 403), (path, role, response.status_code)
    assert [m.objects.count() for m in models] == before
