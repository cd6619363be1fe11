"""The inspections domain (DESIGN.md §3): teams and rounds, inspections, findings with their
photos and timeline, bulletins; yellow cards and deductions live in cards.py."""

from .bulletins import Bulletin
from .cards import Deduction, YellowCard, YellowCardEvent, YellowCardProposal
from .findings import Finding, FindingEvent, FindingPhoto
from .inspections import Inspection
from .teams import InspectionRound, Team

__all__ = [
    "Bulletin",
    "Deduction",
    "Finding",
    "FindingEvent",
    "FindingPhoto",
    "Inspection",
    "InspectionRound",
    "Team",
    "YellowCard",
    "YellowCardEvent",
    "YellowCardProposal",
]
