"""`reprise keys rotate`: re-encrypt every sealed cell under the newest key of the keyring.

Sealed columns are found through their `sealed` flag (app.models.base.sealed_column), so a
feature's new tables are rotated without changes here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Column, Table, select, update
from sqlalchemy.engine import Engine

from app.models import SQLModel
from app.security.crypto import Keyring

BATCH = 500


def sealed_columns() -> list[tuple[Table, Column]]:  # type: ignore[type-arg]
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if column.info.get("sealed"):
                found.append((table, column))
    return found


@dataclass
class RotationReport:
    rewritten: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rewritten.values())


def rotate(engine: Engine, keyring: Keyring) -> RotationReport:
    """Re-seal, batch by batch, every cell not sealed by the newest key; idempotent."""
    from app.security.crypto import context_for

    report = RotationReport()
    for table, column in sealed_columns():
        key = f"{table.name}.{column.name}"
        count = 0
        with engine.connect() as connection:
            rows = connection.execute(select(table.c.id, column).where(column.is_not(None))).all()
        pending = [
            (row_id, blob)
            for row_id, blob in rows
            if blob and keyring.key_id_of(bytes(blob)) != keyring.current_id
        ]
        for start in range(0, len(pending), BATCH):
            with engine.begin() as connection:
                for row_id, blob in pending[start : start + BATCH]:
                    context = context_for(table.name, column.name, row_id)
                    plain = keyring.decrypt(bytes(blob), context)
                    connection.execute(
                        update(table)
                        .where(table.c.id == row_id, column == blob)
                        .values({column.name: keyring.encrypt(plain, context)})
                    )
                    count += 1
        report.rewritten[key] = count
    return report


def reindex_emails(engine: Engine) -> int:
    """Recompute every account's email blind index under the current secret key (after
    REPRISE_SECRET_KEY changed, accounts are found again); returns how many changed."""
    from sqlmodel import Session
    from sqlmodel import select as select_rows

    from app.models.account import User
    from app.security.fields import email_index, unseal

    changed = 0
    with Session(engine) as db:
        for user in db.exec(select_rows(User)).all():
            index = email_index(str(unseal(user, "email_sealed")))
            if user.email_index != index:
                user.email_index = index
                db.add(user)
                changed += 1
        db.commit()
    return changed
