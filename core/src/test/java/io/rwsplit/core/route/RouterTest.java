package io.rwsplit.core.route;

import static io.rwsplit.core.route.FakeTopology.down;
import static io.rwsplit.core.route.FakeTopology.draining;
import static io.rwsplit.core.route.FakeTopology.executed;
import static io.rwsplit.core.route.FakeTopology.healthy;
import static io.rwsplit.core.route.FakeTopology.lagging;
import static io.rwsplit.core.route.FakeTopology.primary;
import static io.rwsplit.core.route.FakeTopology.replica;
import static io.rwsplit.core.route.FakeTopology.standby;
import static io.rwsplit.core.route.FakeTopology.topology;
import static io.rwsplit.core.route.FakeTopology.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.core.balance.LoadBalancers;
import io.rwsplit.core.config.BalanceStrategy;
import io.rwsplit.core.config.Fallback;
import io.rwsplit.core.config.ReadYourWrites;
import io.rwsplit.core.flavor.Flavor;
import io.rwsplit.core.flavor.GtidSet;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.core.session.Transaction;
import io.rwsplit.core.sql.Classification;
import io.rwsplit.core.sql.StatementClassifier;
import io.rwsplit.core.topology.NodeView;
import io.rwsplit.core.topology.TopologySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Where the router sends statements given the session's state and the topology: reads balanced
 * over fresh replicas, writes and primary-bound reads to the primary, transactions kept on one
 * node, pins, previous-statement reads, session settings, hints, read-your-writes, fallbacks and
 * errors. Multi-statement sequences are driven like a front end would: route, then report the
 * statement as succeeded on the chosen node.
 */
class RouterTest {

    private static final StatementClassifier CLASSIFIER = StatementClassifier.withDefaults();
    private static final long MS = 1_000_000L;

    private final SessionState session = new SessionState();
    private Router router = router(RoutingPolicy.DEFAULTS);
    private TopologySnapshot topology = healthy();
    /** The front end's clock, in nanoseconds. */
    private long now = 1_000_000_000L;

    @AfterAll
    static void close() {
        CLASSIFIER.close();
    }

    private static Router router(RoutingPolicy policy) {
        return new Router(policy, LoadBalancers.create(BalanceStrategy.ROUND_ROBIN, RandomGenerator.of("L64X128MixRandom")));
    }

    private static RoutingPolicy policy(Duration maxLag, Fallback fallback, ReadYourWrites ryw, int primaryReadWeight) {
        return new RoutingPolicy(maxLag, fallback, ryw, Duration.ofMillis(500), Duration.ofMillis(200),
                primaryReadWeight);
    }

    private static Classification c(String sql) {
        return CLASSIFIER.classify(sql);
    }

    /** Routes {@code sql} for the session without running it. */
    private RouteDecision route(String sql) {
        return router.route(c(sql), session, topology, 7L, now);
    }

    /** Routes {@code sql} and, like a front end, reports it as succeeded on the chosen node. */
    private RouteDecision run(String sql) {
        Classification cl = c(sql);
        RouteDecision d = router.route(cl, session, topology, 7L, now);
        assertThat(d.failed()).as("%s should route, got %s", sql, d).isFalse();
        session.succeeded(cl, d.node().id(), now);
        return d;
    }

    private static String node(RouteDecision d) {
        return d.failed() ? "error" : d.node().name();
    }

