"""Proceedings (sealed content and events, plain status and dates for the dashboard and the
reminder scan), letters linked to them, tracking preferences and personal API tokens.

Revision ID: f8ad6213f384
Revises: 282f8113b779
Create Date: 2026-11-28 16:37:14.038791
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "f8ad6213f384"
down_revision: str | Sequence[str] | None = "282f8113b779"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("label_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "tracking_preference",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("reminders", sa.Boolean(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("feed_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("feed_names", sa.Boolean(), nullable=False),
        sa.Column("feed_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_tracking_preference_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_tracking_preference")),
        sa.UniqueConstraint("feed_token_hash", name=op.f("uq_tracking_preference_feed_token_hash")),
    )
    op.create_table(
        "proceeding",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("next_reminder_on", sa.Date(), nullable=True),
        sa.Column("next_reminder", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
        sa.Column("content_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("events_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_proceeding_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["patient_file.id"],
            name=op.f("fk_proceeding_file_id_patient_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proceeding")),
    )
    with op.batch_alter_table("proceeding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_proceeding_closed_at"), ["closed_at"], unique=False)
        batch_op.create_index(
            "ix_proceeding_file_status_due", ["file_id", "status", "due_on"], unique=False
        )
        batch_op.create_index(
            "ix_proceeding_next_reminder", ["next_reminder_on", "status"], unique=False
        )

    with op.batch_alter_table("stored_letter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("proceeding_id", sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_stored_letter_proceeding_id"), ["proceeding_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_stored_letter_proceeding_id_proceeding"),
            "proceeding",
            ["proceeding_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("stored_letter", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_stored_letter_proceeding_id_proceeding"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_stored_letter_proceeding_id"))
        batch_op.drop_column("proceeding_id")

    with op.batch_alter_table("proceeding", schema=None) as batch_op:
        batch_op.drop_index("ix_proceeding_next_reminder")
        batch_op.drop_index("ix_proceeding_file_status_due")
        batch_op.drop_index(batch_op.f("ix_proceeding_closed_at"))

    op.drop_table("proceeding")
    op.drop_table("tracking_preference")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
