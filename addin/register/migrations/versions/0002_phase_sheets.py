"""Phase snapshots (the consolidated sheets of each phase) and the phase of each document.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phase_sheets",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("phase", sa.Integer, nullable=False),
        sa.Column("sheet", sa.String(100), nullable=False),
        sa.Column("rows", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_phase_sheets"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_phase_sheets_run_id_runs"),
        sa.UniqueConstraint("year", "phase", "sheet", name="uq_phase_sheets_year_phase_sheet"),
    )
    op.add_column("decisions", sa.Column("phase", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("phase")
    op.drop_table("phase_sheets")
