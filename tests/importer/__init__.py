"""Article import: the cleaning, the admin page and the command (articles/importer/)."""
