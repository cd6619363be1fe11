"""Pages of 考核验收, one module per part; urls.py imports each module."""
