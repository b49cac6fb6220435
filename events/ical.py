"""iCalendar output (being written)."""
