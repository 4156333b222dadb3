"""Outgoing email (SMTP, or .eml files in development)."""
