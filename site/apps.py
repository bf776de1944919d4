from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin with our site (siteconf.admin): sign-in with a second factor."""

    default_site = "siteconf.admin.SiteAdmin"
