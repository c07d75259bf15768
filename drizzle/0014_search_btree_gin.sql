-- The record search's equality filters (release, kind, product type, facility, instrument) share
-- one multi-column GIN index (drizzle/0015): btree_gin gives GIN the btree types' operators. A
-- standard contrib module, trusted since PostgreSQL 13 (a database owner may create it).
CREATE EXTENSION IF NOT EXISTS btree_gin;
