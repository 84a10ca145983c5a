"""sso sessions: portal sign-ins tied to their Keycloak sessions

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sso_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("keycloak_session_id", sa.String(length=64), nullable=True),
        sa.Column("id_token", sa.Text(), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=False),
        sa.Column("access_token_expires_at", sa.DateTime(), nullable=False),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_sso_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_sessions")),
    )
    with op.batch_alter_table("sso_sessions") as batch_op:
        batch_op.create_index(batch_op.f("ix_sso_sessions_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sso_sessions_subject"), ["subject"], unique=False)
        batch_op.create_index(batch_op.f("ix_sso_sessions_keycloak_session_id"), ["keycloak_session_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_sso_sessions_ended_at"), ["ended_at"], unique=False)


def downgrade():
    op.drop_table("sso_sessions")
