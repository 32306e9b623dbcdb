"""Alembic environment: runs against the engine Steward hands it (see bot.store.database)."""

from alembic import context
from sqlmodel import SQLModel

# Every table whose module was imported (bot.bootstrap imports every feature).
target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    """Render our UTCDateTime as a plain timezone-aware DateTime in migration files."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:
        from bot.store.database import make_engine

        engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
