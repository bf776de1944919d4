"""The site's configuration (site/): settings, security, health, and the database or logins misbehaving."""
