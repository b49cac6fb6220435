"""Tools run by hand or by `make` (not part of the site, not collected by pytest)."""
