package io.rwsplit.proxy.server;

import io.rwsplit.core.config.RwsplitConfig;
import io.rwsplit.proxy.config.ProxyConfig;
import io.rwsplit.proxy.config.UserConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What reloading a proxy's configuration would change, decided from the running and the new
 * config alone. Users, limits, the node list and the routing rules take effect without dropping
 * a session; the keys in {@link #needRestart} are bound to sockets, threads or state built at
 * start, and a reload that changes any of them is refused whole, so that the running proxy is
 * never half old and half new.
 *
 * @param needRestart the changed keys a reload cannot apply, by config path
 * @param changes     what a reload would apply: {@code users}, {@code limits}, {@code nodes},
 *                    {@code routing}
 */
public record ReloadPlan(List<String> needRestart, List<String> changes) {

    public ReloadPlan {
        needRestart = List.copyOf(needRestart);
        changes = List.copyOf(changes);
    }

    public static ReloadPlan compare(ProxyConfig running, ProxyConfig next) {
        List<String> restart = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        differs(restart, "listen", running.listen(), next.listen());
        differs(restart, "tls", running.tls(), next.tls());
        differs(restart, "backend", running.backend(), next.backend());
        differs(restart, "admin", running.admin(), next.admin());
        differs(restart, "limits.workerThreads", running.limits().workerThreads(), next.limits().workerThreads());
        // the command line took the grace period for SIGTERM when it started the proxy
        differs(restart, "limits.shutdownGrace", running.limits().shutdownGrace(), next.limits().shutdownGrace());
        RwsplitConfig a = running.routing();
        RwsplitConfig b = next.routing();
        differs(restart, "monitor", a.monitor(), b.monitor());
        differs(restart, "pool", a.pool(), b.pool());
        differs(restart, "failover", a.failover(), b.failover());
        differs(restart, "classifier", a.classifier(), b.classifier());
        differs(restart, "readYourWrites", a.readYourWrites(), b.readYourWrites());
        differs(restart, "switchover", a.switchover(), b.switchover());
        differs(restart, "autoRejoin", a.autoRejoin(), b.autoRejoin());
        differs(restart, "replication", a.replication(), b.replication());
        if (a.monitor().user() == null && !monitorAccount(running).equals(monitorAccount(next))) {
            // without monitor.user the monitor logs in as the first user's server account, fixed at start
            restart.add("users[0].backendUser/backendPassword (the monitor's account while monitor.user is unset)");
        }
        if (!running.users().equals(next.users())) {
            changes.add("users");
        }
        if (!running.limits().equals(next.limits())) {
            changes.add("limits");
        }
        if (!a.nodes().equals(b.nodes())) {
            changes.add("nodes");
        }
        if (!Objects.equals(a.balance(), b.balance()) || a.primaryReadWeight() != b.primaryReadWeight()
                || !Objects.equals(a.maxLag(), b.maxLag()) || !Objects.equals(a.fallback(), b.fallback())
                || !Objects.equals(a.readYourWritesWindow(), b.readYourWritesWindow())
                || !Objects.equals(a.causalWait(), b.causalWait())) {
            changes.add("routing");
        }
        return new ReloadPlan(restart, changes);
    }

    private static List<String> monitorAccount(ProxyConfig c) {
        UserConfig first = c.users().get(0);
        return java.util.Arrays.asList(first.backendUser(), first.backendPassword());
    }

    private static void differs(List<String> into, String key, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            into.add(key);
        }
    }

    /** Whether the reload can be applied (nothing needs a restart). */
    public boolean applicable() {
        return needRestart.isEmpty();
    }
}
