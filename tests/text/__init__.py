"""The text modules at the top of articles/: markdown, tag parsing and mentions."""
