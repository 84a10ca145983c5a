"""search clicks: keyed by the query's words and tab instead of a query log row

The query log is written in batches off the request path, so a results page has no log row id
for its click links; clicks carry the (normalised) query and kind instead. Upgrade copies both
from each click's log row. Downgrade points each click back at the latest log row of the same
query and kind at or before the click (any such row when there is none before it); clicks that
match no logged search are dropped, as the old schema cannot hold them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 17:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_SAME_SEARCH = ("l.query = search_clicks.query"
                " AND (l.kind = search_clicks.kind OR (l.kind IS NULL AND search_clicks.kind IS NULL))")


def upgrade():
    with op.batch_alter_table('search_clicks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('query', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=True))
    op.execute("UPDATE search_clicks SET"
               " query = (SELECT l.query FROM search_query_log l WHERE l.id = search_clicks.query_log_id),"
               " kind = (SELECT l.kind FROM search_query_log l WHERE l.id = search_clicks.query_log_id)")
    op.execute("DELETE FROM search_clicks WHERE query IS NULL")  # none: the foreign key cascaded
    with op.batch_alter_table('search_clicks', schema=None) as batch_op:
        batch_op.alter_column('query', existing_type=sa.String(length=100), nullable=False)
        batch_op.drop_index(batch_op.f('ix_search_clicks_query_log_id'))
        batch_op.drop_constraint(batch_op.f('fk_search_clicks_query_log_id_search_query_log'), type_='foreignkey')
        batch_op.drop_column('query_log_id')
        batch_op.create_index(batch_op.f('ix_search_clicks_query'), ['query'], unique=False)


def downgrade():
    with op.batch_alter_table('search_clicks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('query_log_id', sa.Integer(), nullable=True))
    op.execute("UPDATE search_clicks SET query_log_id = COALESCE("
               f"(SELECT MAX(l.id) FROM search_query_log l WHERE {_SAME_SEARCH} AND l.at <= search_clicks.at),"
               f" (SELECT MAX(l.id) FROM search_query_log l WHERE {_SAME_SEARCH}))")
    op.execute("DELETE FROM search_clicks WHERE query_log_id IS NULL")
    with op.batch_alter_table('search_clicks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_clicks_query'))
        batch_op.alter_column('query_log_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_search_clicks_query_log_id_search_query_log'),
                                    'search_query_log', ['query_log_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_search_clicks_query_log_id'), ['query_log_id'], unique=False)
        batch_op.drop_column('kind')
        batch_op.drop_column('query')
