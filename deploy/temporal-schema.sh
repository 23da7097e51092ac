#!/bin/sh
# Creates the Temporal databases on first start and migrates their schema on every start (idempotent). Run by the
# compose file's temporal-schema job (admin-tools image) and by `npm run stack` (scripts/stack/), with the same
# environment: SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD and SCHEMA_DIR (the server's schema/ folder).
set -eu
: "${SQL_HOST:?}" "${SQL_PORT:=5432}" "${SQL_USER:?}" "${SQL_PASSWORD:?}" "${SCHEMA_DIR:=/etc/temporal/schema}"
export SQL_PASSWORD
tool() { temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"; }
for db in temporal temporal_visibility; do
  schema=$([ "$db" = temporal ] && echo temporal || echo visibility)
  # `create` fails when the database exists: then only the migration below runs.
  if tool --db "$db" create; then tool --db "$db" setup-schema -v 0.0; fi
  tool --db "$db" update-schema -d "$SCHEMA_DIR/postgresql/v12/$schema/versioned"
done
echo "schema of temporal and temporal_visibility up to date"
