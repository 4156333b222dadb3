"""Accounts, throttling, associations, patient files, mandates, audit trail, stored letters, jobs.

Revision ID: 282f8113b779
Revises: 659b300b0031
Create Date: 2026-11-28 15:38:07.540233
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "282f8113b779"
down_revision: str | Sequence[str] | None = "659b300b0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "association",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_association")),
    )
    op.create_table(
        "job",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("due", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("run_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
        sa.UniqueConstraint("kind", "subject", "due", name="uq_job_kind_subject_due"),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_done_at"), ["done_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_run_after"), ["run_after"], unique=False)

    op.create_table(
        "throttle_hit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bucket", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_throttle_hit")),
    )
    with op.batch_alter_table("throttle_hit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_throttle_hit_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_throttle_hit_key_hash"), ["key_hash"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email_index", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("email_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("name_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purge_warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email_index", name=op.f("uq_user_account_email_index")),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_account_last_active_at"), ["last_active_at"], unique=False
        )

    op.create_table(
        "account_token",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_account_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_token_token_hash")),
    )
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_token_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_account_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "patient_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("association_id", sa.Uuid(), nullable=True),
        sa.Column("identity_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("platforms_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("notes_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("consent_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_patient_file_association_id_association"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_patient_file_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_patient_file_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_file")),
    )
    with op.batch_alter_table("patient_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_file_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patient_file_created_by"), ["created_by"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_patient_file_user_id"), ["user_id"], unique=False)

    op.create_table(
        "staff_role",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("association_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_staff_role_association_id_association"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_staff_role_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_role")),
        sa.UniqueConstraint("user_id", name=op.f("uq_staff_role_user_id")),
    )
    with op.batch_alter_table("staff_role", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_role_association_id"), ["association_id"], unique=False
        )

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("detail_sealed", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["user_account.id"],
            name=op.f("fk_audit_entry_actor_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["patient_file.id"],
            name=op.f("fk_audit_entry_file_id_patient_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_entry_actor_user_id"), ["actor_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_file_id"), ["file_id"], unique=False)

    op.create_table(
        "invitation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("association_id", sa.Uuid(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=True),
        sa.Column("email_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_invitation_association_id_association"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["patient_file.id"],
            name=op.f("fk_invitation_file_id_patient_file"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["user_account.id"],
            name=op.f("fk_invitation_invited_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitation_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_invitation_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitation_file_id"), ["file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invitation_invited_by"), ["invited_by"], unique=False)

    op.create_table(
        "mandate",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("agent_user_id", sa.Uuid(), nullable=True),
        sa.Column("scope_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_user_id"],
            ["user_account.id"],
            name=op.f("fk_mandate_agent_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_mandate_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["patient_file.id"],
            name=op.f("fk_mandate_file_id_patient_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mandate")),
    )
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mandate_agent_user_id"), ["agent_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mandate_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_mandate_file_id"), ["file_id"], unique=False)

    op.create_table(
        "stored_letter",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("content_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_stored_letter_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["patient_file.id"],
            name=op.f("fk_stored_letter_file_id_patient_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_letter")),
    )
    with op.batch_alter_table("stored_letter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stored_letter_created_by"), ["created_by"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stored_letter_file_id"), ["file_id"], unique=False)

    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_web_session_user_id"), ["user_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_web_session_user_id_user_account"),
            "user_account",
            ["user_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_web_session_user_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_web_session_user_id"))
        batch_op.drop_column("signed_in_at")
        batch_op.drop_column("user_id")

    with op.batch_alter_table("stored_letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_letter_file_id"))
        batch_op.drop_index(batch_op.f("ix_stored_letter_created_by"))

    op.drop_table("stored_letter")
    with op.batch_alter_table("mandate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mandate_file_id"))
        batch_op.drop_index(batch_op.f("ix_mandate_created_by"))
        batch_op.drop_index(batch_op.f("ix_mandate_agent_user_id"))

    op.drop_table("mandate")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_invited_by"))
        batch_op.drop_index(batch_op.f("ix_invitation_file_id"))
        batch_op.drop_index(batch_op.f("ix_invitation_expires_at"))
        batch_op.drop_index(batch_op.f("ix_invitation_association_id"))

    op.drop_table("invitation")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_file_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_actor_user_id"))

    op.drop_table("audit_entry")
    with op.batch_alter_table("staff_role", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_role_association_id"))

    op.drop_table("staff_role")
    with op.batch_alter_table("patient_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_file_user_id"))
        batch_op.drop_index(batch_op.f("ix_patient_file_created_by"))
        batch_op.drop_index(batch_op.f("ix_patient_file_association_id"))

    op.drop_table("patient_file")
    with op.batch_alter_table("account_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_token_user_id"))
        batch_op.drop_index(batch_op.f("ix_account_token_expires_at"))

    op.drop_table("account_token")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_last_active_at"))

    op.drop_table("user_account")
    with op.batch_alter_table("throttle_hit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_throttle_hit_key_hash"))
        batch_op.drop_index(batch_op.f("ix_throttle_hit_at"))

    op.drop_table("throttle_hit")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_run_after"))
        batch_op.drop_index(batch_op.f("ix_job_done_at"))

    op.drop_table("job")
    op.drop_table("association")
