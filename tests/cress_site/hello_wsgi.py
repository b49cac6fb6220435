"""A WSGI application that says hello: gunicorn's own behaviour, tested without the site."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"bonjour"]
