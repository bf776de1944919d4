"""City profiles: their pages, the figures CSV, indicators by year and comparisons."""
