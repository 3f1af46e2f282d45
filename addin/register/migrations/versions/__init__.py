"""Alembic revisions of the register schema."""
