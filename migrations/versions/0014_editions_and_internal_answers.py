"""editions of published content; internal (imported) answers with their real reply date

A published matter, answer or article keeps its live content while a new edition (snapshot and
status) is edited and reviewed. Imported hotline replies become internal knowledge.

Revision ID: 0014
Revises: 0015
Create Date: 2026-12-01 12:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0015'
branch_labels = None
depends_on = None

EDITORIAL_TABLES = ('matters', 'answers', 'articles')


def upgrade():
    for table in EDITORIAL_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('edition_status', sa.String(length=16), nullable=True))
            batch.add_column(sa.Column('edition', sa.JSON(), nullable=True))
    with op.batch_alter_table('answers') as batch:
        batch.add_column(sa.Column('public', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch.add_column(sa.Column('replied_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE answers SET public = false WHERE source_ref LIKE 'hotline:%'")


def downgrade():
    with op.batch_alter_table('answers') as batch:
        batch.drop_column('replied_at')
        batch.drop_column('public')
    for table in EDITORIAL_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('edition')
            batch.drop_column('edition_status')
