package io.rwsplit.core.flavor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replica status rows as the command-line client prints them with {@code \G}, turned into the
 * column-to-text map a JDBC caller builds ({@code NULL} becomes {@code null}). A line that does not
 * start with a column name continues the previous value, as a multi-source MySQL GTID set does.
 */
final class RecordedRows {

    private static final Pattern COLUMN = Pattern.compile("^\\s*([A-Za-z_]+):(?: (.*))?$");

    private RecordedRows() {
    }

    static Map<String, String> vertical(String printed) {
        Map<String, String> row = new LinkedHashMap<>();
        String last = null;
        for (String line : printed.split("\n")) {
            if (line.startsWith("****") || line.isBlank()) {
                continue;
            }
            Matcher m = COLUMN.matcher(line);
            if (m.matches()) {
                last = m.group(1);
                String value = m.group(2) == null ? "" : m.group(2);
                row.put(last, value.equals("NULL") ? null : value);
            } else if (last != null) {
                row.put(last, row.get(last) + "\n" + line.strip());
            } else {
                throw new IllegalArgumentException("not a column line: " + line);
            }
        }
        return row;
    }

    // ---- Recorded from the MariaDB 11.4.5 sandbox (rwsplit-sandbox start, 1 primary + 2 replicas,
    // gtid_strict_mode=ON), SHOW SLAVE STATUS\G on a replica. The first row is complete; the others
    // keep the columns that matter here, values unchanged. The client prints empty values with a
    // trailing space, which text blocks drop; the parser reads "Column:" as empty.

    /** Both threads running, caught up. */
    static final String MARIADB_RUNNING = """
            *************************** 1. row ***************************
                            Slave_IO_State: Waiting for master to send event
                               Master_Host: 127.0.0.1
                               Master_User: repl
                               Master_Port: 33151
                             Connect_Retry: 1
                           Master_Log_File: binlog.000001
                       Read_Master_Log_Pos: 3131
                            Relay_Log_File: relay.000002
                             Relay_Log_Pos: 3427
                     Relay_Master_Log_File: binlog.000001
                          Slave_IO_Running: Yes
                         Slave_SQL_Running: Yes
                           Replicate_Do_DB:
                       Replicate_Ignore_DB:
                        Replicate_Do_Table:
                    Replicate_Ignore_Table:
                   Replicate_Wild_Do_Table:
               Replicate_Wild_Ignore_Table:
                                Last_Errno: 0
                                Last_Error:
                              Skip_Counter: 0
                       Exec_Master_Log_Pos: 3131
                           Relay_Log_Space: 3726
                           Until_Condition: None
                            Until_Log_File:
                             Until_Log_Pos: 0
                        Master_SSL_Allowed: Yes
                        Master_SSL_CA_File:
                        Master_SSL_CA_Path:
                           Master_SSL_Cert:
                         Master_SSL_Cipher:
                            Master_SSL_Key:
                     Seconds_Behind_Master: 0
             Master_SSL_Verify_Server_Cert: Yes
                             Last_IO_Errno: 0
                             Last_IO_Error:
                            Last_SQL_Errno: 0
                            Last_SQL_Error:
               Replicate_Ignore_Server_Ids:
                          Master_Server_Id: 1
                            Master_SSL_Crl:
                        Master_SSL_Crlpath:
                                Using_Gtid: Slave_Pos
                               Gtid_IO_Pos: 1-1-1,0-7-15
                   Replicate_Do_Domain_Ids:
               Replicate_Ignore_Domain_Ids:
                             Parallel_Mode: optimistic
                                 SQL_Delay: 0
                       SQL_Remaining_Delay: NULL
                   Slave_SQL_Running_State: Slave has read all relay log; waiting for more updates
                          Slave_DDL_Groups: 12
            Slave_Non_Transactional_Groups: 0
                Slave_Transactional_Groups: 4
                      Replicate_Rewrite_DB:
            """;

