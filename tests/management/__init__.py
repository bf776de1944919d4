"""Management commands of the app as a whole: demo data, the demo admin, orphaned tags."""
