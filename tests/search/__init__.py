"""Search: the index, ranking and the relevance set (articles/search/)."""
