"""A member's objection to the observatory's figures, recorded on their file by an association.

Revision ID: 3f0b6c2d9e41
Revises: 8520f69199b4
Create Date: 2026-12-05 08:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f0b6c2d9e41"
down_revision: str | Sequence[str] | None = "8520f69199b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient_file", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("observatory_objected_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("patient_file", schema=None) as batch_op:
        batch_op.drop_column("observatory_objected_at")
