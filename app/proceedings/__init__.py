"""Proceedings: one exercise of one right toward one platform, its events, deadlines, next steps."""
