"""What readers and machines get: pages, filters, drafts kept out, feeds, sitemap, SEO, the API and caching."""
