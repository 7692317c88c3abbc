#!/bin/sh
# The streaming replica: on its first start, a copy of the primary (pg_basebackup -R also writes
# standby.signal and primary_conninfo), then PostgreSQL as the image starts it, read-only, replaying WAL.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -q -h postgres -p 5432; do
    echo "replica: waiting for the primary"
    sleep 1
  done
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres \
    pg_basebackup -h postgres -p 5432 -U replicator -D "$PGDATA" -R -X stream --checkpoint=fast
fi
exec docker-entrypoint.sh postgres
