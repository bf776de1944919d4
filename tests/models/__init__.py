"""The models: slugs, the published() queryset, scheduling and migrations (articles/models/)."""
