"""Writes for inspections, one module per part: findings, bulletins, cards, secretary.

Views, the API, commands and tasks import the function they call from its module; nothing else writes.
"""
