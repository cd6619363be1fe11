"""Writes for notifications, one module per part: notices (a person's notices, created once ever,
one by one or a ladder rung's chunk at a time), mail (each notice's e-mail: queued, claimed, sent),
inbox (read marks and the person's preferences) and texts (the ladder's wording).

Scans, views, the API and the tasks import the function they call from its module; nothing else
writes these rows.
"""
