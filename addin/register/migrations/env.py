"""Alembic environment: always run on the connection handed over by ``Register.open``."""
from alembic import context

from addin.register.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
