package io.rwsplit.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.rwsplit.proxy.frontend.ProxyRuntime.DrainOutcome;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The admin endpoints over HTTP bytes, against a fake proxy: routing, access and error answers. */
class AdminHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A proxy with primary db1 and replicas db2, db3, that records what it was asked to drain. */
    private static final class FakeApi implements AdminApi {
        final List<String> drained = new ArrayList<>();
        String notReady;
        ReloadOutcome reload = new ReloadOutcome(true, "applied: users", List.of("users"));

        @Override
        public ReloadOutcome reload() {
            return reload;
        }

        @Override
        public io.rwsplit.proxy.frontend.SwitchoverOutcome switchover(java.util.Optional<String> target) {
            return target.isPresent() && target.get().equals("db2")
                    ? new io.rwsplit.proxy.frontend.SwitchoverOutcome.Switched("db1", "db2",
                            java.time.Duration.ofMillis(900), java.time.Duration.ofMillis(400), 7, 0,
                            java.time.Duration.ofMillis(380), "")
                    : new io.rwsplit.proxy.frontend.SwitchoverOutcome.Failed("no node named " + target.orElse("?"),
                            java.time.Duration.ZERO);
        }

        @Override
        public String metricsContentType() {
            return "text/plain; version=0.0.4; charset=utf-8";
        }

        @Override
        public void writeMetrics(OutputStream out) throws java.io.IOException {
            out.write("rwsplit_client_sessions 3.0\n".getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String notReady() {
            return notReady;
        }

        @Override
        public Topology topology() {
            return new Topology("db1", "promote", 7, List.of(
                    new Node("db1", "10.0.0.1:3306", "primary", "up", 0.0, 1, false, false, new Pool(1, 2), 5.0),
                    new Node("db2", "10.0.0.2:3306", "replica", "up", null, 1, false, true, new Pool(0, 0), 0.0)));
        }

        @Override
        public Explained explain(String sql) {
            return new Explained("replica", "plain read (" + sql + ")", "read", "db2", "read");
        }

        @Override
        public DrainOutcome drain(String node, boolean on) {
            if (node.equals("db1")) {
                return DrainOutcome.PRIMARY;
            }
            if (!node.startsWith("db")) {
                return DrainOutcome.NO_SUCH_NODE;
            }
            drained.add((on ? "drain " : "undrain ") + node);
            return DrainOutcome.DONE;
        }
    }

    private record Answer(int status, String headers, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private final FakeApi api = new FakeApi();

    private EmbeddedChannel channel(String token, boolean tokenForReads) {
        return new EmbeddedChannel(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(AdminServer.MAX_BODY),
                new AdminHandler(api, token, tokenForReads));
    }

    private static Answer send(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        String text = out.toString();
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a whole HTTP answer: %s", text).isPositive();
        int status = Integer.parseInt(text.substring(9, 12));
        return new Answer(status, text.substring(0, end), text.substring(end + 4));
    }

    private static String get(String path, String... headers) {
        return "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers) + "\r\n";
    }

    private static String post(String path, String... headers) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" + String.join("", headers) + "\r\n";
    }

    /** An answer written later from another thread (a reload): runs the channel's tasks until it is there. */
    private static Answer sendAndAwait(EmbeddedChannel ch, String request) throws InterruptedException {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        long deadline = System.nanoTime() + 5_000_000_000L;
        StringBuilder out = new StringBuilder();
        while (out.indexOf("\r\n\r\n") < 0 && System.nanoTime() < deadline) {
            ch.runPendingTasks();
            ByteBuf b;
            while ((b = ch.readOutbound()) != null) {
                out.append(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
            Thread.sleep(5);
        }
        String text = out.toString();
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a whole HTTP answer: %s", text).isPositive();
        return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
    }

    @Test
    void aSwitchoverNeedsTheTokenAndReportsThePauseOrWhyNot() throws Exception {
        EmbeddedChannel ch = channel("s3cret", false);
        assertThat(send(ch, post("/api/switchover?target=db2")).status()).isEqualTo(401);
        Answer ok = sendAndAwait(ch, post("/api/switchover?target=db2", "Authorization: Bearer s3cret\r\n"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("newPrimary").asText()).isEqualTo("db2");
        assertThat(ok.json().get("writePauseMillis").asLong()).isEqualTo(400);
        Answer no = sendAndAwait(ch, post("/api/switchover?target=db9", "Authorization: Bearer s3cret\r\n"));
        assertThat(no.status()).isEqualTo(409);
        assertThat(no.json().get("error").asText()).isEqualTo("no switchover: no node named db9");
    }

    @Test
    void aReloadNeedsTheTokenAndSaysWhatChangedOrWhyNot() throws Exception {
        EmbeddedChannel ch = channel("s3cret", false);
        assertThat(send(ch, post("/api/reload")).status()).isEqualTo(401);
        assertThat(send(ch, get("/api/reload")).status()).isEqualTo(405);

        Answer ok = sendAndAwait(ch, post("/api/reload", "Authorization: Bearer s3cret\r\n"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("applied").asBoolean()).isTrue();
        assertThat(ok.json().get("changes").get(0).asText()).isEqualTo("users");

        api.reload = new ReloadOutcome(false, "nothing changed: these keys ... need a restart: listen", List.of());
        Answer refused = sendAndAwait(ch, post("/api/reload", "Authorization: Bearer s3cret\r\n"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error").asText()).contains("need a restart: listen");
    }

    @Test
    void readsAreOpenByDefault() throws Exception {
        EmbeddedChannel ch = channel("s3cret", false);

        Answer metrics = send(ch, get("/metrics"));
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.headers()).containsIgnoringCase("content-type: text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("rwsplit_client_sessions 3.0");

        assertThat(send(ch, get("/health/live")).status()).isEqualTo(200);
        Answer topology = send(ch, get("/api/topology"));
        assertThat(topology.status()).isEqualTo(200);
        assertThat(topology.json().get("primary").asText()).isEqualTo("db1");
        assertThat(topology.json().get("nodes").get(1).get("drained").asBoolean()).isTrue();
        assertThat(topology.json().get("nodes").get(1).get("lagSeconds").isNull()).isTrue();
        assertThat(topology.json().get("nodes").get(0).get("pool").get("idle").asInt()).isEqualTo(2);
    }

    @Test
    void readyAnswers503WithTheReasonWhenNotReady() throws Exception {
        EmbeddedChannel ch = channel(null, false);
        assertThat(send(ch, get("/health/ready")).status()).isEqualTo(200);

        api.notReady = "no primary is known";
        Answer a = send(ch, get("/health/ready"));
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.json().get("ready").asBoolean()).isFalse();
        assertThat(a.json().get("reason").asText()).isEqualTo("no primary is known");
    }

    @Test
    void explainNeedsTheStatement() throws Exception {
        EmbeddedChannel ch = channel(null, false);

        Answer a = send(ch, get("/api/explain?sql=SELECT%20*%20FROM%20t"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("route").asText()).isEqualTo("replica");
        assertThat(a.json().get("reason").asText()).isEqualTo("plain read (SELECT * FROM t)");
        assertThat(a.json().get("kind").asText()).isEqualTo("read");

        Answer missing = send(ch, get("/api/explain"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).contains("?sql=");
    }

    @Test
    void changesAreRefusedWithoutAConfiguredToken() throws Exception {
        EmbeddedChannel ch = channel(null, false);

        Answer a = send(ch, post("/api/nodes/db2/drain", "Authorization: Bearer anything\r\n"));

        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().get("error").asText()).contains("no admin token is configured");
        assertThat(api.drained).isEmpty();
    }

    @Test
    void changesNeedTheRightToken() throws Exception {
        EmbeddedChannel ch = channel("s3cret", false);

        Answer none = send(ch, post("/api/nodes/db2/drain"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers()).containsIgnoringCase("www-authenticate: Bearer");
        assertThat(send(ch, post("/api/nodes/db2/drain", "Authorization: Bearer wrong\r\n")).status()).isEqualTo(401);
        assertThat(send(ch, post("/api/nodes/db2/drain", "Authorization: Basic czNjcmV0\r\n")).status())
                .isEqualTo(401);
        assertThat(api.drained).isEmpty();

        Answer ok = send(ch, post("/api/nodes/db2/drain", "Authorization: Bearer s3cret\r\n"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("drained").asBoolean()).isTrue();
        assertThat(send(ch, post("/api/nodes/db2/undrain", "Authorization: bearer s3cret\r\n")).status())
                .isEqualTo(200);
        assertThat(api.drained).containsExactly("drain db2", "undrain db2");
        assertThat(none.body() + ok.body()).doesNotContain("s3cret");
    }

    @Test
    void drainingThePrimaryConflictsAndUnknownNodesAreNotFound() throws Exception {
        EmbeddedChannel ch = channel("t", false);

        Answer primary = send(ch, post("/api/nodes/db1/drain", "Authorization: Bearer t\r\n"));
        assertThat(primary.status()).isEqualTo(409);
        assertThat(primary.json().get("error").asText()).contains("db1 is the primary").contains("switchover");

        Answer unknown = send(ch, post("/api/nodes/nope/drain", "Authorization: Bearer t\r\n"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("no node named 'nope'");
    }

    @Test
    void readsNeedTheTokenWhenConfiguredSo() {
        EmbeddedChannel ch = channel("t", true);

        assertThat(send(ch, get("/api/topology")).status()).isEqualTo(401);
        assertThat(send(ch, get("/metrics", "Authorization: Bearer t\r\n")).status()).isEqualTo(200);
    }

    @Test
    void theStatusPageIsHtmlThatNoCacheKeepsAndNoOtherScriptRunsIn() {
        EmbeddedChannel ch = channel("t", false);

        Answer page = send(ch, get("/"));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers()).containsIgnoringCase("content-type: text/html; charset=utf-8")
                .containsIgnoringCase("cache-control: no-store").containsIgnoringCase("referrer-policy: no-referrer");
        assertThat(page.body()).startsWith("<!DOCTYPE html>").contains("/api/topology").contains("textContent")
                .doesNotContain("innerHTML").doesNotContainPattern("(src|href)=\"(https?:)?//");
        String csp = page.headers().lines().filter(l -> l.toLowerCase().startsWith("content-security-policy: "))
                .findFirst().orElseThrow();
        assertThat(csp).contains("default-src 'none'").contains("connect-src 'self'")
                .contains("frame-ancestors 'none'").containsPattern("script-src 'sha256-[A-Za-z0-9+/=]{44}'$")
                .doesNotContain("unsafe-inline");
        assertThat(send(ch, post("/")).status()).isEqualTo(405);
    }

    @Test
    void theStatusPageTakesTheTokenInItsAddressWhenReadsNeedIt() throws Exception {
        EmbeddedChannel ch = channel("s3 cret", true);

        Answer none = send(ch, get("/"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers()).containsIgnoringCase("content-type: application/json");
        assertThat(none.json().get("error").asText()).contains("/?token=");
        assertThat(send(ch, get("/?token=wrong")).json().get("error").asText()).isEqualTo("wrong admin token");
        assertThat(send(ch, get("/?token=s3%20cret&token=s3%20cret")).status()).isEqualTo(401);

        Answer byQuery = send(ch, get("/?token=s3%20cret"));
        assertThat(byQuery.status()).isEqualTo(200);
        assertThat(byQuery.headers()).containsIgnoringCase("content-type: text/html")
                .containsIgnoringCase("cache-control: no-store");
        assertThat(byQuery.body()).doesNotContain("s3 cret").doesNotContain("s3%20cret");
        assertThat(send(ch, get("/", "Authorization: Bearer s3 cret\r\n")).status()).isEqualTo(200);

        // only the page takes the token that way; its script sends the header on the API calls
        assertThat(send(ch, get("/api/topology?token=s3%20cret")).status()).isEqualTo(401);
        assertThat(send(ch, get("/api/topology", "Authorization: Bearer s3 cret\r\n")).status()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndWrongMethodsAreRefusedAsJson() throws Exception {
        EmbeddedChannel ch = channel("t", false);

        Answer notFound = send(ch, get("/nope"));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().get("error").asText()).isEqualTo("no such endpoint: /nope");
        assertThat(send(ch, get("/api/nodes/db2/explode")).status()).isEqualTo(404);

        Answer wrongMethod = send(ch, get("/api/nodes/db2/drain"));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers()).containsIgnoringCase("allow: POST");
        assertThat(send(ch, post("/metrics")).status()).isEqualTo(405);
        assertThat(api.drained).isEmpty();
    }

    @Test
    void badRequestsGet400WithoutAStackTrace() throws Exception {
        EmbeddedChannel ch = channel("t", false);

        Answer a = send(ch, "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n");

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("error").asText()).isEqualTo("bad request");
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("at io.");
    }

    @Test
    void oversizedBodiesAreRefused() {
        EmbeddedChannel ch = channel("t", false);
        String body = "x".repeat(AdminServer.MAX_BODY + 1);

        Answer a = send(ch, "POST /api/nodes/db2/drain HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);

        assertThat(a.status()).isEqualTo(413);
        assertThat(api.drained).isEmpty();
    }
}
