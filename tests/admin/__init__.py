"""The admin: the article, city and tag admins, roles, atomic saves and no lost edits (articles/admin/)."""
