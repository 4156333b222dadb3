"""`reprise keys ...`: encryption keys and the email look-up index."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.observatory import rebuild_summary


def _keys_rotate(args: argparse.Namespace) -> int:
    from app.db import get_engine
    from app.security.crypto import get_keyring
    from app.security.rotation import rotate

    keyring = get_keyring()
    report = rotate(get_engine(), keyring)
    for column, count in report.rewritten.items():
        if count:
            print(f"{column}\t{count}")
    print(f"{report.total} value(s) re-encrypted under key {keyring.current_id}")
    return 0


def _keys_reindex(args: argparse.Namespace) -> int:
    from app.db import get_engine
    from app.security.rotation import reindex_emails

    changed = reindex_emails(get_engine())
    print(f"{changed} account(s) re-indexed under the current secret key")
    # The observatory's keyed hashes too: otherwise a request tracked after the change is
    # counted under a new hash, and one person counts as two.
    rebuild_summary()
    return 0


def add_commands(commands: Any) -> None:
    keys = commands.add_parser("keys", help="encryption keys").add_subparsers(
        dest="keys_command", required=True
    )
    keys.add_parser("rotate", help="re-encrypt personal data under the newest key").set_defaults(
        func=_keys_rotate
    )
    keys.add_parser(
        "reindex",
        help="recompute the email look-up index and the observatory's keyed hashes after "
        "REPRISE_SECRET_KEY changed",
    ).set_defaults(func=_keys_reindex)
