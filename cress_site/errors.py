"""What an error report (the e-mail to ADMINS, a logged traceback) may say about the request.

Django's `SafeExceptionReporterFilter` hides settings and variables whose names look secret, and
the POST fields of views marked `@sensitive_post_parameters`. The site's forms (registrations,
form pages, the data-erasure form) carry names, e-mail addresses and messages: every submitted
field is hidden, on every view, so that no report copies them into a mailbox or a log (the
plain-text report the site mails, `include_html: False`, shows no local variables). Field names
stay, to tell which form failed.
"""

from django.views.debug import SafeExceptionReporterFilter


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)
