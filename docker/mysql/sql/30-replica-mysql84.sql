-- MySQL 8.4 only. Written from the MySQL 8.4 reference manual and not run by rwsplit's tests (no
-- Docker engine there). Runs once, on each replica's first start; mysql/init.sh fills in the
-- primary's host name and the replication password from PRIMARY_HOST and REPL_PASSWORD.

-- Forget whatever this server logged while it was being initialised: GTIDs of its own would be
-- errant transactions, and rwsplit does not promote a replica that has any.
RESET BINARY LOGS AND GTIDS;

-- GTID auto-positioning. repl is a caching_sha2_password account; GET_SOURCE_PUBLIC_KEY lets the
-- replica log in with it even when the connection is not encrypted.
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST = '${PRIMARY_HOST}',
  SOURCE_PORT = 3306,
  SOURCE_USER = 'repl',
  SOURCE_PASSWORD = '${REPL_PASSWORD}',
  SOURCE_AUTO_POSITION = 1,
  GET_SOURCE_PUBLIC_KEY = 1,
  SOURCE_CONNECT_RETRY = 5;
START REPLICA;

-- super_read_only keeps even accounts with CONNECTION_ADMIN or SUPER (root, the monitor) from
-- writing. Persisted here rather than given on the command line, where it would also stop the
-- image's entrypoint from setting the root password before this script runs. It applies at once
-- and after every restart, also after the proxy has promoted this replica (the promotion turns
-- read_only off for the running server only): a restarted node comes back read-only.
SET PERSIST super_read_only = ON;
