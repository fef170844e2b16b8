package io.rwsplit.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.topology.Health;
import io.rwsplit.core.topology.NodeId;
import io.rwsplit.core.topology.NodeSettings;
import io.rwsplit.core.topology.NodeStats;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.Role;
import io.rwsplit.core.topology.TopologySnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementRatesTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theRateIsOverTheLastFiveSeconds() {
        NodeStats stats = new NodeStats();
        TopologySnapshot t = new TopologySnapshot(1, List.of(new NodeView(new NodeId("r1", "h", 3306), Role.REPLICA,
                Health.UP, Duration.ZERO, null, NodeSettings.DEFAULT, false, stats)));
        StatementRates rates = new StatementRates();

        rates.sample(t, 0);
        assertThat(rates.perSecond("r1")).isZero();
        for (int s = 1; s <= 10; s++) {
            // 10 statements a second for the first five seconds, then 2
            for (int i = 0; i < (s <= 5 ? 10 : 2); i++) {
                stats.record(1000);
            }
            rates.sample(t, s * SECOND);
            if (s == 2) {
                assertThat(rates.perSecond("r1")).isEqualTo(10.0);
            }
        }

        assertThat(rates.perSecond("r1")).isEqualTo(2.0);
        assertThat(rates.perSecond("unknown")).isZero();
    }
}
