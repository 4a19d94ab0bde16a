"""One module per resource: handlers ``(forum, req, **url_values) -> Reply`` and the ``ROUTES`` that reach them."""
