"""The site's own date formats (FORMAT_MODULE_PATH): only what differs from Django's."""
