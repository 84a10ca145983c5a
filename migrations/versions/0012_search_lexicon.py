"""search lexicon: colloquial terms (俗称) → official terms, edited by administrators

Revision ID: 0012
Revises: 0017
Create Date: 2026-12-01 12:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_lexicon',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=50), nullable=False),
        sa.Column('officials', sa.Text(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.Column('enabled', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_lexicon')),
        sa.UniqueConstraint('term', name=op.f('uq_search_lexicon_term')),
    )


def downgrade():
    op.drop_table('search_lexicon')
