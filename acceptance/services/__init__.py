"""Writes for acceptance, one module per part: plans, applications, reviews, outcomes; roles (who may
act) and status (the one place the township status changes) under them.

Views, the API and commands import the function they call from its module; nothing else writes.
"""
