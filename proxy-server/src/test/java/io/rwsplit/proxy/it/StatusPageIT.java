package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rwsplit.proxy.config.AdminConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as a browser renders it: headless Chromium loads {@code /} of a proxy in front of
 * a real primary and two replicas, runs the page's script against the live {@code /api/topology},
 * and the DOM it dumps shows each node with its role and health; a drain through the API shows on
 * the next load. Reads need the admin token here, so the page gets it the way a person would give
 * it: once, in its address. Skipped when Chromium is not installed.
 */
@SandboxCluster(replicas = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageIT {

    private static final String TOKEN = "status-page-it-token";
    private static final Duration BROWSER_DEADLINE = Duration.ofSeconds(90);
    private static final Pattern HEADER = Pattern.compile("<th scope=\"col\"[^>]*>(.*?)</th>", Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("<tr [^>]*data-node=\"([^\"]*)\"[^>]*>(.*?)</tr>",
            Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL);

    private final Cluster cluster;
    private Path chromium;
    private RunningProxy proxy;

    @TempDir
    Path profile;

    StatusPageIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeAll
    void start() {
        chromium = ExternalProcess.onPath("chromium").or(() -> ExternalProcess.onPath("chromium-browser"))
                .orElse(null);
        assumeTrue(chromium != null, "chromium is not installed (Debian/Ubuntu: apt-get install chromium; "
                + ".ci/run installs it); the status page's browser test is skipped");
        proxy = RunningProxy.startWithAdmin(cluster, new AdminConfig(true, "127.0.0.1", 0, TOKEN, true));
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Chromium's arguments for one headless load of the page, the script given a few seconds to run. */
    private List<String> browser(String... more) {
        List<String> args = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=3000"));
        args.addAll(List.of(more));
        args.add(proxy.adminUrl() + "/?token=" + TOKEN);
        return args;
    }

    /** The page's DOM after its script has fetched the topology a few times. */
    private String dumpDom() {
        ExternalProcess.Result r = ExternalProcess.run(browser("--dump-dom"), "", BROWSER_DEADLINE);
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).as("the page rendered the proxy's answer: %s", r.stdout())
                .contains("class=\"live\"");
        return r.stdout();
    }

    /** The table's rows as a person reads them: node name to (column heading to cell text). */
    private static Map<String, Map<String, String>> table(String dom) {
        List<String> headings = new ArrayList<>();
        Matcher h = HEADER.matcher(dom);
        while (h.find()) {
            headings.add(text(h.group(1)));
        }
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(dom);
        while (row.find()) {
            Map<String, String> cells = new LinkedHashMap<>();
            Matcher c = CELL.matcher(row.group(2));
            for (int i = 0; c.find(); i++) {
                cells.put(headings.get(i), text(c.group(1)));
            }
            rows.put(text(row.group(1)), cells);
        }
        return rows;
    }

    private static String text(String html) {
        return html.replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&amp;", "&").strip();
    }

    private static String summary(String dom, String id) {
        Matcher m = Pattern.compile("<dd id=\"" + id + "\">(.*?)</dd>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("summary %s in %s", id, dom).isTrue();
        return text(m.group(1));
    }

    @Test
    void thePageShowsThePrimaryAndBothReplicasUp() {
        String dom = dumpDom();

        Map<String, Map<String, String>> table = table(dom);
        assertThat(table).containsOnlyKeys(cluster.nodes().stream().map(Node::name).toArray(String[]::new));
        Map<String, String> primary = table.get(cluster.primary().name());
        assertThat(primary).containsEntry("Role", "primary").containsEntry("Health", "up")
                .containsEntry("Drained", "no")
                .containsEntry("Address", cluster.primary().host() + ":" + cluster.primary().port());
        for (Node r : cluster.replicas()) {
            assertThat(table.get(r.name())).as(r.name()).containsEntry("Role", "replica")
                    .containsEntry("Health", "up").containsEntry("Drained", "no").containsKey("Replica lag");
        }
        assertThat(dom).containsPattern("<tr class=\"primary\" data-node=\"" + cluster.primary().name() + "\"");
        assertThat(summary(dom, "primary")).isEqualTo(cluster.primary().name());
        assertThat(summary(dom, "upcount")).isEqualTo("3 of 3");
        assertThat(summary(dom, "updated")).isNotEqualTo("never");
    }

    @Test
    void aDrainedReplicaShowsAsDrained() throws Exception {
        Node drained = cluster.replica(1);
        assertThat(drain(drained, "drain")).isEqualTo(200);
        try {
            Map<String, Map<String, String>> table = table(dumpDom());
            assertThat(table.get(drained.name())).containsEntry("Drained", "drained").containsEntry("Health", "up");
            assertThat(table.get(cluster.replica(0).name())).containsEntry("Drained", "no");
        } finally {
            assertThat(drain(drained, "undrain")).isEqualTo(200);
        }
        assertThat(table(dumpDom()).get(drained.name())).containsEntry("Drained", "no");
    }

    private int drain(Node node, String action) throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(proxy.adminUrl() + "/api/nodes/" + node.name() + "/"
                + action)).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aScreenshotShowsTheTableUnderLoad() throws Exception {
        // some statements first, so that the page has rates to show
        try (Connection c = proxy.connect(""); Statement s = c.createStatement()) {
            for (int i = 0; i < 300; i++) {
                try (ResultSet rs = s.executeQuery("SELECT @@server_id")) {
                    rs.next();
                }
                if (i % 10 == 0) {
                    s.execute("DO 1");
                }
            }
        }
        Path png = Path.of("target", "status-page.png").toAbsolutePath();
        Files.deleteIfExists(png);

        ExternalProcess.Result r = ExternalProcess.run(browser("--screenshot=" + png, "--window-size=1280,800"), "",
                BROWSER_DEADLINE);

        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(png).as(r.describe()).exists();
        assertThat(Files.size(png)).as("bytes of %s", png).isGreaterThan(20_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG that decodes").isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(800);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours).as("colours in the screenshot (text, badges, highlight)").hasSizeGreaterThan(50);
    }
}
