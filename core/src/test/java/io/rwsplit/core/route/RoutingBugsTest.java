package io.rwsplit.core.route;

import static io.rwsplit.core.route.FakeTopology.healthy;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.balance.LoadBalancers;
import io.rwsplit.core.config.BalanceStrategy;
import io.rwsplit.core.config.ReadYourWrites;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementClassifier;
import io.rwsplit.core.sql.StatementKind;
import io.rwsplit.core.topology.TopologySnapshot;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Routing bugs found while writing RouterTest; each fails against the unfixed code. */
class RoutingBugsTest {

    private static final StatementClassifier CLASSIFIER = StatementClassifier.withDefaults();
    private static final long MS = 1_000_000L;

    private final SessionState session = new SessionState();
    private Router router = router(RoutingPolicy.DEFAULTS);
    private final TopologySnapshot topology = healthy();
    private long now = 1_000_000_000L;

    @AfterAll
    static void close() {
        CLASSIFIER.close();
    }

    private static Router router(RoutingPolicy policy) {
        return new Router(policy, LoadBalancers.create(BalanceStrategy.ROUND_ROBIN, RandomGenerator.of("L64X128MixRandom")));
    }

    private RouteDecision route(String sql) {
        return router.route(CLASSIFIER.classify(sql), session, topology, 7L, now);
    }

    private RouteDecision run(String sql) {
        Classification cl = CLASSIFIER.classify(sql);
        RouteDecision d = router.route(cl, session, topology, 7L, now);
        assertThat(d.failed()).as("%s should route, got %s", sql, d).isFalse();
        session.succeeded(cl, d.node().id(), now);
        return d;
    }

    // Bug A: a read-only transaction ignores the session's pins.

    @Test
    void readOnlyTransactionOfAPinnedSessionStaysOnThePrimary() {
        run("CREATE TEMPORARY TABLE tmp_ids (id INT)");
        RouteDecision begin = run("START TRANSACTION READ ONLY");
        assertThat(begin.node().name()).as("the temporary table only exists on the primary").isEqualTo("p");
        assertThat(run("SELECT * FROM tmp_ids").node().name()).isEqualTo("p");
    }

    @Test
    void jdbcReadOnlyImplicitTransactionOfAPinnedSessionStaysOnThePrimary() {
        run("SET @batch = 42");
        session.setJdbcReadOnly(true);
        session.setAutocommit(false, 0L);
        assertThat(route("SELECT * FROM t WHERE batch = 1").node().name())
                .as("the session's user variable only exists on the primary").isEqualTo("p");
    }

    // Bug B: START TRANSACTION READ ONLY inside an open read-write transaction leaves the primary's
    // transaction uncommitted (the server would commit it implicitly).

    @Test
    void readOnlyBeginInsideAReadWriteTransactionRunsWhereThatTransactionIs() {
        run("BEGIN");
        run("INSERT INTO t VALUES (1)");
        RouteDecision begin = run("START TRANSACTION READ ONLY");
        assertThat(begin.node().name()).as("START TRANSACTION commits the open transaction: it must reach p")
                .isEqualTo("p");
        RouteDecision commit = run("COMMIT");
        assertThat(commit.node().name()).isEqualTo("p");
    }

    @Test
    void readOnlyBeginWithAutocommitOffAfterAWriteRunsOnThePrimary() {
        run("SET autocommit = 0");
        run("UPDATE t SET a = 1");
        assertThat(route("START TRANSACTION READ ONLY").node().name()).isEqualTo("p");
    }

    // Bug C: the read-your-writes window counts from the write inside a transaction, not from its
    // COMMIT, when replicas can start applying it.

