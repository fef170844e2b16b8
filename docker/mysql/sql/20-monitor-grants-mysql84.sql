-- MySQL 8.4 only: dynamic privileges MariaDB does not have. Written from the MySQL 8.4 reference
-- manual and not run by rwsplit's tests (no Docker engine there). Runs once, on the primary,
-- after 10-accounts.sql, and reaches the replicas through replication.
--
-- What the proxy's monitor runs when it promotes a replica (core: failover/PromotionSql,
-- flavor/MySqlDialect), and the privilege each needs:
--   SET GLOBAL super_read_only = ON, read_only = OFF,
--     rpl_semi_sync_source_enabled = ON                     SYSTEM_VARIABLES_ADMIN
--   STOP REPLICA, RESET REPLICA ALL,
--     CHANGE REPLICATION SOURCE TO, START REPLICA           REPLICATION_SLAVE_ADMIN
--   KILL CONNECTION of the old primary's client sessions    CONNECTION_ADMIN
--   performance_schema.global_variables (semi-sync on?)     SELECT on performance_schema
-- SYSTEM_USER is left out on purpose: without it the monitor cannot kill sessions of accounts
-- that have it (root), which applications should not be using anyway.
GRANT SYSTEM_VARIABLES_ADMIN, REPLICATION_SLAVE_ADMIN, CONNECTION_ADMIN ON *.* TO 'rwsplit_monitor'@'%';
GRANT SELECT ON performance_schema.* TO 'rwsplit_monitor'@'%';
