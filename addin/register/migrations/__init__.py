"""Alembic migrations of the register, run by ``Register.open`` (``upgrade head``)."""
