"""search: synonyms, best bets, query log, clicks, matter page views

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-23 15:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_synonyms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terms', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_synonyms'))
    )
    op.create_table('search_best_bets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=100), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('comment', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_search_best_bets_matter_id_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_best_bets')),
    sa.UniqueConstraint('query', 'matter_id', name='uq_search_best_bets_query_matter')
    )
    with op.batch_alter_table('search_best_bets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_best_bets_query'), ['query'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_best_bets_matter_id'), ['matter_id'], unique=False)

    op.create_table('search_query_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('query', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=True),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('results', sa.Integer(), nullable=False),
    sa.Column('took_ms', sa.Integer(), nullable=True),
    sa.Column('degraded', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_query_log'))
    )
    with op.batch_alter_table('search_query_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_query_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_query_log_query'), ['query'], unique=False)

    op.create_table('search_clicks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('query_log_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['query_log_id'], ['search_query_log.id'], name=op.f('fk_search_clicks_query_log_id_search_query_log'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_clicks'))
    )
    with op.batch_alter_table('search_clicks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_clicks_query_log_id'), ['query_log_id'], unique=False)

    op.create_table('matter_page_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('matter_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'], name=op.f('fk_matter_page_views_matter_id_matters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matter_page_views')),
    sa.UniqueConstraint('matter_id', 'day', name='uq_matter_page_views_matter_day')
    )
    with op.batch_alter_table('matter_page_views', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matter_page_views_matter_id'), ['matter_id'], unique=False)


def downgrade():
    op.drop_table('matter_page_views')
    op.drop_table('search_clicks')
    op.drop_table('search_query_log')
    op.drop_table('search_best_bets')
    op.drop_table('search_synonyms')
