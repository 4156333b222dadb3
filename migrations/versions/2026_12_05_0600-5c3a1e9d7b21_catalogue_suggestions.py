"""Addresses suggested for the catalogue by the people who use it.

Revision ID: 5c3a1e9d7b21
Revises: f8ad6213f384
Create Date: 2026-12-05 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5c3a1e9d7b21"
down_revision: str | Sequence[str] | None = "f8ad6213f384"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_suggestion",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform_slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_suggestion")),
    )
    with op.batch_alter_table("catalogue_suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalogue_suggestion_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_catalogue_suggestion_platform_slug"), ["platform_slug"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("catalogue_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_suggestion_platform_slug"))
        batch_op.drop_index(batch_op.f("ix_catalogue_suggestion_created_at"))

    op.drop_table("catalogue_suggestion")