    private List<String> nodesFor(String sql, int times) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            names.add(node(route(sql)));
        }
        return names;
    }

    // ---- the rule behind each decision, a small fixed set metrics can count by ----

    @Test
    void eachDecisionNamesTheRuleThatMadeIt() {
        assertThat(route("SELECT * FROM t").cause()).isEqualTo(RouteDecision.Cause.READ);
        assertThat(route("INSERT INTO t VALUES (1)").cause()).isEqualTo(RouteDecision.Cause.WRITE);
        assertThat(route("SELECT * FROM t FOR UPDATE").cause()).isEqualTo(RouteDecision.Cause.LOCKING_READ);
        assertThat(route("SELECT LAST_INSERT_ID()").cause()).isEqualTo(RouteDecision.Cause.PRIMARY_READ);
        assertThat(route("FROBNICATE everything").cause()).isEqualTo(RouteDecision.Cause.UNCLASSIFIED);
        assertThat(route("/* rwsplit:primary */ SELECT 1").cause()).isEqualTo(RouteDecision.Cause.HINT);
        assertThat(route("SELECT FOUND_ROWS()").cause()).isEqualTo(RouteDecision.Cause.PREVIOUS);
        assertThat(route("SET NAMES utf8mb4").cause()).isEqualTo(RouteDecision.Cause.SESSION);
        assertThat(run("BEGIN").cause()).isEqualTo(RouteDecision.Cause.TRANSACTION);
        assertThat(route("SELECT * FROM t").cause()).isEqualTo(RouteDecision.Cause.TRANSACTION);
        assertThat(run("COMMIT").cause()).isEqualTo(RouteDecision.Cause.TRANSACTION);
        assertThat(run("START TRANSACTION READ ONLY").cause()).isEqualTo(RouteDecision.Cause.READ_ONLY_TRANSACTION);
        assertThat(route("SELECT * FROM t").cause()).isEqualTo(RouteDecision.Cause.READ_ONLY_TRANSACTION);
        run("COMMIT");
        run("CREATE TEMPORARY TABLE tmp (a INT)");
        assertThat(route("SELECT * FROM t").cause()).isEqualTo(RouteDecision.Cause.PINNED);
        assertThat(RouteDecision.Cause.READ_YOUR_WRITES.label()).isEqualTo("read_your_writes");
    }

    // ---- writes and primary-bound statements ----

    @Test
    void writesGoToThePrimaryWithTheirReason() {
        RouteDecision d = route("INSERT INTO t VALUES (1)");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("write (INSERT)");
        assertThat(d.sessionWide()).isFalse();
        assertThat(d.causalWait()).isNull();
    }

    @Test
    void lockingAndPrimaryBoundReadsGoToThePrimary() {
        assertThat(route("SELECT * FROM t WHERE id = 1 FOR UPDATE").reason()).isEqualTo("locking read (FOR UPDATE)");
        assertThat(node(route("SELECT * FROM t WHERE id = 1 FOR UPDATE"))).isEqualTo("p");
        assertThat(node(route("SELECT LAST_INSERT_ID()"))).isEqualTo("p");
        assertThat(node(route("SELECT GET_LOCK('x', 1)"))).isEqualTo("p");
        assertThat(node(route("SELECT @a"))).isEqualTo("p");
        assertThat(node(route("FROBNICATE everything"))).isEqualTo("p");
    }

    @Test
    void unknownStatementGoesToThePrimaryEvenWhenHintedToAReplica() {
        RouteDecision d = route("/* rwsplit:replica */ FROBNICATE everything");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).endsWith("; rwsplit:replica ignored: a write never goes to a replica");
    }

    @Test
    void writeHintedToAReplicaStillGoesToThePrimary() {
        RouteDecision d = route("/* rwsplit:replica */ UPDATE t SET a = 1");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("write (UPDATE); rwsplit:replica ignored: a write never goes to a replica");
    }

    @Test
    void noPrimaryIsAConnectionClassError() {
        topology = topology(down(primary("p")), replica("r1"));
        RouteDecision d = route("INSERT INTO t VALUES (1)");
        assertThat(d.failed()).isTrue();
        assertThat(d.node()).isNull();
        assertThat(d.error().errno()).isEqualTo(2003);
        assertThat(d.error().sqlState()).isEqualTo("08S01");
        assertThat(d.error().message()).isEqualTo(
                "no primary is available for this statement (write (INSERT); nodes: p primary down, r1 replica up)");
        assertThat(d.reason()).isEqualTo(d.error().message());
    }

    @Test
    void noPrimaryInAnEmptyTopology() {
        topology = topology();
        assertThat(route("DELETE FROM t").error().message())
                .isEqualTo("no primary is available for this statement (write (DELETE); nodes: no nodes)");
    }

    @Test
    void readsStillWorkWithoutAPrimary() {
        topology = topology(down(primary("p")), replica("r1"));
        assertThat(node(route("SELECT 1"))).isEqualTo("r1");
    }

    // ---- reads ----

    @Test
    void readsAreBalancedOverTheReplicasAndNeverThePrimary() {
        assertThat(nodesFor("SELECT * FROM t", 4)).containsExactly("r1", "r2", "r1", "r2");
    }

    @Test
    void readReasonIsTheClassifiersReason() {
        RouteDecision d = route("SHOW TABLES");
        assertThat(d.reason()).isEqualTo("read (SHOW)");
        assertThat(d.sessionWide()).isFalse();
    }

    @Test
    void replicaOverMaxLagTakesNoReads() {
        topology = topology(primary("p"), lagging("r1", 30_000), replica("r2"));
        assertThat(nodesFor("SELECT 1", 3)).containsOnly("r2");
    }

    @Test
    void noFreshReplicaFallsBackToThePrimaryAndSaysWhy() {
        topology = topology(primary("p"), lagging("r1", 30_000), replica("r2", null));
        RouteDecision d = route("SELECT 1");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("no replica can serve it (r1 over max_lag (30.0 s > 10.0 s); "
                + "r2 replication not running (lag unknown)), fell back to primary");
    }

    @Test
    void downDrainingAndWeightZeroReplicasTakeNoReads() {
        topology = topology(primary("p"), down(replica("r1")), draining(replica("r2")), weighted(replica("r3"), 0),
                replica("r4"));
        assertThat(nodesFor("SELECT 1", 3)).containsOnly("r4");
    }

    @Test
    void standbyTakesReadsOnlyWhenNoOtherReplicaCan() {
        topology = topology(primary("p"), standby("s1"), replica("r1"));
        assertThat(nodesFor("SELECT 1", 3)).containsOnly("r1");
        topology = topology(primary("p"), standby("s1"), lagging("r1", 60_000));
        assertThat(nodesFor("SELECT 1", 3)).containsOnly("s1");
    }

    @Test
    void primaryReadWeightPutsThePrimaryAmongTheReadCandidates() {
        router = router(policy(Duration.ofSeconds(10), Fallback.PRIMARY, ReadYourWrites.NONE, 1));
        assertThat(nodesFor("SELECT 1", 6)).containsExactly("r1", "r2", "p", "r1", "r2", "p");
    }

    @Test
    void fallbackErrorFailsTheReadWithAConnectionClassError() {
        router = router(RoutingPolicy.DEFAULTS.withFallback(Fallback.ERROR));
        topology = topology(primary("p"), down(replica("r1")), lagging("r2", 11_000));
        RouteDecision d = route("SELECT 1");
        assertThat(d.failed()).isTrue();
        assertThat(d.error().errno()).isEqualTo(RouteError.UNAVAILABLE).isEqualTo(2003);
        assertThat(d.error().sqlState()).isEqualTo("08S01");
        assertThat(d.error().message()).isEqualTo("no replica can serve this read and fallback is 'error' "
                + "(no replica can serve it (r1 down; r2 over max_lag (11.0 s > 10.0 s)))");
    }

    @Test
    void fallbackErrorDoesNotConcernWrites() {
        router = router(RoutingPolicy.DEFAULTS.withFallback(Fallback.ERROR));
        topology = topology(primary("p"), down(replica("r1")));
        assertThat(node(route("UPDATE t SET a = 1"))).isEqualTo("p");
    }

    @Test
    void noReplicasConfiguredFallsBackToThePrimary() {
        topology = topology(primary("p"));
        RouteDecision d = route("SELECT 1");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("no replica can serve it (no replicas configured), fell back to primary");
    }

    @Test
    void readWithNeitherReplicaNorPrimaryIsAnError() {
        topology = topology(down(primary("p")), down(replica("r1")));
        RouteDecision d = route("SELECT 1");
        assertThat(d.failed()).isTrue();
        assertThat(d.error().sqlState()).isEqualTo("08S01");
    }

    // ---- hints ----

    @Test
    void primaryHintSendsAReadToThePrimary() {
        RouteDecision d = route("SELECT /* rwsplit:primary */ * FROM t");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("read; hint rwsplit:primary");
    }

    @Test
    void replicaHintKeepsAReadOnTheReplicas() {
        assertThat(nodesFor("SELECT /* rwsplit:replica */ * FROM t", 2)).containsExactly("r1", "r2");
    }

    @Test
    void maxLagHintStricterThanThePolicyNarrowsTheReplicas() {
        topology = topology(primary("p"), lagging("r1", 2_000), lagging("r2", 100));
        assertThat(nodesFor("SELECT 1", 2)).containsExactlyInAnyOrder("r1", "r2");
        assertThat(nodesFor("SELECT /* rwsplit:max_lag=500ms */ 1", 3)).containsOnly("r2");
    }

    @Test
    void maxLagHintNoReplicaMeetsFallsBackAndNamesTheHint() {
        topology = topology(primary("p"), lagging("r1", 2_000), lagging("r2", 1_000));
        RouteDecision d = route("SELECT /* rwsplit:max_lag=500ms */ 1");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("no replica can serve it within the rwsplit:max_lag hint "
                + "(r1 over max_lag (2.0 s > 0.5 s); r2 over max_lag (1.0 s > 0.5 s)), fell back to primary");
    }

    @Test
    void maxLagHintDoesNotMakeAWriteAReplicaCandidate() {
        assertThat(node(route("/* rwsplit:max_lag=10s */ DELETE FROM t"))).isEqualTo("p");
    }

    // ---- read-your-writes: window ----

    @Test
    void windowKeepsReadsOnThePrimaryRightAfterAWrite() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.WINDOW));
        run("INSERT INTO t VALUES (1)");
        now += 100 * MS;
        RouteDecision d = route("SELECT * FROM t");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo(
                "read-your-writes: 100 ms since this session's last write (window 500 ms)");
    }

    @Test
    void windowEndsAfterItsLength() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.WINDOW));
        run("INSERT INTO t VALUES (1)");
        now += 499 * MS;
        assertThat(node(route("SELECT 1"))).isEqualTo("p");
        now += MS;
        assertThat(node(route("SELECT 1"))).isIn("r1", "r2");
    }

    @Test
    void windowRestartsWithEveryWrite() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.WINDOW));
        run("INSERT INTO t VALUES (1)");
        now += 400 * MS;
        run("UPDATE t SET a = 2");
        now += 400 * MS;
        assertThat(node(route("SELECT 1"))).isEqualTo("p");
    }

    @Test
    void windowDoesNotApplyBeforeTheFirstWrite() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.WINDOW));
        assertThat(node(route("SELECT 1"))).isIn("r1", "r2");
    }

    @Test
    void replicaHintOptsOutOfReadYourWrites() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.WINDOW));
        run("INSERT INTO t VALUES (1)");
        assertThat(node(route("SELECT /* rwsplit:replica */ * FROM t"))).isIn("r1", "r2");
    }

    @Test
    void withoutReadYourWritesAReadRightAfterAWriteGoesToAReplica() {
        run("INSERT INTO t VALUES (1)");
        assertThat(node(route("SELECT * FROM t"))).isIn("r1", "r2");
    }

    // ---- read-your-writes: causal ----

    private static GtidSet mariadb(String text) {
        return GtidSet.parse(Flavor.MARIADB, text);
    }

    @Test
    void causalReadGoesToAReplicaThatHasAppliedTheWrite() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.CAUSAL));
        topology = topology(primary("p"), executed(replica("r1"), mariadb("0-1-10")),
                executed(replica("r2"), mariadb("0-1-12")));
        run("INSERT INTO t VALUES (1)");
        session.recordWriteGtid(mariadb("0-1-12"));

        for (int i = 0; i < 3; i++) {
            RouteDecision d = route("SELECT * FROM t");
            assertThat(node(d)).isEqualTo("r2");
            assertThat(d.causalWait()).isNull();
            assertThat(d.reason()).isEqualTo("read; read-your-writes: r2 has applied this session's last write");
        }
    }

    @Test
    void causalReadWaitsOnAFreshReplicaWhenNoneHasTheWriteYet() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.CAUSAL));
        topology = topology(primary("p"), executed(replica("r1"), mariadb("0-1-10")),
                executed(replica("r2"), mariadb("0-1-11")));
        run("INSERT INTO t VALUES (1)");
        session.recordWriteGtid(mariadb("0-1-12"));

        RouteDecision d = route("SELECT * FROM t");
        assertThat(node(d)).isIn("r1", "r2");
        assertThat(d.causalWait()).isNotNull();
        assertThat(d.causalWait().gtid()).isEqualTo(mariadb("0-1-12"));
        assertThat(d.causalWait().timeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(d.causalWait().fallback().name()).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("read; read-your-writes: waiting up to 200 ms for " + node(d)
                + " to apply this session's last write, else the primary");
    }

    @Test
    void causalReadWithMySqlGtidSets() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.CAUSAL));
        topology = topology(primary("p"), executed(replica("r1"), GtidSet.parse(Flavor.MYSQL, uuid + ":1-41")),
                executed(replica("r2"), GtidSet.parse(Flavor.MYSQL, uuid + ":1-42")));
        run("UPDATE t SET a = 1");
        session.recordWriteGtid(GtidSet.parse(Flavor.MYSQL, uuid + ":42"));
        assertThat(nodesFor("SELECT 1", 3)).containsOnly("r2");
    }

    @Test
    void causalReadWithoutAKnownGtidIsAnOrdinaryRead() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.CAUSAL));
        run("INSERT INTO t VALUES (1)");
        RouteDecision d = route("SELECT 1");
        assertThat(node(d)).isIn("r1", "r2");
        assertThat(d.causalWait()).isNull();
        assertThat(d.reason()).isEqualTo("read");
    }

    @Test
    void causalReadWithNoFreshReplicaFallsBackToThePrimary() {
        router = router(RoutingPolicy.DEFAULTS.withReadYourWrites(ReadYourWrites.CAUSAL));
        topology = topology(primary("p"), executed(down(replica("r1")), mariadb("0-1-99")));
        run("INSERT INTO t VALUES (1)");
        session.recordWriteGtid(mariadb("0-1-12"));
        RouteDecision d = route("SELECT 1");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.causalWait()).isNull();
        assertThat(d.reason()).contains("r1 down").endsWith("fell back to primary");
    }

    // ---- read-only transactions ----

    @Test
    void readOnlyTransactionSticksToOneReplica() {
        RouteDecision begin = run("START TRANSACTION READ ONLY");
        String chosen = node(begin);
        assertThat(chosen).isIn("r1", "r2");
        assertThat(begin.reason()).isEqualTo("read-only transaction on " + chosen);

        for (int i = 0; i < 4; i++) {
            RouteDecision d = run("SELECT * FROM t");
            assertThat(node(d)).isEqualTo(chosen);
            assertThat(d.reason()).isEqualTo("read-only transaction on " + chosen);
        }
        assertThat(node(run("SELECT * FROM t FOR UPDATE"))).as("even locking reads stay").isEqualTo(chosen);

        RouteDecision commit = run("COMMIT");
        assertThat(node(commit)).isEqualTo(chosen);
        assertThat(commit.reason()).isEqualTo("commit on " + chosen);
        assertThat(session.transaction()).isEqualTo(Transaction.NONE);

        assertThat(nodesFor("SELECT 1", 2)).containsExactlyInAnyOrder("r1", "r2");
    }

    @Test
    void writeInsideAReadOnlyTransactionFailsLikeTheServerWould() {
        run("START TRANSACTION READ ONLY");
        RouteDecision d = route("UPDATE t SET a = 1");
        assertThat(d.failed()).isTrue();
        assertThat(d.error().errno()).isEqualTo(1792);
        assertThat(d.error().sqlState()).isEqualTo("25006");
        assertThat(d.error().message()).isEqualTo("Cannot execute statement in a READ ONLY transaction.");
    }

    @Test
    void readOnlyTransactionWhoseReplicaWentDownFails() {
        String chosen = node(run("START TRANSACTION READ ONLY"));
        NodeView gone = topology.node(chosen).orElseThrow();
        topology = topology.with(down(gone));

        RouteDecision d = route("SELECT 1");
        assertThat(d.failed()).isTrue();
        assertThat(d.error().errno()).isEqualTo(2003);
        assertThat(d.error().sqlState()).isEqualTo("08S01");
        assertThat(d.error().message()).isEqualTo("the server running this transaction (" + chosen
                + ") is no longer available; roll back and retry");
        assertThat(route("COMMIT").failed()).as("commit cannot reach it either").isTrue();
    }

    @Test
    void readOnlyTransactionWithNoFreshReplicaRunsOnThePrimary() {
        topology = topology(primary("p"), lagging("r1", 60_000));
        RouteDecision d = run("START TRANSACTION READ ONLY");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("read-only transaction: no replica can take it "
                + "(r1 over max_lag (60.0 s > 10.0 s)), fell back to primary");
        assertThat(node(run("SELECT 1"))).isEqualTo("p");
    }

    @Test
    void readOnlyTransactionWithNoReplicaAndFallbackErrorFails() {
        router = router(RoutingPolicy.DEFAULTS.withFallback(Fallback.ERROR));
        topology = topology(primary("p"), down(replica("r1")));
        RouteDecision d = route("START TRANSACTION READ ONLY");
        assertThat(d.failed()).isTrue();
        assertThat(d.error().message()).contains("read-only transaction: no replica can take it (r1 down)");
    }

    @Test
    void setTransactionReadOnlyThenBeginOpensAReadOnlyTransactionOnAReplica() {
        run("SET TRANSACTION READ ONLY");
        RouteDecision begin = run("BEGIN");
        assertThat(node(begin)).isIn("r1", "r2");
        assertThat(session.transaction()).isEqualTo(Transaction.READ_ONLY);
        run("COMMIT");
        assertThat(node(run("BEGIN"))).as("only the next transaction was read-only").isEqualTo("p");
    }

    @Test
    void jdbcReadOnlyWithAutocommitOffReadsFromOneReplica() {
        session.setJdbcReadOnly(true);
        session.setAutocommit(false, 0L);
        String chosen = node(run("SELECT 1"));
        assertThat(chosen).isIn("r1", "r2");
        assertThat(node(run("SELECT 2"))).isEqualTo(chosen);
        assertThat(node(run("SELECT 3"))).isEqualTo(chosen);
        assertThat(route("INSERT INTO t VALUES (1)").error().errno()).isEqualTo(1792);
        assertThat(node(run("COMMIT"))).isEqualTo(chosen);
    }

    @Test
    void sessionSettingInsideAReadOnlyTransactionRunsOnItsReplicaSessionWide() {
        String chosen = node(run("START TRANSACTION READ ONLY"));
        RouteDecision d = route("SET time_zone = 'UTC'");
        assertThat(node(d)).isEqualTo(chosen);
        assertThat(d.sessionWide()).isTrue();
    }

    // ---- read-write transactions ----

    @Test
    void everythingInAReadWriteTransactionGoesToThePrimary() {
        RouteDecision begin = run("BEGIN");
        assertThat(node(begin)).isEqualTo("p");
        assertThat(begin.reason()).isEqualTo("begin");
        RouteDecision read = run("SELECT * FROM t");
        assertThat(node(read)).isEqualTo("p");
        assertThat(read.reason()).isEqualTo("in transaction");
        assertThat(node(run("SELECT /* rwsplit:replica */ 1"))).isEqualTo("p");
        assertThat(node(run("SHOW WARNINGS"))).isEqualTo("p");
        RouteDecision commit = run("COMMIT");
        assertThat(node(commit)).isEqualTo("p");
        assertThat(commit.reason()).isEqualTo("commit on p");
    }

    @Test
    void beginSelectCommitSelectReturnsToTheReplicas() {
        run("BEGIN");
        assertThat(node(run("SELECT 1"))).isEqualTo("p");
        run("COMMIT");
        assertThat(List.of(node(run("SELECT 1")), node(run("SELECT 1")))).containsExactlyInAnyOrder("r1", "r2");
    }

    @Test
    void readWriteTransactionWhosePrimaryChangedFails() {
        run("BEGIN");
        run("UPDATE t SET a = 1");
        // failover: p died, r1 was promoted
        topology = topology(down(primary("p")), primary("r1"), replica("r2"));
        RouteDecision d = route("UPDATE t SET a = 2");
        assertThat(d.failed()).isTrue();
        assertThat(d.error().sqlState()).isEqualTo("08S01");
        assertThat(d.error().message()).isEqualTo(
                "the server running this transaction (p) is no longer available; roll back and retry");
        assertThat(route("SELECT 1").failed()).isTrue();
    }

    @Test
    void readWriteTransactionBeforeItsFirstStatementJustUsesThePrimary() {
        session.setAutocommit(false, 0L);
        topology = topology(down(primary("p")), primary("r1"), replica("r2"));
        assertThat(node(route("SELECT 1"))).isEqualTo("r1");
    }

    @Test
    void autocommitOffKeepsEverythingOnThePrimary() {
        run("SET autocommit = 0");
        RouteDecision d = run("SELECT * FROM t");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("autocommit off (implicit transaction)");
        run("COMMIT");
        assertThat(node(run("SELECT * FROM t"))).as("still autocommit off").isEqualTo("p");
        run("SET autocommit = 1");
        assertThat(node(route("SELECT * FROM t"))).isIn("r1", "r2");
    }

    @Test
    void ddlEndsTheTransactionAndReadsGoBackToReplicas() {
        run("BEGIN");
        run("CREATE TABLE u (id INT)");
        assertThat(node(route("SELECT 1"))).isIn("r1", "r2");
    }

    @Test
    void commitOutsideATransactionGoesToThePrimary() {
        RouteDecision d = route("COMMIT");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("commit");
    }

    @Test
    void serverSaysATransactionIsOpenSoReadsStayOnThePrimary() {
        session.observeServer(true, true, 0L);
        assertThat(node(route("SELECT 1"))).isEqualTo("p");
    }

    // ---- pins ----

    @Test
    void temporaryTablePinsReadsToThePrimaryUntilDropped() {
        run("CREATE TEMPORARY TABLE tmp_ids (id INT)");
        RouteDecision d = route("SELECT * FROM tmp_ids");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("pinned: temporary table tmp_ids");
        run("DROP TEMPORARY TABLE tmp_ids");
        assertThat(node(route("SELECT * FROM t"))).isIn("r1", "r2");
    }

    @Test
    void pinWinsOverAReplicaHint() {
        run("SELECT GET_LOCK('job', 0)");
        RouteDecision d = route("SELECT /* rwsplit:replica */ 1");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("pinned: named lock job");
    }

    @Test
    void lockTablesPinsUntilUnlock() {
        run("LOCK TABLES t READ");
        assertThat(route("SELECT * FROM t").reason()).isEqualTo("pinned: table lock");
        run("UNLOCK TABLES");
        assertThat(node(route("SELECT * FROM t"))).isIn("r1", "r2");
    }

    @Test
    void sessionSettingInAPinnedSessionGoesToThePrimarySessionWide() {
        run("SET @a = 1");
        RouteDecision d = route("SET time_zone = 'UTC'");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.sessionWide()).isTrue();
        assertThat(d.reason()).isEqualTo("pinned: user variable @a");
    }

    // ---- previous-statement reads ----

    @Test
    void previousStatementReadsGoWhereThePreviousStatementRan() {
        String first = node(run("SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 10"));
        for (String sql : List.of("SELECT FOUND_ROWS()", "SHOW WARNINGS", "SHOW COUNT(*) ERRORS", "SELECT @@warning_count")) {
            RouteDecision d = route(sql);
            assertThat(node(d)).as(sql).isEqualTo(first);
            assertThat(d.reason()).as(sql).endsWith(" on " + first);
        }
    }

    @Test
    void previousStatementReadsFollowAFailedStatementToo() {
        Classification bad = c("INSERT INTO missing VALUES (1)");
        RouteDecision d = router.route(bad, session, topology, 7L, now);
        session.failed(bad, d.node().id());
        assertThat(node(route("SHOW WARNINGS"))).isEqualTo("p");
    }

    @Test
    void previousStatementReadWithoutAPreviousStatementGoesToThePrimary() {
        RouteDecision d = route("SHOW WARNINGS");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.reason()).isEqualTo("reads the previous statement's warnings; no previous statement's server, "
                + "so the primary");
    }

    @Test
    void previousStatementReadWhenThatNodeIsDownGoesToThePrimary() {
        String first = node(run("SELECT 1"));
        topology = topology.with(down(topology.node(first).orElseThrow()));
        assertThat(node(route("SELECT ROW_COUNT()"))).isEqualTo("p");
    }

    // ---- session settings ----

    @Test
    void sessionSettingRunsOnThePreviousNodeAndIsSessionWide() {
        String first = node(run("SELECT 1"));
        RouteDecision d = route("SET NAMES utf8mb4");
        assertThat(node(d)).isEqualTo(first);
        assertThat(d.sessionWide()).isTrue();
        assertThat(d.reason()).isEqualTo("session setting, applied on every backend");
    }

    @Test
    void sessionSettingAsTheFirstStatementRunsOnThePrimarySessionWide() {
        RouteDecision d = route("USE app");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.sessionWide()).isTrue();
    }

    @Test
    void sessionSettingWhenThePreviousNodeIsDownRunsOnThePrimary() {
        String first = node(run("SELECT 1"));
        topology = topology.with(down(topology.node(first).orElseThrow()));
        RouteDecision d = route("SET time_zone = 'UTC'");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.sessionWide()).isTrue();
    }

    @Test
    void sessionSettingInsideAReadWriteTransactionIsOnThePrimarySessionWide() {
        run("BEGIN");
        RouteDecision d = route("SET time_zone = 'UTC'");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.sessionWide()).isTrue();
    }

    @Test
    void globalSettingIsAnOrdinaryPrimaryStatement() {
        RouteDecision d = route("SET GLOBAL max_connections = 10");
        assertThat(node(d)).isEqualTo("p");
        assertThat(d.sessionWide()).isFalse();
    }

    // ---- decisions ----

    @Test
    void decisionHasANodeOrAnErrorNeverBoth() {
        NodeView p = primary("p");
        RouteError e = RouteError.noPrimary("x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RouteDecision(p, "r", false, null, e))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RouteDecision(null, "r", false, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decisionPrintsForLogs() {
        assertThat(route("INSERT INTO t VALUES (1)").toString()).isEqualTo("p: write (INSERT)");
        topology = topology(down(primary("p")));
        assertThat(route("INSERT INTO t VALUES (1)").toString())
                .isEqualTo("error 2003: no primary is available for this statement (write (INSERT); nodes: p primary down)");
    }

    @Test
    void routingIsPureForTheSameBalancerPosition() {
        // two routers with fresh balancers make the same decisions for the same inputs
        Router a = router(RoutingPolicy.DEFAULTS);
        Router b = router(RoutingPolicy.DEFAULTS);
        for (String sql : List.of("SELECT 1", "SELECT 2", "INSERT INTO t VALUES (1)", "SHOW WARNINGS", "SELECT 3")) {
            assertThat(a.route(c(sql), session, topology, 1L, now)).isEqualTo(b.route(c(sql), session, topology, 1L,
                    now));
        }
    }
}
