"""The register: runs, received files, nominations, unit results, documents issued.

Revision ID: 0001
Revises:
Create Date: 2025-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("phase", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("machine", sa.String(255), nullable=False),
        sa.Column("user_name", sa.String(255), nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_table(
        "received_files",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("phase", sa.Integer, nullable=False),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("received_at", sa.DateTime),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_received_files"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_received_files_run_id_runs"),
        sa.UniqueConstraint("year", "phase", "path", "sha256",
                            name="uq_received_files_year_phase_path_sha256"),
    )
    op.create_table(
        "nominations",
        sa.Column("nomination_id", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("phase", sa.Integer, nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("target", sa.String(20), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("name_key", sa.String(500), nullable=False),
        sa.Column("person_key", sa.String(520), nullable=False),
        sa.Column("birth_year", sa.Integer),
        sa.Column("proposed_form", sa.String(200), nullable=False),
        sa.Column("approved", sa.Boolean),
        sa.Column("awarded_form", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("nomination_id", name="pk_nominations"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_nominations_run_id_runs"),
    )
    op.create_index("ix_nominations_person_key", "nominations", ["person_key"])
    op.create_index("ix_nominations_name_key", "nominations", ["name_key"])
    op.create_index("ix_nominations_unit_code", "nominations", ["unit_code"])
    op.create_table(
        "unit_results",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("phase", sa.Integer, nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=False),
        sa.Column("indicator", sa.String(80), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unit_results"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_unit_results_run_id_runs"),
        sa.UniqueConstraint("year", "phase", "unit_code", "indicator",
                            name="uq_unit_results_year_phase_unit_code_indicator"),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("reference", sa.String(60), nullable=False),
        sa.Column("issued_on", sa.Date),
        sa.Column("award_form", sa.String(500), nullable=False),
        sa.Column("collectives", sa.Integer, nullable=False),
        sa.Column("individuals", sa.Integer, nullable=False),
        sa.Column("total_money", sa.BigInteger, nullable=False),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("run_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_decisions_run_id_runs"),
        sa.UniqueConstraint("year", "kind", "number", name="uq_decisions_year_kind_number"),
    )
    op.create_table(
        "decision_nominations",
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("nomination_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("decision_id", "nomination_id", name="pk_decision_nominations"),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"], ondelete="CASCADE",
                                name="fk_decision_nominations_decision_id_decisions"),
    )
    op.create_index("ix_decision_nominations_nomination_id", "decision_nominations",
                    ["nomination_id"])


def downgrade() -> None:
    op.drop_table("decision_nominations")
    op.drop_table("decisions")
    op.drop_table("unit_results")
    op.drop_table("nominations")
    op.drop_table("received_files")
    op.drop_table("runs")