    @Test
    void readYourWritesWindowStartsAtTheCommitOfATransactionThatWrote() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.WINDOW));
        run("BEGIN");
        run("INSERT INTO t VALUES (1)");
        now += 2_000 * MS; // a long transaction
        run("COMMIT");
        now += 100 * MS;
        RouteDecision d = route("SELECT * FROM t");
        assertThat(d.node().name()).as("100 ms after the commit, replicas may not have the row yet: %s", d)
                .isEqualTo("p");
    }

    @Test
    void readYourWritesWindowStartsAtTheCommitWithAutocommitOff() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.WINDOW));
        run("SET autocommit = 0");
        run("INSERT INTO t VALUES (1)");
        now += 2_000 * MS;
        run("COMMIT");
        run("SET autocommit = 1");
        now += 100 * MS;
        assertThat(route("SELECT * FROM t").node().name()).isEqualTo("p");
    }

    // Bug D: a statement nobody could classify went to the primary as a possible write, but does
    // not count as a write for read-your-writes.

    @Test
    void unclassifiableStatementCountsAsAWriteForReadYourWrites() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.WINDOW));
        // valid with NO_BACKSLASH_ESCAPES; the lexer sees an unterminated string
        String insert = "INSERT INTO paths VALUES ('C:\\')";
        assertThat(CLASSIFIER.classify(insert).kind()).isEqualTo(StatementKind.UNKNOWN);
        assertThat(run(insert).node().name()).isEqualTo("p");
        now += 50 * MS;
        assertThat(route("SELECT * FROM paths").node().name()).isEqualTo("p");
    }

    // Bug G: an explicit START TRANSACTION READ WRITE is read-only when the session's default is.

    @Test
    void startTransactionReadWriteOverridesJdbcReadOnly() {
        session.setJdbcReadOnly(true);
        RouteDecision begin = run("START TRANSACTION READ WRITE");
        assertThat(begin.node().name()).isEqualTo("p");
        assertThat(session.transaction()).isEqualTo(Transaction.READ_WRITE);
        assertThat(route("UPDATE t SET a = 1").failed()).isFalse();
        run("COMMIT");
        assertThat(session.nextTransactionReadOnly()).as("only that transaction was read-write").isTrue();
    }

    @Test
    void setTransactionReadOnlyAndBeginInOneTextOpenAReadOnlyTransactionAndNothingLingers() {
        RouteDecision begin = run("SET TRANSACTION READ ONLY; START TRANSACTION");
        assertThat(session.transaction()).isEqualTo(Transaction.READ_ONLY);
        assertThat(begin.node().name()).isIn("r1", "r2");
        run("COMMIT");
        run("BEGIN; UPDATE t SET a = 1");
        assertThat(session.transaction()).as("the read-only setting was used up by the first transaction")
                .isEqualTo(Transaction.READ_WRITE);
        assertThat(route("INSERT INTO t VALUES (2)").failed()).isFalse();
    }

    // A max_lag hint may ask for fresher data than the policy, never for staler.

    @Test
    void aMaxLagHintLooserThanThePolicyDoesNotLetStaleReplicasServe() {
        TopologySnapshot stale = FakeTopology.topology(FakeTopology.primary("p"), FakeTopology.lagging("r1", 30_000));
        Classification c = CLASSIFIER.classify("/* rwsplit:max_lag=60s */ SELECT * FROM t");
        RouteDecision d = router.route(c, session, stale, 7L, now);
        assertThat(d.node().name()).as("r1 is 30 s behind, the policy allows 10 s: %s", d).isEqualTo("p");
        assertThat(d.reason()).contains("r1 over max_lag (30.0 s > 10.0 s)");
    }

    // A statement nobody could classify may write: inside a read-only transaction it is refused
    // like a write instead of running on the transaction's replica.

    @Test
    void anUnclassifiableStatementInAReadOnlyTransactionIsRefusedLikeAWrite() {
        session.setJdbcReadOnly(true);
        session.setAutocommit(false, now);
        run("SELECT 1");
        RouteDecision d = route("THIS IS NOT SQL");
        assertThat(d.failed()).isTrue();
        assertThat(d.error().sqlState()).isEqualTo("25006");
    }

    @Test
    void aFailedFirstStatementOfATransactionStillTiesTheTransactionToItsServer() {
        session.setAutocommit(false, now);
        Classification batch = CLASSIFIER.classify("INSERT INTO t VALUES (1)");
        RouteDecision d = router.route(batch, session, topology, 7L, now);
        session.failed(batch, d.node().id());
        assertThat(session.transactionNode()).as("a ROLLBACK must reach the partial work").isEqualTo(d.node().id());
    }
}
