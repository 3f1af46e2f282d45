"""The rows of a large phase snapshot in parts (issue 18): a sheet of a national run is
written and read a part at a time, never as one text of hundreds of megabytes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phase_sheet_parts",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("phase", sa.Integer, nullable=False),
        sa.Column("sheet", sa.String(100), nullable=False),
        sa.Column("part", sa.Integer, nullable=False),
        sa.Column("rows", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_phase_sheet_parts"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"],
                                name="fk_phase_sheet_parts_run_id_runs"),
        sa.UniqueConstraint("year", "phase", "sheet", "part",
                            name="uq_phase_sheet_parts_year_phase_sheet_part"),
    )


def downgrade() -> None:
    op.drop_table("phase_sheet_parts")
