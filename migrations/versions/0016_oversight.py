"""oversight: the platform registry's fields, health-check history, report decisions

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-01 12:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='service', nullable=False))
        batch_op.add_column(sa.Column('status', sa.String(length=12), server_default='active', nullable=False))
        batch_op.add_column(sa.Column('contact', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('extra_origins', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('last_checked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_ok_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_checks', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_platforms_merged_into_id_platforms'), 'platforms',
                                    ['merged_into_id'], ['id'])
    op.execute("UPDATE platforms SET extra_origins = '[]'")
    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.alter_column('extra_origins', existing_type=sa.JSON(), nullable=False)

    op.create_table(
        'platform_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform_id', sa.Integer(), nullable=False),
        sa.Column('checked_at', sa.DateTime(), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('method', sa.String(length=4), nullable=True),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('latency_ms', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=200), nullable=True),
        sa.Column('tls_expires_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'],
                                name=op.f('fk_platform_checks_platform_id_platforms'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_checks')),
    )
    with op.batch_alter_table('platform_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_checks_checked_at'), ['checked_at'], unique=False)
        batch_op.create_index('ix_platform_checks_platform_at', ['platform_id', 'checked_at'], unique=False)

    op.create_table(
        'platform_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('platform_id', sa.Integer(), nullable=False),
        sa.Column('finding', sa.String(length=10), nullable=False),
        sa.Column('decision', sa.String(length=10), nullable=False),
        sa.Column('merge_into_id', sa.Integer(), nullable=True),
        sa.Column('retire_by', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('completed_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['platform_id'], ['platforms.id'],
                                name=op.f('fk_platform_decisions_platform_id_platforms'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['merge_into_id'], ['platforms.id'],
                                name=op.f('fk_platform_decisions_merge_into_id_platforms')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name=op.f('fk_platform_decisions_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_decisions')),
    )
    with op.batch_alter_table('platform_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_decisions_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_platform_decisions_status'), ['status'], unique=False)


def downgrade():
    op.drop_table('platform_decisions')
    op.drop_table('platform_checks')
    with op.batch_alter_table('platforms', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_platforms_merged_into_id_platforms'), type_='foreignkey')
        for column in ('failed_checks', 'last_ok_at', 'last_checked_at', 'extra_origins', 'merged_into_id',
                       'notes', 'contact', 'status', 'kind'):
            batch_op.drop_column(column)
