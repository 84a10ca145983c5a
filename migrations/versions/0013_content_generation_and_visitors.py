"""content generation, and link-throughs counted by distinct visitors without staff

The content generation moves with every committed change to what public pages show; shared
anonymous pages are kept while it stays put. Link-throughs keep a daily keyed hash of the visitor
(never the address) and whether staff clicked, so 热门事项 needs several distinct visitors.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 13:00:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'content_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0, 'changed_at': datetime.now(UTC).replace(tzinfo=None)}])
    with op.batch_alter_table('link_throughs') as batch_op:
        batch_op.add_column(sa.Column('visitor', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('by_staff', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('link_throughs') as batch_op:
        batch_op.drop_column('by_staff')
        batch_op.drop_column('visitor')
    op.drop_table('content_generation')
