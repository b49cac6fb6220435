"""What an event's venue fields show: "Maison des associations, Caen", its address lines."""

from cress_site.models import Territory
from events.choices import AttendanceMode


class VenueLabels:
    """For `EventPage`, whose fields `attendance_mode`, `venue_name`, `venue_street`,
    `venue_postcode`, `venue_city` and `territory` it reads."""

    @property
    def place_label(self):
        """ "Maison des associations, Caen" or "En ligne"."""
        if self.attendance_mode == AttendanceMode.ONLINE:
            return "En ligne"
        parts = [self.venue_name, self.city]
        label = ", ".join(part for part in parts if part)
        if self.attendance_mode == AttendanceMode.MIXED:
            label = f"{label} et en ligne" if label else "En ligne"
        return label

    @property
    def city(self):
        if self.venue_city:
            return self.venue_city
        if self.territory_id and self.territory.kind == Territory.Kind.COMMUNE:
            return self.territory.name
        return ""

    @property
    def address_lines(self):
        lines = [self.venue_name, self.venue_street]
        locality = " ".join(part for part in [self.venue_postcode, self.city] if part)
        lines.append(locality)
        return [line for line in lines if line]
