"""The index on disk and its search structures: store and manifest, chunk columns, BM25, facts SQLite, encoders."""
