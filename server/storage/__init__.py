"""Where the data rests: the database engine, the tables, the update log and backups."""
