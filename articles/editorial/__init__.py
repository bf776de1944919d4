"""The newsroom's tools: revisions, previews, tag care, old URLs and cover images."""