    /** After STOP SLAVE SQL_THREAD and one more write on the primary: lag is NULL. */
    static final String MARIADB_SQL_STOPPED = """
            *************************** 1. row ***************************
                            Slave_IO_State: Waiting for master to send event
                               Master_Host: 127.0.0.1
                               Master_User: repl
                               Master_Port: 33151
                             Connect_Retry: 1
                           Master_Log_File: binlog.000001
                       Read_Master_Log_Pos: 3340
                            Relay_Log_File: relay.000002
                             Relay_Log_Pos: 3427
                     Relay_Master_Log_File: binlog.000001
                          Slave_IO_Running: Yes
                         Slave_SQL_Running: No
                                Last_Errno: 0
                                Last_Error:
                              Skip_Counter: 0
                       Exec_Master_Log_Pos: 3131
                           Relay_Log_Space: 3935
                     Seconds_Behind_Master: NULL
                             Last_IO_Errno: 0
                             Last_IO_Error:
                            Last_SQL_Errno: 0
                            Last_SQL_Error:
                          Master_Server_Id: 1
                                Using_Gtid: Slave_Pos
                               Gtid_IO_Pos: 1-1-1,0-1-16
                             Parallel_Mode: optimistic
                                 SQL_Delay: 0
                       SQL_Remaining_Delay: NULL
                   Slave_SQL_Running_State:
            """;

    /** CHANGE MASTER TO MASTER_PASSWORD='wrong-secret'; START SLAVE; four seconds later. */
    static final String MARIADB_IO_CONNECTING = """
            *************************** 1. row ***************************
                            Slave_IO_State: Connecting to master
                               Master_Host: 127.0.0.1
                               Master_User: repl
                               Master_Port: 33151
                             Connect_Retry: 1
                           Master_Log_File: binlog.000001
                       Read_Master_Log_Pos: 3340
                            Relay_Log_File: relay.000001
                             Relay_Log_Pos: 4
                     Relay_Master_Log_File: binlog.000001
                          Slave_IO_Running: Connecting
                         Slave_SQL_Running: Yes
                                Last_Errno: 0
                                Last_Error:
                     Seconds_Behind_Master: NULL
                             Last_IO_Errno: 1045
                             Last_IO_Error: error connecting to master 'repl@127.0.0.1:33151' - retry-time: 1  maximum-retries: 100000  message: Access denied for user 'repl'@'localhost' (using password: YES)
                            Last_SQL_Errno: 0
                            Last_SQL_Error:
                          Master_Server_Id: 1
                                Using_Gtid: Slave_Pos
                               Gtid_IO_Pos: 1-1-1,0-1-16
                   Slave_SQL_Running_State: Slave has read all relay log; waiting for more updates
            """;

    /**
     * An errant write on the replica (as root, which read_only does not stop), numbered 0-2-17, then
     * the primary's own 0-1-17 arrives: gtid_strict_mode stops the applier.
     */
    static final String MARIADB_SQL_ERROR = """
            *************************** 1. row ***************************
                            Slave_IO_State: Waiting for master to send event
                               Master_Host: 127.0.0.1
                               Master_User: repl
                               Master_Port: 33151
                          Slave_IO_Running: Yes
                         Slave_SQL_Running: No
                                Last_Errno: 1950
                                Last_Error: An attempt was made to binlog GTID 0-1-17 which would create an out-of-order sequence number with existing GTID 0-2-17, and gtid strict mode is enabled
                     Seconds_Behind_Master: NULL
                             Last_IO_Errno: 0
                             Last_IO_Error:
                            Last_SQL_Errno: 1950
                            Last_SQL_Error: An attempt was made to binlog GTID 0-1-17 which would create an out-of-order sequence number with existing GTID 0-2-17, and gtid strict mode is enabled
                          Master_Server_Id: 1
                                Using_Gtid: Slave_Pos
                               Gtid_IO_Pos: 1-1-1,0-1-17
                   Slave_SQL_Running_State:
            """;

    /** CHANGE MASTER TO ... MASTER_DELAY=30, one write on the primary, four seconds later. */
    static final String MARIADB_DELAYED = """
            *************************** 1. row ***************************
                            Slave_IO_State: Waiting for master to send event
                               Master_Host: 127.0.0.1
                               Master_User: repl
                               Master_Port: 33151
                          Slave_IO_Running: Yes
                         Slave_SQL_Running: Yes
                                Last_Errno: 0
                                Last_Error:
                     Seconds_Behind_Master: 4
                             Last_IO_Errno: 0
                             Last_IO_Error:
                            Last_SQL_Errno: 0
                            Last_SQL_Error:
                                Using_Gtid: Slave_Pos
                               Gtid_IO_Pos: 1-1-1,0-1-20
                                 SQL_Delay: 30
                       SQL_Remaining_Delay: 26
                   Slave_SQL_Running_State: Waiting until MASTER_DELAY seconds after master executed event
            """;

