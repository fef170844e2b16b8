package io.rwsplit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A small orders application, written against plain JDBC, runs unchanged on Connector/J and on
 * rwsplit: only the URL differs.
 */
@SandboxCluster(replicas = 2)
class OrdersAppIT {

    private final Cluster cluster;

    OrdersAppIT(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The application: knows nothing of replicas. */
    static final class Shop {
        private final DataSource db;

        Shop(DataSource db) {
            this.db = db;
        }

        void schema() throws SQLException {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS shop_orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                        + "customer INT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS shop_items (order_id BIGINT NOT NULL, sku VARCHAR(20), "
                        + "qty INT, price DECIMAL(10,2))");
            }
        }

        long placeOrder(int customer, List<Object[]> items) throws SQLException {
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                long id;
                try (PreparedStatement o = c.prepareStatement("INSERT INTO shop_orders (customer) VALUES (?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    o.setInt(1, customer);
                    o.executeUpdate();
                    try (ResultSet k = o.getGeneratedKeys()) {
                        k.next();
                        id = k.getLong(1);
                    }
                }
                try (PreparedStatement i = c.prepareStatement(
                        "INSERT INTO shop_items (order_id, sku, qty, price) VALUES (?, ?, ?, ?)")) {
                    for (Object[] item : items) {
                        i.setLong(1, id);
                        i.setString(2, (String) item[0]);
                        i.setInt(3, (Integer) item[1]);
                        i.setBigDecimal(4, (BigDecimal) item[2]);
                        i.addBatch();
                    }
                    i.executeBatch();
                }
                c.commit();
                return id;
            }
        }

        BigDecimal orderTotal(long id) throws SQLException {
            try (Connection c = db.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT SUM(qty * price) FROM shop_items WHERE order_id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBigDecimal(1);
                }
            }
        }

        Map<Integer, BigDecimal> revenueByCustomer(int from, int to) throws SQLException {
            Map<Integer, BigDecimal> m = new LinkedHashMap<>();
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT o.customer, SUM(i.qty * i.price) FROM shop_orders o JOIN shop_items i ON i.order_id = o.id "
                            + "WHERE o.customer BETWEEN ? AND ? GROUP BY o.customer ORDER BY o.customer")) {
                ps.setInt(1, from);
                ps.setInt(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        m.put(rs.getInt(1), rs.getBigDecimal(2));
                    }
                }
            }
            return m;
        }
    }

    private static HikariDataSource pool(String url, Cluster cluster) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(url);
        h.setUsername(cluster.app().user());
        h.setPassword(cluster.app().password());
        h.setMaximumPoolSize(4);
        return new HikariDataSource(h);
    }

    private static Map<Integer, BigDecimal> run(Shop shop, int base) throws SQLException {
        shop.schema();
        long a = shop.placeOrder(base + 1, List.<Object[]>of(new Object[] {"apple", 3, new BigDecimal("0.50")},
                new Object[] {"pear", 2, new BigDecimal("0.75")}));
        long b = shop.placeOrder(base + 2, List.<Object[]>of(new Object[] {"melon", 1, new BigDecimal("3.20")}));
        assertThat(shop.orderTotal(a)).isEqualByComparingTo("3.00");
        assertThat(shop.orderTotal(b)).isEqualByComparingTo("3.20");
        return shop.revenueByCustomer(base + 1, base + 2);
    }

    @Test
    void theSameApplicationRunsOnConnectorJAndOnRwsplitWithOnlyTheUrlChanged() throws SQLException {
        String plain = "jdbc:mysql://" + cluster.primary().address() + "/" + cluster.database() + "?sslMode=DISABLED";
        String rwsplit = Servers.url(cluster, "rwsplit.readYourWrites=causal");
        Map<Integer, BigDecimal> direct;
        Map<Integer, BigDecimal> routed;
        try (HikariDataSource ds = pool(plain, cluster)) {
            direct = run(new Shop(ds), 1000);
        }
        try (HikariDataSource ds = pool(rwsplit, cluster)) {
            routed = run(new Shop(ds), 2000);
            try (Connection c = ds.getConnection()) {
                assertThat(cluster.replicas().stream().map(n -> n.serverId()).toList())
                        .as("reads still go to the replicas").contains(Servers.serverId(c));
            }
        }
        assertThat(direct.values()).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("3.00"), new BigDecimal("3.20"));
        assertThat(routed.values()).usingElementComparator(BigDecimal::compareTo)
                .containsExactlyElementsOf(direct.values());
    }
}
