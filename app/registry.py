"""What registers privacy hooks and job kinds, in one list.

A feature with personal data registers a `PersonalData` hook (app.privacy.personal_data.register);
a feature with background work registers a `JobKind` (app.jobs.runner.register_kind); a feature
that follows a member file to its owner's account registers `on_file_linked`
(app.organisations.invitations). Each happens
when the feature's module is imported: `register_all()` imports each module of REGISTERING,
once, from the app factory and from the command line. tests/unit/registry/test_registry.py fails
when a module registers something and is not in the list.
"""

from __future__ import annotations

import importlib

# In this order: the observatory's rows are exported, erased and purged after the requests.
REGISTERING: tuple[str, ...] = (
    "app.privacy.personal_data",  # the account itself (hook "account")
    "app.proceedings.privacy",  # tracked requests (hook "tracking")
    "app.observatory.privacy",  # the observatory's rows (hook "observatory")
    "app.observatory.published",  # job: publishing the observatory's figures
    "app.privacy.purges",  # jobs: expired rows, inactive accounts
    "app.proceedings.reminders",  # job: reminders of deadlines
    "app.proceedings.observatory_objection",  # a member's recorded objection follows the file
)


def register_all() -> None:
    """Register every privacy hook and job kind (importing a module twice does nothing)."""
    for module in REGISTERING:
        importlib.import_module(module)
