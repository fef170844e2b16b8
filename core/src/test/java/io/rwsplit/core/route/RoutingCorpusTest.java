package io.rwsplit.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.balance.LoadBalancers;
import io.rwsplit.core.config.BalanceStrategy;
import io.rwsplit.core.sql.StatementClassifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement of {@code routing-corpus.tsv} routes as labelled, for an autocommit session in a
 * fresh state against a healthy primary and two fresh replicas.
 */
class RoutingCorpusTest {

    private static final StatementClassifier CLASSIFIER = StatementClassifier.withDefaults();
    private static final Explainer EXPLAINER = new Explainer(CLASSIFIER, new Router(RoutingPolicy.DEFAULTS,
            LoadBalancers.create(BalanceStrategy.ROUND_ROBIN, RandomGenerator.of("L64X128MixRandom"))),
            Explainer::exampleTopology);

    record Entry(int line, String sql, String route, String note) {
    }

    static List<Entry> corpus() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                RoutingCorpusTest.class.getResourceAsStream("/routing-corpus.tsv")), StandardCharsets.UTF_8))) {
            int n = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                n++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length < 2) {
                    throw new IllegalStateException("routing-corpus.tsv line " + n + " has no route: " + line);
                }
                entries.add(new Entry(n, f[0].replace("\\n", "\n"), f[1], f.length > 2 ? f[2] : ""));
            }
        }
        return entries;
    }

    static Stream<Arguments> statements() throws IOException {
        return corpus().stream().map(e -> Arguments.of(e.line(), e.sql(), e.route(), e.note()));
    }

    @AfterAll
    static void close() {
        CLASSIFIER.close();
    }

    @ParameterizedTest(name = "line {0}: {1} -> {2}")
    @MethodSource("statements")
    void routesAsLabelled(int line, String sql, String route, String note) {
        Explanation e = EXPLAINER.explain(sql);
        assertThat(e.label()).as("line %d: %s (%s); reason: %s", line, sql, note, e.reason()).isEqualTo(route);
    }

    @Test
    void theCorpusIsLargeAndCoversEveryRoute() throws IOException {
        List<Entry> entries = corpus();
        assertThat(entries).hasSizeGreaterThanOrEqualTo(300);
        assertThat(entries).extracting(Entry::route).containsOnly("replica", "primary", "previous", "session",
                "begin", "begin-ro", "end");
        assertThat(entries).extracting(Entry::sql).doesNotHaveDuplicates();
    }
}
