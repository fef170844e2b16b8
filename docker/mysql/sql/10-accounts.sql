-- rwsplit's database and accounts in docker/compose.yaml. Runs once, on the primary only; the
-- replicas get it all through replication, so every node has the same accounts and no replica has
-- transactions of its own. ${NAME} stands for the environment variable NAME (mysql/init.sh fills
-- it in; a password may not contain ' " or \).
--
-- Portable: MySQL 8.4 and MariaDB run it alike, and rwsplit's tests run it against the sandbox's
-- MariaDB. What only MySQL 8.4 understands is in 20-monitor-grants-mysql84.sql and
-- 30-replica-mysql84.sql. Every statement may run twice.

CREATE DATABASE IF NOT EXISTS app;

-- The replicas log in to the primary with it.
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY '${REPL_PASSWORD}';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';

-- The application's account: for clients of the proxy, and for the proxy's own connections to
-- the servers. Rights on its database only and no administrative privilege, so the replicas'
-- read_only applies to it: a write that reached a replica would fail instead of diverging.
CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY '${APP_PASSWORD}';
GRANT ALL PRIVILEGES ON app.* TO 'app'@'%';

-- The proxy's monitor: read_only, replication status and GTID positions on every node
-- (REPLICATION CLIENT), and every session of the process list when it fences an old primary
-- (PROCESS). What a promotion needs besides are MySQL's dynamic privileges, granted in
-- 20-monitor-grants-mysql84.sql.
CREATE USER IF NOT EXISTS 'rwsplit_monitor'@'%' IDENTIFIED BY '${MONITOR_PASSWORD}';
GRANT PROCESS, REPLICATION CLIENT ON *.* TO 'rwsplit_monitor'@'%';
