package io.rwsplit.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.ProxyConfigLoader;
import org.junit.jupiter.api.Test;

class ReloadPlanTest {

    private static final String BASE = """
            listen: {address: 127.0.0.1, port: 6033}
            users:
              - {name: app, password: pw}
            nodes:
              - {host: db1}
              - {host: db2}
            monitor: {user: mon, password: m}
            """;
    private static final String BORROWED = BASE.replace("monitor: {user: mon, password: m}\n", "");

    private static ProxyConfig load(String yaml) {
        return ProxyConfigLoader.load(yaml, name -> null);
    }

    @Test
    void theSameFileChangesNothing() {
        ReloadPlan p = ReloadPlan.compare(load(BASE), load(BASE));
        assertThat(p.applicable()).isTrue();
        assertThat(p.changes()).isEmpty();
    }

    @Test
    void usersLimitsNodesAndRoutingRulesApplyWithoutARestart() {
        ReloadPlan p = ReloadPlan.compare(load(BASE), load(BASE.replace("password: pw}", "password: pw2}")
                .replace("  - {host: db2}\n", "  - {host: db2, weight: 3}\n  - {host: db3}\n")
                + "limits: {maxConnections: 50}\nbalance: least-connections\nmaxLag: 2s\n"));
        assertThat(p.needRestart()).isEmpty();
        assertThat(p.changes()).containsExactly("users", "limits", "nodes", "routing");
    }

    @Test
    void keysBoundToSocketsThreadsOrStartStateNeedARestartAndAreAllNamed() {
        ReloadPlan p = ReloadPlan.compare(load(BASE), load(BASE.replace("port: 6033", "port: 7033")
                + "limits: {workerThreads: 3}\npool: {maxSize: 20}\nfailover: off\nreadYourWrites: causal\n"
                + "backend: {tls: disabled}\n"));
        assertThat(p.applicable()).isFalse();
        assertThat(p.needRestart()).containsExactly("listen", "backend", "limits.workerThreads", "pool", "failover",
                "readYourWrites");
    }

    @Test
    void theMonitorsBorrowedAccountCannotChangeUnderIt() {
        // without monitor.user the monitor logs in with the first user's server account, fixed at start
        ReloadPlan p = ReloadPlan.compare(load(BORROWED), load(BORROWED.replace("password: pw}", "password: pw2}")));
        assertThat(p.needRestart()).singleElement().asString().contains("the monitor's account");
        ReloadPlan withMonitor = ReloadPlan.compare(load(BASE), load(BASE.replace("password: pw}", "password: pw2}")));
        assertThat(withMonitor.applicable()).isTrue();
    }
}
