package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.ClusterSettings;
import io.rwsplit.sandbox.Flavor;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.TlsFiles;
import io.rwsplit.sandbox.flavor.ReplicationDialect;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The option file ({@code my.cnf}) of one local node. Sized for many small servers on one machine:
 * small buffers, and commits that reach the OS cache rather than the disk (a killed process loses
 * nothing that way; only an operating-system crash could).
 */
final class LocalServerOptions {

    static final String REDO_LOG_SIZE = "16M";

    private LocalServerOptions() {
    }

    static Map<String, String> options(ServerBinary binary, NodeLayout layout, int serverId, int port, Role role,
            ClusterSettings settings, Optional<TlsFiles> tls, boolean runningAsRoot, Map<String, String> extra) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("basedir", binary.basedir().toString());
        o.put("datadir", layout.data().toString());
        o.put("port", Integer.toString(port));
        o.put("bind-address", "127.0.0.1");
        o.put("socket", layout.socket().toString());
        o.put("pid-file", layout.pidFile().toString());
        o.put("log-error", layout.errorLog().toString());
        o.put("server-id", Integer.toString(serverId));
        o.put("report-host", "127.0.0.1");
        o.put("report-port", Integer.toString(port));
        if (runningAsRoot) {
            o.put("user", "root");
        }
        o.put("max-connections", "500");
        o.put("performance-schema", "OFF");
        o.put("innodb-buffer-pool-size", "64M");
        o.put("innodb-flush-log-at-trx-commit", "2");
        o.put("sync-binlog", "0");
        if (binary.version().flavor() == Flavor.MARIADB) {
            o.put("innodb-log-file-size", REDO_LOG_SIZE);
        } else {
            o.put("loose-innodb-redo-log-capacity", REDO_LOG_SIZE);
        }
        if (tls.isPresent()) {
            o.put("ssl-ca", tls.get().caCertificate().toString());
            o.put("ssl-cert", tls.get().serverCertificate().toString());
            o.put("ssl-key", tls.get().serverKey().toString());
        } else if (binary.version().flavor() == Flavor.MARIADB) {
            // without a certificate MariaDB 11.4 spends 10-15 s generating one at every start
            o.put("skip-ssl", "");
        }
        o.putAll(ReplicationDialect.of(binary.version()).serverOptions(role, settings.semiSync(),
                settings.semiSyncTimeout()));
        o.putAll(extra);
        return o;
    }

    static String render(Map<String, String> options) {
        StringBuilder sb = new StringBuilder("# written by the rwsplit sandbox\n[mysqld]\n");
        for (Map.Entry<String, String> e : options.entrySet()) {
            sb.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                String v = e.getValue();
                sb.append(" = ").append(v.contains(" ") || v.contains("#") ? '"' + v + '"' : v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
