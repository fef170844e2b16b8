#!/usr/bin/env bash
# rwsplit's part of a mysql:8.4 container's first start, mounted into /docker-entrypoint-initdb.d.
# The image runs it once, on an empty data directory, against its temporary server and after it
# has set the root password; whether the image sources or executes it, it leaves the image's own
# shell as it was (everything runs in a subshell).
#
#   RWSPLIT_ROLE=primary   the database and accounts: sql/10-accounts.sql, sql/20-monitor-grants-mysql84.sql
#   RWSPLIT_ROLE=replica   replication from PRIMARY_HOST: sql/30-replica-mysql84.sql
#
# In the SQL files ${NAME} stands for the environment variable NAME, one of those listed in
# PLACEHOLDERS; the files are read from RWSPLIT_SQL_DIR (default /etc/rwsplit/sql).

rwsplit_init() (
  set -eu
  PLACEHOLDERS="APP_PASSWORD MONITOR_PASSWORD REPL_PASSWORD PRIMARY_HOST"
  sql_dir=${RWSPLIT_SQL_DIR:-/etc/rwsplit/sql}

  # the file's text with each ${NAME} replaced by the variable's value
  render() {
    local text name value
    text=$(<"$1")
    for name in $PLACEHOLDERS; do
      case "$text" in
        *"\${$name}"*) ;;
        *) continue ;;
      esac
      value=${!name:-}
      if [ -z "$value" ]; then
        echo "rwsplit: $1 needs the environment variable $name" >&2
        return 1
      fi
      case "$value" in
        *[\'\"\\]*)
          echo "rwsplit: $name may not contain ' \" or \\ (it is written into SQL string literals)" >&2
          return 1 ;;
      esac
      text=${text//"\${$name}"/"$value"}
    done
    printf '%s\n' "$text"
  }

  run() {
    local sql
    sql=$(render "$sql_dir/$1")
    echo "rwsplit: running $1"
    printf '%s\n' "$sql" | mysql --defaults-extra-file=<(printf '[client]\nuser=root\npassword="%s"\n' \
      "$MYSQL_ROOT_PASSWORD") --protocol=socket
  }

  case "${RWSPLIT_ROLE:-}" in
    primary)
      run 10-accounts.sql
      run 20-monitor-grants-mysql84.sql
      ;;
    replica)
      run 30-replica-mysql84.sql
      ;;
    *)
      echo "rwsplit: set RWSPLIT_ROLE to primary or replica (it is '${RWSPLIT_ROLE:-}')" >&2
      return 1
      ;;
  esac
)
rwsplit_init
