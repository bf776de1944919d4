"""Project configuration.

The folder is called site/, but Python's standard library already owns the module name
`site`, so pyproject.toml installs this folder under the import name `siteconf`
(`pip install -e .`, a line of requirements.txt). Use `siteconf.settings`,
`siteconf.urls` and `gunicorn siteconf.wsgi`.
"""
