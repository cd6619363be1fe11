"""The inspections domain (DESIGN.md §3): teams and rounds, inspections, findings with their
photos and timeline, bulletins; yellow cards and deductions live in cards.py, specialist guidance visits in guidance.py."""

from .bulletins import Bulletin
from .cards import Deduction, YellowCard, YellowCardEvent, YellowCardProposal
from .findings import Finding, FindingEvent, FindingPhoto
from .guidance import GuidanceAttachment, GuidanceFollowUp, GuidanceVisit
from .inspections import Inspection
from .teams import InspectionRound, Team

__all__ = [
    "Bulletin",
    "Deduction",
    "Finding",
    "FindingEvent",
    "FindingPhoto",
    "GuidanceAttachment",
    "GuidanceFollowUp",
    "GuidanceVisit",
    "Inspection",
    "InspectionRound",
    "Team",
    "YellowCard",
    "YellowCardEvent",
    "YellowCardProposal",
]
