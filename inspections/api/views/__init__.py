"""The inspections API's viewsets, one module per resource (routes in ..urls)."""
