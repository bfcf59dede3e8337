"""Storage: SQLAlchemy models, the database, repositories and the unit of work."""
