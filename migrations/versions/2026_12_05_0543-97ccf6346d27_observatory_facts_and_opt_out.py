"""The observatory: a summary row per tracked request (dates and outcomes only, under keyed
hashes, the recipient sealed), the published cells and their date, and each person's choice
to leave the figures (on by default).

Revision ID: 97ccf6346d27
Revises: 5c3a1e9d7b21
Create Date: 2026-12-05 05:43:52.931935
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "97ccf6346d27"
down_revision: str | Sequence[str] | None = "5c3a1e9d7b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "observatory_cell",
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("right", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("incomplete", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("reminded", sa.Integer(), nullable=False),
        sa.Column("complaint", sa.Integer(), nullable=False),
        sa.Column("unanswered", sa.Integer(), nullable=False),
        sa.Column("median_days", sa.Integer(), nullable=True),
        sa.Column("p90_days", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("organisation", "right", "year", name=op.f("pk_observatory_cell")),
    )
    op.create_table(
        "observatory_fact",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("association", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("recipient_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("right", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("counted_from", sa.Date(), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answer_days", sa.Integer(), nullable=True),
        sa.Column("incomplete_on", sa.Date(), nullable=True),
        sa.Column("refused_on", sa.Date(), nullable=True),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("complaint_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observatory_fact")),
    )
    with op.batch_alter_table("observatory_fact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_observatory_fact_association"), ["association"], unique=False
        )
        batch_op.create_index(
            "ix_observatory_fact_counted", ["counted_from", "organisation", "right"], unique=False
        )
        batch_op.create_index(
            "ix_observatory_fact_organisation", ["organisation", "counted_from"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_observatory_fact_person"), ["person"], unique=False)

    op.create_table(
        "observatory_publication",
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_observatory_publication")),
    )
    with op.batch_alter_table("tracking_preference", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("observatory", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("tracking_preference", schema=None) as batch_op:
        batch_op.drop_column("observatory")

    op.drop_table("observatory_publication")
    with op.batch_alter_table("observatory_fact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observatory_fact_person"))
        batch_op.drop_index("ix_observatory_fact_organisation")
        batch_op.drop_index("ix_observatory_fact_counted")
        batch_op.drop_index(batch_op.f("ix_observatory_fact_association"))

    op.drop_table("observatory_fact")
    op.drop_table("observatory_cell")
