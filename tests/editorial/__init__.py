"""Editorial tools: revisions, preview, tag care and cover images (articles/editorial/)."""
