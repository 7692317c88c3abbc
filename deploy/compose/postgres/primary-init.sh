#!/bin/sh
# Runs once, when the primary's data folder is created (docker-entrypoint-initdb.d): the role the streaming
# replica connects as, and the pg_hba.conf line that lets it (a replication connection matches no "all" line).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
