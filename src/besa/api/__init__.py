"""The JSON API (django-ninja), mounted at ``/api/``.

Routers are thin: they parse the request, call one domain function and render its result.
Scoping goes through ``Contract.objects.visible_to`` / ``writable_by`` and writes through
``besa.logbook.append``; no business rule lives here. The OpenAPI document is served at
``/api/openapi.json`` and the interactive docs at ``/api/docs``.
"""
