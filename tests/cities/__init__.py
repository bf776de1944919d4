"""City pages, figures and their CSV, indicators, comparison and organisations (articles/cities/)."""
