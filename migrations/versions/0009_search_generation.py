"""search generation: one counter of changes to what searches answer

Shared /search pages are kept while it stays put, instead of for one second.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 18:10:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'search_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_generation')),
    )
    op.bulk_insert(table, [{'id': 1, 'value': 0, 'changed_at': datetime.now(UTC).replace(tzinfo=None)}])


def downgrade():
    op.drop_table('search_generation')
