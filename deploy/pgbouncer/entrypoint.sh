#!/bin/sh
# Writes the one user PgBouncer lets in, with the password it checks clients against and logs
# in to PostgreSQL with (SCRAM), then runs PgBouncer in the foreground (logging to stderr).
# POSTGRES_USER (taskforce) and POSTGRES_PASSWORD come from docker-compose.yml, the same
# values the postgres service was made with.
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
user=${POSTGRES_USER:-taskforce}
dir=${PGBOUNCER_RUN_DIR:-/tmp/pgbouncer}
umask 077
mkdir -p "$dir"
# The auth file's quoting: a double quote inside a value is written twice.
quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
echo "$(quote "$user") $(quote "$POSTGRES_PASSWORD")" > "$dir/userlist.txt"
exec pgbouncer "${PGBOUNCER_CONFIG:-/etc/pgbouncer/taskforce.ini}"
