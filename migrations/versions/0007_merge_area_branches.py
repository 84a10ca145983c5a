"""merge the area branches (sso, catalogue, search, hotline) into one head

Revision ID: 0007
Revises: 0002, 0003, 0004, 0005
Create Date: 2026-11-23 16:46:51.062068

"""
# revision identifiers, used by Alembic.
revision = '0007'
down_revision = ('0002', '0003', '0004', '0005')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
