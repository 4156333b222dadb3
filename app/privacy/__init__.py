"""Reprise's own GDPR practice: what each feature holds on a person, exported, erased and
purged on time."""
