"""Health establishments from the FINESS registry, and the record of each import.

Revision ID: 659b300b0031
Revises: 013ec83bed8f
Create Date: 2026-11-28 15:34:06.207364
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "659b300b0031"
down_revision: str | Sequence[str] | None = "013ec83bed8f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "establishment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("finess", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
        sa.Column("finess_ej", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("long_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("complement", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("distribution", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("street", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=True),
        sa.Column("locality", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("postal_code", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("town", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("department_name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("category_code", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("category_label", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("aggregate_code", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("aggregate_label", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("siret", sqlmodel.sql.sqltypes.AutoString(length=14), nullable=True),
        sa.Column("public_status", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("updated_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishment")),
        sa.UniqueConstraint("finess", name=op.f("uq_establishment_finess")),
    )
    op.create_table(
        "finess_import",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("extracted_on", sa.Date(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finess_import")),
    )
    with op.batch_alter_table("finess_import", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finess_import_imported_at"), ["imported_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("finess_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finess_import_imported_at"))

    op.drop_table("finess_import")
    op.drop_table("establishment")
