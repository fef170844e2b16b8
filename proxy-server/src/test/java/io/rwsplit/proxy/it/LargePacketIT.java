package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.proxy.config.LimitsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Values of 20 MiB through the proxy both ways: a command and a row of more than one 16 MiB
 * packet each. Written through text queries, server-side prepared statements with the value
 * inline and with long data, by both Connector/Js; read back from the replicas through both
 * protocols; compared by SHA-256, computed by the client and by the server.
 *
 * <p>The servers' {@code max_allowed_packet} (16 MiB by default) is raised for the class with
 * SET GLOBAL on every node, before the proxy opens its connections, and put back afterwards.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargePacketIT {

    private static final int SIZE = 20 << 20;
    private static final long SERVER_MAX_PACKET = 64L << 20;

    private final Cluster cluster;
    private final Map<String, Long> originalMaxPacket = new LinkedHashMap<>();
    private RunningProxy proxy;
    private Set<Integer> replicaIds;
    private byte[] data;
    private String digest;

    LargePacketIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() throws SQLException {
        replicaIds = cluster.replicas().stream().map(Node::serverId).collect(Collectors.toSet());
        for (Node n : cluster.nodes()) {
            try (Connection c = n.connectAdmin(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT @@global.max_allowed_packet")) {
                rs.next();
                originalMaxPacket.put(n.name(), rs.getLong(1));
                s.execute("SET GLOBAL max_allowed_packet = " + SERVER_MAX_PACKET);
            }
        }
        try (Connection c = cluster.primary().connect(cluster.app()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS big_values (id INT PRIMARY KEY, data LONGBLOB)");
            s.execute("TRUNCATE TABLE big_values");
        }
        cluster.awaitReplicasCaughtUp(Duration.ofSeconds(10));
        data = new byte[SIZE];
        // every byte value, quotes and backslashes included
        new Random(42).nextBytes(data);
        digest = sha256(data);
        // replicas applying a 20 MiB row report seconds of lag; that is not what this class is about
        proxy = RunningProxy.start(cluster, "maxLag: 10m\n", LimitsConfig.DEFAULTS, ClientTlsConfig.OFF);
    }

    @AfterAll
    void stop() throws SQLException {
        if (proxy != null) {
            proxy.close();
        }
        for (Node n : cluster.nodes()) {
            try (Connection c = n.connectAdmin(); Statement s = c.createStatement()) {
                s.execute("SET GLOBAL max_allowed_packet = " + originalMaxPacket.get(n.name()));
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private Connection mysql(String options) throws SQLException {
        return proxy.connect("socketTimeout=60000" + (options.isEmpty() ? "" : "&" + options));
    }

    private Connection mariadb(String options) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + cluster.database()
                + "?socketTimeout=60000" + (options.isEmpty() ? "" : "&" + options), cluster.app().user(),
                cluster.app().password());
    }

    /**
     * Checks row {@code id} on the primary, server-side, then reads it back through the proxy: from a
     * replica once replication caught up, or (to spare the wait for 20 MiB to replicate) from the
     * primary by hint.
     */
    private void assertStored(Connection c, int id, boolean fromReplica) throws SQLException {
        try (Connection direct = cluster.primary().connect(cluster.app()); Statement s = direct.createStatement();
                ResultSet rs = s.executeQuery("SELECT LENGTH(data), SHA2(data, 256) FROM big_values WHERE id = " + id)) {
            assertThat(rs.next()).as("row " + id + " on the primary").isTrue();
            assertThat(rs.getLong(1)).isEqualTo(SIZE);
            assertThat(rs.getString(2)).isEqualTo(digest);
        }
        Set<Integer> expected = fromReplica ? replicaIds : Set.of(cluster.primary().serverId());
        String hint = fromReplica ? "" : " /* rwsplit:primary */";
        if (fromReplica) {
            cluster.awaitReplicasCaughtUp(Duration.ofSeconds(30));
        }
        // text protocol
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@server_id, data FROM big_values WHERE id = " + id + hint)) {
            assertThat(rs.next()).isTrue();
            assertThat(expected).contains(rs.getInt(1));
            assertThat(sha256(rs.getBytes(2))).isEqualTo(digest);
        }
        // binary protocol, when the connection prepares on the server
        try (PreparedStatement q = c.prepareStatement("SELECT @@server_id, data FROM big_values WHERE id = ?" + hint)) {
            q.setInt(1, id);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(expected).contains(rs.getInt(1));
                assertThat(sha256(rs.getBytes(2))).isEqualTo(digest);
            }
        }
    }

    @Test
    void aTextQueryOfMoreThanOnePacket() throws SQLException {
        // client-side prepared: Connector/J sends one COM_QUERY with the value escaped inline
        try (Connection c = mysql("");
                PreparedStatement ins = c.prepareStatement("INSERT INTO big_values (id, data) VALUES (1, ?)")) {
            ins.setBytes(1, data);
            assertThat(ins.executeUpdate()).isEqualTo(1);
            assertStored(c, 1, true);
        }
    }

    @Test
    void aServerPreparedExecuteOfMoreThanOnePacket() throws SQLException {
        try (Connection c = mysql("useServerPrepStmts=true");
                PreparedStatement ins = c.prepareStatement("INSERT INTO big_values (id, data) VALUES (2, ?)")) {
            ins.setBytes(1, data);
            assertThat(ins.executeUpdate()).isEqualTo(1);
            assertStored(c, 2, true);
        }
    }

    @Test
    void longDataSentInChunksBeforeTheExecute() throws SQLException {
        // a stream parameter goes as COM_STMT_SEND_LONG_DATA chunks, which the proxy keeps for the execute
        try (Connection c = mysql("useServerPrepStmts=true&blobSendChunkSize=4194304");
                PreparedStatement ins = c.prepareStatement("INSERT INTO big_values (id, data) VALUES (3, ?)")) {
            ins.setBinaryStream(1, new ByteArrayInputStream(data), SIZE);
            assertThat(ins.executeUpdate()).isEqualTo(1);
            assertStored(c, 3, false);
        }
    }

    @Test
    void theMariaDbConnectorBothWays() throws SQLException {
        try (Connection c = mariadb("useServerPrepStmts=true");
                PreparedStatement ins = c.prepareStatement("INSERT INTO big_values (id, data) VALUES (4, ?)")) {
            ins.setBytes(1, data);
            assertThat(ins.executeUpdate()).isEqualTo(1);
            assertStored(c, 4, true);
        }
        try (Connection c = mariadb("");
                PreparedStatement ins = c.prepareStatement("INSERT INTO big_values (id, data) VALUES (5, ?)")) {
            ins.setBytes(1, data);
            assertThat(ins.executeUpdate()).isEqualTo(1);
            assertStored(c, 5, false);
        }
    }

    @Test
    void aCommandOverTheProxysLimitIsRefusedWithPacketTooLarge() throws SQLException {
        LimitsConfig small = new LimitsConfig(100, Duration.ofSeconds(10), 8L << 20, Duration.ofSeconds(2), 0);
        try (RunningProxy limited = RunningProxy.start(cluster, "", small, ClientTlsConfig.OFF);
                Connection c = limited.connect("socketTimeout=60000&useServerPrepStmts=true")) {
            // not closed by the test: the proxy closes the connection after its error, as a server would
            PreparedStatement ins = c.prepareStatement("INSERT INTO big_values (id, data) VALUES (6, ?)");
            ins.setBytes(1, data);
            assertThatThrownBy(ins::executeUpdate).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getErrorCode()).isEqualTo(1153);
                assertThat(e.getSQLState()).isEqualTo("08S01");
            });
            assertThat(c.isValid(2)).isFalse();
        }
        try (Connection direct = cluster.primary().connect(cluster.app()); Statement s = direct.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM big_values WHERE id = 6")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
