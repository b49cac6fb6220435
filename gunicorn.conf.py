"""gunicorn's settings for the site, read from the working directory when gunicorn starts there
(`gunicorn cress_site.wsgi`); options given on the command line win.

- The `Server` header does not name the application server and its version: gunicorn has no
  setting for it and writes `Server: gunicorn` from a module constant, `gunicorn.http.wsgi.SERVER`,
  which is replaced here, before any worker starts (the approach gunicorn's maintainers point
  to). A front server in front of the site sets its own header anyway.
- An access log, when one is asked for (`--access-logfile -`), records the path without its
  query string: what a person searched or filtered is nobody's business in a log file.
- Each worker, once it has loaded the site, starts getting the search's vocabulary in a thread
  (search.vocabulary.prepare_in_background: read from the shared cache, or built by one worker
  while the others wait), rather than leave it to the first search.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "cress"

access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def post_worker_init(worker):
    from django.apps import apps

    if not apps.ready:  # another WSGI application than the site's (the tests' bare one)
        return
    from search.vocabulary import prepare_in_background

    prepare_in_background()
