package io.rwsplit.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.local.LocalCluster;
import io.rwsplit.sandbox.local.SandboxPaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoCliTest {

    @Test
    void aBusyPortIsRefusedBeforeAnythingStartsAndNamesTheOption() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = DemoCli.run(new String[] {"--port", Integer.toString(taken.getLocalPort()), "--no-wait",
                "--name", "demo-busy-port"}, new PrintWriter(out, true), new PrintWriter(err, true));

            assertThat(code).isEqualTo(DemoCli.FAILED);
            assertThat(err.toString()).contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
                    .contains("--port");
            assertThat(out.toString()).doesNotContain("Starting the sandbox cluster");
            assertThat(LocalCluster.list(SandboxPaths.fromEnvironment())).doesNotContain("demo-busy-port");
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertThat(DemoCli.run(new String[] {"--threads", "0"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true))).isEqualTo(2);
        assertThat(err.toString()).contains("--threads must be 1..256");
        assertThat(DemoCli.run(new String[] {"--duration", "soon"}, new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true))).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void durationsTakeTheConfigsUnits() {
        DemoCli.DurationConverter c = new DemoCli.DurationConverter();
        assertThat(c.convert("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("7")).isEqualTo(Duration.ofSeconds(7));
    }
}