    // ---- MySQL: no server here. The 8.4 row follows the example of SHOW REPLICA STATUS in the
    // MySQL 8.4 reference manual (values up to SQL_Remaining_Delay as printed there; the GTID
    // columns, present in the manual's column list, are filled with a two-source set to show the
    // server's ",\n" line breaks). The others are built on the same documented column names.

    static final String MYSQL_84_RUNNING = """
            *************************** 1. row ***************************
                         Replica_IO_State: Waiting for source to send event
                              Source_Host: 127.0.0.1
                              Source_User: root
                              Source_Port: 13000
                            Connect_Retry: 1
                          Source_Log_File: master-bin.000001
                      Read_Source_Log_Pos: 927
                           Relay_Log_File: slave-relay-bin.000002
                            Relay_Log_Pos: 1145
                    Relay_Source_Log_File: master-bin.000001
                       Replica_IO_Running: Yes
                      Replica_SQL_Running: Yes
                          Replicate_Do_DB:
                      Replicate_Ignore_DB:
                       Replicate_Do_Table:
                   Replicate_Ignore_Table:
                  Replicate_Wild_Do_Table:
              Replicate_Wild_Ignore_Table:
                               Last_Errno: 0
                               Last_Error:
                             Skip_Counter: 0
                      Exec_Source_Log_Pos: 927
                          Relay_Log_Space: 1355
                          Until_Condition: None
                           Until_Log_File:
                            Until_Log_Pos: 0
                       Source_SSL_Allowed: No
                       Source_SSL_CA_File:
                       Source_SSL_CA_Path:
                          Source_SSL_Cert:
                        Source_SSL_Cipher:
                           Source_SSL_Key:
                    Seconds_Behind_Source: 0
            Source_SSL_Verify_Server_Cert: No
                            Last_IO_Errno: 0
                            Last_IO_Error:
                           Last_SQL_Errno: 0
                           Last_SQL_Error:
              Replicate_Ignore_Server_Ids:
                         Source_Server_Id: 1
                              Source_UUID: 73f86016-978b-11ee-ade5-8d2a2a562feb
                         Source_Info_File: mysql.slave_master_info
                                SQL_Delay: 0
                      SQL_Remaining_Delay: NULL
                       Retrieved_Gtid_Set: 73f86016-978b-11ee-ade5-8d2a2a562feb:1-5
                        Executed_Gtid_Set: 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3,
            73f86016-978b-11ee-ade5-8d2a2a562feb:1-5
                            Auto_Position: 1
            """;

    /** Applier stopped by an error; the receiver keeps fetching (Retrieved ahead of Executed). */
    static final String MYSQL_84_SQL_ERROR = """
                       Replica_IO_Running: Yes
                      Replica_SQL_Running: No
                              Source_Host: db1.example
                              Source_Port: 3306
                    Seconds_Behind_Source: NULL
                            Last_IO_Error:
                           Last_SQL_Errno: 1062
                           Last_SQL_Error: Coordinator stopped because there were error(s) in the worker(s).
                       Retrieved_Gtid_Set: 73f86016-978b-11ee-ade5-8d2a2a562feb:1-9
                        Executed_Gtid_Set: 73f86016-978b-11ee-ade5-8d2a2a562feb:1-6
            """;

    /** MySQL 8.0.21 speaks the old terms: SHOW SLAVE STATUS with Slave_ / Master_ columns. */
    static final String MYSQL_80_21_IO_CONNECTING = """
                           Slave_IO_State: Connecting to master
                              Master_Host: db1.example
                              Master_Port: 3306
                         Slave_IO_Running: Connecting
                        Slave_SQL_Running: Yes
                    Seconds_Behind_Master: NULL
                            Last_IO_Errno: 2003
                            Last_IO_Error: error connecting to master 'repl@db1.example:3306' - retry-time: 60 retries: 1
                           Last_SQL_Error:
                       Retrieved_Gtid_Set:
                        Executed_Gtid_Set: 73f86016-978b-11ee-ade5-8d2a2a562feb:1-5
                            Auto_Position: 1
            """;
}
