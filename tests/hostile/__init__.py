"""Hostile input: parameters, fields, requests, unicode and uploads, and what the tests look for."""
