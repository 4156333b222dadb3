"""Pack jobs: packs of letters made in the background, with their progress and file

Revision ID: 8520f69199b4
Revises: 97ccf6346d27
Create Date: 2026-12-05 05:28:25.486249
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "8520f69199b4"
down_revision: str | Sequence[str] | None = "97ccf6346d27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pack_job",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("result", sa.LargeBinary(), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["web_session.id"],
            name=op.f("fk_pack_job_session_id_web_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_pack_job_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_job")),
    )
    with op.batch_alter_table("pack_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pack_job_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_job_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_job_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_job_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_pack_job_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pack_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_job_user_id"))
        batch_op.drop_index(batch_op.f("ix_pack_job_state"))
        batch_op.drop_index(batch_op.f("ix_pack_job_session_id"))
        batch_op.drop_index(batch_op.f("ix_pack_job_expires_at"))
        batch_op.drop_index(batch_op.f("ix_pack_job_created_at"))

    op.drop_table("pack_job")
