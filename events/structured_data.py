"""schema.org Event data for an event's dates, for search engines."""

from django.utils import timezone

from wagtail.images.models import SourceImageIOError

from events.choices import ORGANISER, AttendanceMode, EventStatus

ATTENDANCE = {
    AttendanceMode.OFFLINE: "https://schema.org/OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    AttendanceMode.MIXED: "https://schema.org/MixedEventAttendanceMode",
}


def event_status(page, occurrence):
    if occurrence.is_cancelled:
        return "https://schema.org/EventCancelled"
    if page.status == EventStatus.POSTPONED:
        return "https://schema.org/EventPostponed"
    if occurrence.moved:
        return "https://schema.org/EventRescheduled"
    return "https://schema.org/EventScheduled"


def location(page, request):
    places = []
    if page.attendance_mode != AttendanceMode.ONLINE:
        place = {"@type": "Place", "name": page.venue_name or page.city or "Normandie"}
        address = {"@type": "PostalAddress", "addressRegion": "Normandie", "addressCountry": "FR"}
        if page.venue_street:
            address["streetAddress"] = page.venue_street
        if page.venue_postcode:
            address["postalCode"] = page.venue_postcode
        if page.city:
            address["addressLocality"] = page.city
        place["address"] = address
        places.append(place)
    if page.attendance_mode != AttendanceMode.OFFLINE:
        # The connection link goes to registrants only when people register.
        url = page.online_url if page.online_url and not page.registration_enabled else None
        places.append({"@type": "VirtualLocation", "url": url or page.get_full_url(request)})
    return places[0] if len(places) == 1 else places


def event_json_ld(page, request, occurrences):
    url = page.get_full_url(request)
    organizers = [{"@type": "Organization", "name": name} for name in page.organiser_names()]
    if organizers and organizers[0]["name"] == ORGANISER:
        organizers[0]["url"] = request.build_absolute_uri("/")
    events = []
    for occurrence in occurrences:
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": page.title,
            "description": page.summary,
            "url": url,
            "inLanguage": "fr",
            "startDate": _date(page, occurrence.start),
            "endDate": _date(page, occurrence.end),
            "eventStatus": event_status(page, occurrence),
            "eventAttendanceMode": ATTENDANCE[page.attendance_mode],
            "location": location(page, request),
            "organizer": organizers[0] if len(organizers) == 1 else organizers,
        }
        if occurrence.moved:
            data["previousStartDate"] = occurrence.original_date.isoformat()
        if page.registration_enabled:
            offer = {
                "@type": "Offer",
                "price": "0",
                "priceCurrency": "EUR",
                "url": request.build_absolute_uri(page.url + "inscription/"),
                "availability": "https://schema.org/SoldOut"
                if occurrence.is_full
                else "https://schema.org/InStock",
            }
            data["offers"] = offer
            data["isAccessibleForFree"] = True
        image = page.get_social_image()
        if image is not None:
            try:
                rendition = image.get_rendition("fill-1200x630|format-jpeg")
            except SourceImageIOError:  # an image no rendition can be made of: none given
                pass
            else:
                data["image"] = request.build_absolute_uri(rendition.url)
        events.append(data)
    return events


def _date(page, value):
    local = timezone.localtime(value)
    return local.date().isoformat() if page.all_day else local.isoformat()
