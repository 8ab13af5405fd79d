"""WSGI entry point (used by ``besa serve`` and by any WSGI server)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from besa.cli.startup import check_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "besa.settings")
application = get_wsgi_application()
check_production(settings)
