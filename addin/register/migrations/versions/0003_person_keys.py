"""Person and name keys that fold tone placement, look-alike letters and invisible characters
(issue 11): the keys of every nomination already stored are recomputed, so that a person
commended before this version is still found for X03 and `thidua history`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

from workbook_templates.campaign import TARGET_INDIVIDUAL
from workbook_templates.identity import name_key, person_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    nominations = sa.table("nominations", sa.column("nomination_id"), sa.column("target"),
                           sa.column("name"), sa.column("birth_year"), sa.column("name_key"),
                           sa.column("person_key"))
    rows = conn.execute(sa.select(nominations.c.nomination_id, nominations.c.target,
                                  nominations.c.name, nominations.c.birth_year)).all()
    updates = [{"id": r.nomination_id, "nk": name_key(r.name),
                "pk": person_key(r.name, r.birth_year) if r.target == TARGET_INDIVIDUAL
                else name_key(r.name)} for r in rows]
    if updates:
        conn.execute(nominations.update()
                     .where(nominations.c.nomination_id == sa.bindparam("id"))
                     .values(name_key=sa.bindparam("nk"), person_key=sa.bindparam("pk")),
                     updates)


def downgrade() -> None:
    """The keys stay as they are: the older ones cannot be told apart any more."""
