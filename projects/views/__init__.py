"""Pages of the projects app, one module per part; urls.py imports each module."""
