package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.rwsplit.proxy.auth.CachingSha2Password;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.config.AuthFailureLimits;
import io.rwsplit.proxy.config.CidrRange;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.proxy.config.UserConfig;
import io.rwsplit.proxy.protocol.ErrPacket;
import io.rwsplit.proxy.protocol.HandshakeV10;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may log in, as a client sees it: the allow-list, TLS-only users, wrong passwords, the
 * connection limits under a burst, and the slowdown of an address that keeps failing. Each
 * refusal is checked for its errno, SQLSTATE and message, and for the connection being closed.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientSecurityIT {

    private static final String TLS_USER = "px_tls_only";
    private static final String OFFICE_USER = "px_office";
    private static final String LIMITED_USER = "px_limited";
    private static final String PASSWORD = "Sec-uR1ty-pw";
    private static final int USER_LIMIT = 5;
    private static final int BURST = 500;

    private final Cluster cluster;
    private RunningProxy proxy;

    ClientSecurityIT(Cluster cluster) {
        this.cluster = cluster;
    }

    /** A proxy user that is the cluster's app account on the servers. */
    private UserConfig user(String name) {
        return new UserConfig(name, PASSWORD, null, null, List.of(), 0, cluster.app().user(),
                cluster.app().password());
    }

    @BeforeAll
    void start() {
        proxy = RunningProxy.start(cluster, "", LimitsConfig.DEFAULTS.withAuthFailures(AuthFailureLimits.OFF),
                new ClientTlsConfig(null, null, true, false), List.of(
                        user(TLS_USER).withRequireTls(true),
                        user(OFFICE_USER).withAllowedHosts(List.of(CidrRange.parse("10.0.0.0/8"))),
                        user(LIMITED_USER).withMaxConnections(USER_LIMIT)));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private Connection connect(RunningProxy p, String user, String password, String sslMode) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + p.port() + "/" + cluster.database()
                + "?sslMode=" + sslMode + "&allowPublicKeyRetrieval=true&connectTimeout=10000", user, password);
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assertSqlError(Throwable e, int errno, String sqlState, String... message) {
        assertThat(e).isInstanceOf(SQLException.class);
        SQLException s = (SQLException) e;
        assertThat(s.getErrorCode()).as("errno of %s", s).isEqualTo(errno);
        assertThat(s.getSQLState()).as("SQLSTATE of %s", s).isEqualTo(sqlState);
        assertThat(s.getMessage()).contains(message);
    }

    // ---- one login by hand, so the test sees every packet and the close

    /** How a login by hand ended: logged in (the client is still open) or refused with an ERR. */
    private record Login(RawClient client, ErrPacket refusal) {
        boolean ok() {
            return refusal == null;
        }
    }

    /**
     * Logs in over a plain connection, without a schema (no server is involved). A refused login
     * must end in one ERR and a closed connection.
     */
    private static Login login(int port, String user, String password) throws IOException {
        RawClient c = RawClient.connect(port, Duration.ofSeconds(20));
        try {
            RawClient.Pkt first = c.read();
            assertThat(first).as("a greeting or an ERR, not a closed connection").isNotNull();
            if (first.isErr()) {
                return refused(c, first);
            }
            HandshakeV10 g;
            try {
                g = HandshakeV10.decode(Unpooled.wrappedBuffer(first.payload()));
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
            String plugin = g.authPluginName();
            c.write(1, RawClient.handshakeResponse(g, user, password, null, plugin));
            RawClient.Pkt p = c.read();
            assertThat(p).as("an answer to the login").isNotNull();
            if (p.first() == 0x01 && p.payload().length == 2) {
                if (p.payload()[1] == CachingSha2Password.PERFORM_FULL_AUTHENTICATION) {
                    // a wrong password: the client would send it RSA-encrypted; garbage is as wrong
                    c.write(p.seq() + 1, new byte[256]);
                }
                p = c.read();
            }
            if (p.isErr()) {
                return refused(c, p);
            }
            assertThat(p.isOk()).as("OK or ERR, not %s", p).isTrue();
            return new Login(c, null);
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    private static Login refused(RawClient c, RawClient.Pkt err) throws IOException {
        try {
            ErrPacket e = err.err();
            c.expectClosed();
            return new Login(null, e);
        } finally {
            c.close();
        }
    }

    // ---- who may log in

    @Test
    void aClientOutsideTheAllowListIsRefusedWith1130() throws IOException {
        Login l = login(proxy.port(), OFFICE_USER, PASSWORD);
        assertThat(l.ok()).as("refused").isFalse();
        assertThat(l.refusal().errorCode()).isEqualTo(1130);
        assertThat(l.refusal().sqlState()).isEqualTo("HY000");
        assertThat(l.refusal().message()).isEqualTo("Host '127.0.0.1' is not allowed to connect as '" + OFFICE_USER
                + "'");
        assertThatThrownBy(() -> connect(proxy, OFFICE_USER, PASSWORD, "DISABLED").close())
                .satisfies(e -> assertSqlError(e, 1130, "HY000", "Host '127.0.0.1' is not allowed"));
    }

    @Test
    void aTlsOnlyUserWithoutTlsIsRefusedWith1045AndWithTlsLogsIn() throws Exception {
        Login l = login(proxy.port(), TLS_USER, PASSWORD);
        assertThat(l.ok()).as("refused").isFalse();
        assertThat(l.refusal().errorCode()).isEqualTo(1045);
        assertThat(l.refusal().sqlState()).isEqualTo("28000");
        assertThatThrownBy(() -> connect(proxy, TLS_USER, PASSWORD, "DISABLED").close())
                .satisfies(e -> assertSqlError(e, 1045, "28000", "Access denied for user '" + TLS_USER + "'",
                        "the account requires TLS"));
        try (Connection c = connect(proxy, TLS_USER, PASSWORD, "REQUIRED")) {
            assertThat(one(c, "SELECT CURRENT_USER()")).startsWith(cluster.app().user() + "@");
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith1045AndTheConnectionCloses() throws Exception {
        Login l = login(proxy.port(), cluster.app().user(), "not-" + cluster.app().password());
        assertThat(l.ok()).as("refused").isFalse();
        assertThat(l.refusal().errorCode()).isEqualTo(1045);
        assertThat(l.refusal().sqlState()).isEqualTo("28000");
        assertThat(l.refusal().message()).isEqualTo("Access denied for user '" + cluster.app().user()
                + "'@'127.0.0.1' (using password: YES)");
        Login unknown = login(proxy.port(), "px_no_such_user", PASSWORD);
        assertThat(unknown.refusal().errorCode()).as("an unknown user looks the same").isEqualTo(1045);
        assertThatThrownBy(() -> connect(proxy, cluster.app().user(), "wrong", "DISABLED").close())
                .satisfies(e -> assertSqlError(e, 1045, "28000", "Access denied"));
    }

    // ---- limits under a burst

    /** Runs {@code attempts} logins from 32 threads at once; successes stay open and are returned. */
    private static List<Login> burst(int port, String user, String password, int attempts,
            Map<String, Integer> refusals) throws Exception {
        ConcurrentLinkedQueue<Login> done = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                futures.add(pool.submit(() -> {
                    done.add(login(port, user, password));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Login> held = new ArrayList<>();
        for (Login l : done) {
            if (l.ok()) {
                held.add(l);
            } else {
                refusals.merge(l.refusal().errorCode() + " " + l.refusal().sqlState(), 1, Integer::sum);
            }
        }
        return held;
    }

    private static void closeAll(List<Login> held) throws IOException {
        for (Login l : held) {
            l.client().close();
        }
    }

    @Test
    void theProxyLimitHoldsUnderABurstAndFreesUpAfter() throws Exception {
        int limit = 20;
        try (RunningProxy small = RunningProxy.start(cluster, "", LimitsConfig.DEFAULTS.withMaxConnections(limit)
                .withAuthFailures(AuthFailureLimits.OFF), ClientTlsConfig.OFF)) {
            Map<String, Integer> refusals = new TreeMap<>();
            List<Login> held = burst(small.port(), cluster.app().user(), cluster.app().password(), BURST, refusals);
            try {
                assertThat(held.size()).as("logged in at once").isBetween(1, limit);
                assertThat(refusals).as("every other attempt refused with ER_CON_COUNT_ERROR")
                        .containsOnlyKeys("1040 08004");
                assertThat(held.size() + refusals.get("1040 08004")).isEqualTo(BURST);
                assertThat(small.server.runtime().clientCount()).isLessThanOrEqualTo(limit);
                // refused attempts hold a slot for a moment, so the burst may leave a few free: exactly
                // the rest of the limit can still log in, and not one more
                List<Login> more = new ArrayList<>();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                        small.server.runtime().clientCount() == held.size());
                for (int i = held.size(); i < limit; i++) {
                    Login l = login(small.port(), cluster.app().user(), cluster.app().password());
                    assertThat(l.ok()).as("login %d of %d", i + 1, limit).isTrue();
                    more.add(l);
                }
                held.addAll(more);
                Login over = login(small.port(), cluster.app().user(), cluster.app().password());
                assertThat(over.refusal()).as("one over the limit").isNotNull();
                assertThat(over.refusal().errorCode()).isEqualTo(1040);
            } finally {
                closeAll(held);
            }
            // after the burst everyone can connect again
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> small.server.runtime().clientCount() == 0);
            List<Login> again = new ArrayList<>();
            try {
                for (int i = 0; i < limit; i++) {
                    Login l = login(small.port(), cluster.app().user(), cluster.app().password());
                    assertThat(l.ok()).as("login %d after the burst", i + 1).isTrue();
                    again.add(l);
                }
            } finally {
                closeAll(again);
            }
        }
    }

    @Test
    void aUsersLimitHoldsUnderABurstAndFreesUpAfter() throws Exception {
        Map<String, Integer> refusals = new TreeMap<>();
        List<Login> held = burst(proxy.port(), LIMITED_USER, PASSWORD, BURST, refusals);
        try {
            assertThat(held).as("exactly the user's limit logged in").hasSize(USER_LIMIT);
            assertThat(refusals).as("ER_TOO_MANY_USER_CONNECTIONS for every other attempt")
                    .containsExactly(Map.entry("1203 42000", BURST - USER_LIMIT));
            // others are not held back by this user's limit
            try (Connection c = proxy.connect("")) {
                assertThat(one(c, "SELECT 1")).isEqualTo("1");
            }
        } finally {
            closeAll(held);
        }
        List<Login> again = new ArrayList<>();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Login l = login(proxy.port(), LIMITED_USER, PASSWORD);
                assertThat(l.ok()).isTrue();
                again.add(l);
                assertThat(again).hasSize(USER_LIMIT);
            });
        } finally {
            closeAll(again);
        }
    }

    // ---- an address that keeps failing

    /** How long a login with this password takes to be answered, either way. */
    private long millisToAnswer(RunningProxy p, String password, boolean expectOk) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = connect(p, cluster.app().user(), password, "DISABLED")) {
            assertThat(expectOk).as("logged in with %s", password).isTrue();
        } catch (SQLException e) {
            if (expectOk) {
                throw e;
            }
            assertSqlError(e, 1045, "28000", "Access denied");
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void repeatedFailuresFromOneAddressAreAnsweredLaterAndASuccessResets() throws Exception {
        AuthFailureLimits slow = new AuthFailureLimits(2, Duration.ofMillis(400), Duration.ofMillis(1600),
                Duration.ofMinutes(10));
        try (RunningProxy p = RunningProxy.start(cluster, "", LimitsConfig.DEFAULTS.withAuthFailures(slow),
                ClientTlsConfig.OFF)) {
            String wrong = "not-" + cluster.app().password();
            long first = millisToAnswer(p, wrong, false);
            millisToAnswer(p, wrong, false);
            long third = millisToAnswer(p, wrong, false);
            long fourth = millisToAnswer(p, wrong, false);
            assertThat(third).as("the third failure waits 400 ms (the first took %d ms)", first)
                    .isGreaterThanOrEqualTo(400).isGreaterThan(first);
            assertThat(fourth).as("the fourth waits twice as long").isGreaterThanOrEqualTo(800);
            long right = millisToAnswer(p, cluster.app().password(), true);
            assertThat(right).as("the right password waits too (1600 ms, the cap): time must not tell")
                    .isGreaterThanOrEqualTo(1600);
            long after = millisToAnswer(p, wrong, false);
            assertThat(after).as("after a success the address starts afresh").isLessThan(1600);
        }
    }
}
