"""hotline: call log, hand-offs (工单), answer use and feedback

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-23 15:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hotline_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('caller_phone', sa.String(length=20), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('matter_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'],
                            name=op.f('fk_hotline_calls_answer_id_answers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['matter_id'], ['matters.id'],
                            name=op.f('fk_hotline_calls_matter_id_matters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'],
                            name=op.f('fk_hotline_calls_operator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_calls'))
    )
    with op.batch_alter_table('hotline_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hotline_calls_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_calls_operator_id'), ['operator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_calls_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_calls_matter_id'), ['matter_id'], unique=False)

    op.create_table('hotline_handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('acknowledge_due', sa.DateTime(), nullable=False),
    sa.Column('reply_due', sa.DateTime(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['hotline_calls.id'],
                            name=op.f('fk_hotline_handoffs_call_id_hotline_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                            name=op.f('fk_hotline_handoffs_department_id_departments')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'],
                            name=op.f('fk_hotline_handoffs_assignee_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_handoffs')),
    sa.UniqueConstraint('call_id', name=op.f('uq_hotline_handoffs_call_id'))
    )
    with op.batch_alter_table('hotline_handoffs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hotline_handoffs_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_handoffs_status'), ['status'], unique=False)

    op.create_table('hotline_answer_uses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'],
                            name=op.f('fk_hotline_answer_uses_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'],
                            name=op.f('fk_hotline_answer_uses_operator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_answer_uses'))
    )
    with op.batch_alter_table('hotline_answer_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hotline_answer_uses_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_answer_uses_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hotline_answer_uses_operator_id'), ['operator_id'], unique=False)

    op.create_table('answer_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'],
                            name=op.f('fk_answer_feedback_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['operator_id'], ['users.id'],
                            name=op.f('fk_answer_feedback_operator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_feedback'))
    )
    with op.batch_alter_table('answer_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_feedback_answer_id'), ['answer_id'], unique=False)


def downgrade():
    op.drop_table('answer_feedback')
    op.drop_table('hotline_answer_uses')
    op.drop_table('hotline_handoffs')
    op.drop_table('hotline_calls')
