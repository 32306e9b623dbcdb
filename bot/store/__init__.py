"""The store: SQLModel tables in UTC, Alembic migrations, SQLite (WAL) or PostgreSQL."""
