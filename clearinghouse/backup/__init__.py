"""Backup and restore: a consistent snapshot of the database and exactly its blobs."""
