package io.rwsplit.proxy.admin;

import io.rwsplit.core.route.Explanation;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologySnapshot;
import io.rwsplit.proxy.frontend.ProxyRuntime;
import io.rwsplit.proxy.frontend.ProxyRuntime.DrainOutcome;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The admin API over a running proxy. */
final class ProxyAdminApi implements AdminApi {

    private final ProxyRuntime runtime;
    private final BooleanSupplier accepting;
    private final StatementRates rates;
    private final java.util.function.Supplier<ReloadOutcome> reload;

    ProxyAdminApi(ProxyRuntime runtime, BooleanSupplier accepting, StatementRates rates,
            java.util.function.Supplier<ReloadOutcome> reload) {
        this.runtime = runtime;
        this.reload = reload;
        this.accepting = accepting;
        this.rates = rates;
    }

    @Override
    public String metricsContentType() {
        return runtime.metrics().contentType();
    }

    @Override
    public void writeMetrics(OutputStream out) throws IOException {
        runtime.metrics().write(out);
    }

    @Override
    public String notReady() {
        if (!accepting.getAsBoolean() || runtime.shuttingDown()) {
            return "the proxy is not accepting clients (it is stopping)";
        }
        TopologySnapshot t = runtime.currentTopology();
        if (t.primary().isEmpty()) {
            return "no primary is known; nodes: " + t.nodes();
        }
        return null;
    }

    @Override
    public Topology topology() {
        TopologySnapshot t = runtime.currentTopology();
        Map<io.rwsplit.core.topology.NodeId, ProxyMetrics.PoolUsage> pools = runtime.poolUsage(Duration.ofMillis(250));
        List<Node> nodes = new ArrayList<>(t.nodes().size());
        for (NodeView n : t.nodes()) {
            ProxyMetrics.PoolUsage p = pools.getOrDefault(n.id(), ProxyMetrics.PoolUsage.NONE);
            nodes.add(new Node(n.name(), n.id().address(), lower(n.role()), lower(n.health()),
                    n.lag() == null ? null : n.lag().toNanos() / 1e9, n.settings().weight(), n.settings().standby(),
                    n.draining(), new Pool(p.inUse(), p.idle()), Math.round(rates.perSecond(n.name()) * 10) / 10.0));
        }
        return new Topology(t.primary().map(NodeView::name).orElse(null),
                runtime.failoverMode().name().toLowerCase(Locale.ROOT), t.version(), nodes);
    }

    @Override
    public Explained explain(String sql) {
        Explanation e = runtime.explainer().explain(sql);
        return new Explained(e.label(), e.reason(), lower(e.classification().kind()),
                e.decision().failed() ? null : e.decision().node().name(), e.decision().cause().label());
    }

    @Override
    public ReloadOutcome reload() {
        return reload.get();
    }

    @Override
    public io.rwsplit.proxy.frontend.SwitchoverOutcome switchover(java.util.Optional<String> target) {
        return runtime.switchover(target);
    }

    @Override
    public DrainOutcome drain(String node, boolean on) {
        return runtime.drain(node, on);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
