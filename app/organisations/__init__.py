"""Associations, their staff, members' files, mandates and the audit trail."""
