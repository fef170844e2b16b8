package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LOAD DATA LOCAL INFILE file much larger than the socket buffers: the proxy passes it on at the
 * server's pace (holding the client while the server's socket is full) and every row arrives.
 */
@SandboxCluster(replicas = 2)
class LargeUploadIT {

    private static final int ROWS = 400_000;

    private final Cluster cluster;

    LargeUploadIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void everyRowOfALargeFileArrives(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rows.csv");
        long expectedSum = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= ROWS; i++) {
                w.write(i + ",row number " + i + " with some padding to make the file larger\n");
                expectedSum += i;
            }
        }
        assertThat(Files.size(file)).isGreaterThan(20L << 20);
        try (RunningProxy proxy = RunningProxy.start(cluster);
                Connection c = proxy.connect("allowLoadLocalInfile=true"); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS px_upload");
            s.execute("CREATE TABLE px_upload (id INT PRIMARY KEY, note VARCHAR(100))");
            int loaded = s.executeUpdate("LOAD DATA LOCAL INFILE '" + file.toString().replace("'", "''")
                    + "' INTO TABLE px_upload FIELDS TERMINATED BY ','");
            assertThat(loaded).isEqualTo(ROWS);
            try (Connection direct = cluster.primary().connect(cluster.app()); Statement d = direct.createStatement();
                    ResultSet rs = d.executeQuery("SELECT COUNT(*), SUM(id) FROM px_upload")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(ROWS);
                assertThat(rs.getLong(2)).isEqualTo(expectedSum);
            }
            s.execute("DROP TABLE px_upload");
        }
    }
}
