"""Writes for projects, one module per part: projects (with milestones), money, households, agents.

Views, the API, commands and the admin import the function they call from its module; nothing else saves
these models.
"""
