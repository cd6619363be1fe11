"""Pages of the inspections app, one module per part; urls.py imports each module."""
