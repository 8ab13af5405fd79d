"""Number and date formats for the UI languages (Django's ``FORMAT_MODULE_PATH``)."""
