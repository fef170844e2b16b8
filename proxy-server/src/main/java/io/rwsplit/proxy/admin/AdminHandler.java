package io.rwsplit.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import io.rwsplit.proxy.frontend.ProxyRuntime.DrainOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin HTTP requests, one aggregated request at a time.
 *
 * <p>Endpoints:
 * <ul>
 * <li>{@code GET /}: the status page ({@link StatusPage}), HTML for a person, fed by
 * {@code /api/topology}.</li>
 * <li>{@code GET /metrics}: Prometheus text format (see {@link ProxyMetrics} for the series).</li>
 * <li>{@code GET /health/live}: 200 while the process serves.</li>
 * <li>{@code GET /health/ready}: 200 {@code {"ready":true}} when a primary is known and the client
 * listener accepts clients, else 503 {@code {"ready":false,"reason":"..."}}.</li>
 * <li>{@code GET /api/topology}: the nodes as routing sees them now, as JSON:
 * <pre>
 * {
 *   "primary": "db1",              // null when no primary is known
 *   "failover": "promote",         // off | follow | promote
 *   "version": 42,                 // increases with every topology the monitor publishes
 *   "nodes": [
 *     {"name": "db1", "address": "10.0.0.1:3306",
 *      "role": "primary",          // primary | replica | unknown
 *      "health": "up",             // up | down
 *      "lagSeconds": 0.0,          // null while a replica's lag is unknown (replication not running)
 *      "weight": 1, "standby": false,
 *      "drained": false,           // taken out of the read rotation by POST .../drain
 *      "pool": {"inUse": 2, "idle": 3},   // backend connections of the proxy to it
 *      "statementsPerSecond": 12.5},      // over the last five seconds
 *     ...
 *   ]
 * }
 * </pre></li>
 * <li>{@code GET /api/explain?sql=...}: {@code {"route", "reason", "kind", "node", "cause"}}, where
 * the statement would go in a fresh autocommit session (the same as {@code rwsplit explain}); 400
 * without {@code sql}.</li>
 * <li>{@code POST /api/nodes/{name}/drain} and {@code .../undrain}: take a node out of the read
 * rotation or put it back; 404 for an unknown node, 409 for the primary.</li>
 * <li>{@code POST /api/reload}: reads the config file again and applies users, limits, nodes and
 * routing rules without dropping sessions: 200 {@code {"applied": true, "message": ..., "changes": [...]}},
 * or 409 {@code {"error": ...}} naming what needs a restart (nothing is applied then). Answered
 * from another thread: it waits for the monitor's current pass.</li>
 * </ul>
 *
 * <p>Access: a POST always needs {@code Authorization: Bearer <token>} and is refused with 403 when
 * no token is configured; a GET needs it only with {@code tokenForReads}. A missing or wrong token is
 * 401. The status page alone also takes the token as {@code /?token=...}, because a browser cannot add
 * a header to the address typed in; the page's script then sends it as a header on its own fetches.
 * Unknown paths are 404, a wrong method 405, a request the codec could not read 400; every
 * error is {@code {"error": "..."}} and never a stack trace.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private enum Route {
        STATUS_PAGE(HttpMethod.GET), METRICS(HttpMethod.GET), LIVE(HttpMethod.GET), READY(HttpMethod.GET),
        TOPOLOGY(HttpMethod.GET), EXPLAIN(HttpMethod.GET), DRAIN(HttpMethod.POST), UNDRAIN(HttpMethod.POST),
        RELOAD(HttpMethod.POST), SWITCHOVER(HttpMethod.POST);

        final HttpMethod method;

        Route(HttpMethod method) {
            this.method = method;
        }
    }

    private final AdminApi api;
    private final byte[] token;
    private final boolean tokenForReads;
    private final StatusPage statusPage = new StatusPage();

    /** @param token the bearer token, or {@code null} when none is configured */
    /** Runs reloads and switchovers, which block for seconds, one at a time, off the admin loop. */
    private final java.util.concurrent.Executor slowActions;

    /** For tests: slow actions run on a new daemon thread each. */
    AdminHandler(AdminApi api, String token, boolean tokenForReads) {
        this(api, token, tokenForReads, r -> {
            Thread t = new Thread(r, "rwsplit-admin-action");
            t.setDaemon(true);
            t.start();
        });
    }

    AdminHandler(AdminApi api, String token, boolean tokenForReads, java.util.concurrent.Executor slowActions) {
        this.slowActions = slowActions;
        this.api = api;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.tokenForReads = tokenForReads && token != null;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            send(ctx, req, error(HttpResponseStatus.BAD_REQUEST, "bad request"), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        java.util.function.Supplier<FullHttpResponse> slow = slowAction(req);
        if (slow != null) {
            FullHttpResponse denied = checkAccess(req, true, new QueryStringDecoder(req.uri()), false);
            if (denied != null) {
                send(ctx, req, denied, keepAlive);
                return;
            }
            // a reload or a switchover waits for the monitor's thread and for servers (seconds): not on
            // the admin listener's only thread, which keeps answering scrapes and the status page. The
            // connection's idle timeout must not cut the answer off, and a pipelined request must not
            // be answered before it: reads pause until the answer is written.
            req.retain();
            ctx.channel().config().setAutoRead(false);
            if (ctx.pipeline().get(AdminServer.IDLE_HANDLER) != null) {
                ctx.pipeline().remove(AdminServer.IDLE_HANDLER);
            }
            java.util.concurrent.CompletableFuture.supplyAsync(slow, slowActions).whenComplete((answer, failure) -> {
                try {
                    ctx.executor().execute(() -> {
                        try {
                            send(ctx, req, failure != null ? failed(req, failure) : answer, keepAlive);
                            if (ctx.channel().isActive() && ctx.pipeline().get(AdminServer.IDLE_HANDLER) == null) {
                                ctx.pipeline().addFirst(AdminServer.IDLE_HANDLER, new io.netty.handler.timeout
                                        .ReadTimeoutHandler(AdminServer.IDLE_SECONDS));
                            }
                            ctx.channel().config().setAutoRead(true);
                        } finally {
                            req.release();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    // the admin listener stopped meanwhile: nobody to answer
                    req.release();
                }
            });
            return;
        }
        FullHttpResponse res;
        try {
            res = answer(req);
        } catch (RuntimeException e) {
            log.warn("admin request {} {} failed", req.method(), new QueryStringDecoder(req.uri()).path(), e);
            res = error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error (the proxy's log has the details)");
        }
        send(ctx, req, res, keepAlive);
    }

    private FullHttpResponse answer(FullHttpRequest req) {
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        String node = null;
        Route route = switch (path) {
            case "/" -> Route.STATUS_PAGE;
            case "/metrics" -> Route.METRICS;
            case "/health/live" -> Route.LIVE;
            case "/health/ready" -> Route.READY;
            case "/api/topology" -> Route.TOPOLOGY;
            case "/api/explain" -> Route.EXPLAIN;
            case "/api/reload" -> Route.RELOAD;
            case "/api/switchover" -> Route.SWITCHOVER;
            default -> null;
        };
        if (route == null && path.startsWith("/api/nodes/")) {
            String rest = path.substring("/api/nodes/".length());
            int slash = rest.lastIndexOf('/');
            if (slash > 0) {
                String action = rest.substring(slash + 1);
                node = rest.substring(0, slash);
                route = action.equals("drain") ? Route.DRAIN : action.equals("undrain") ? Route.UNDRAIN : null;
            }
        }
        if (route == null) {
            return error(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
        }
        if (!req.method().equals(route.method)) {
            FullHttpResponse r = error(HttpResponseStatus.METHOD_NOT_ALLOWED, path + " takes " + route.method
                    + ", not " + req.method());
            r.headers().set(HttpHeaderNames.ALLOW, route.method.name());
            return r;
        }
        FullHttpResponse denied = checkAccess(req, route.method == HttpMethod.POST, uri,
                route == Route.STATUS_PAGE);
        if (denied != null) {
            return denied;
        }
        return switch (route) {
            case STATUS_PAGE -> statusPage();
            case METRICS -> metrics();
            case LIVE -> json(HttpResponseStatus.OK, Map.of("live", true));
            case READY -> ready();
            case TOPOLOGY -> json(HttpResponseStatus.OK, api.topology());
            case EXPLAIN -> explain(uri);
            case DRAIN -> drain(node, true);
            case UNDRAIN -> drain(node, false);
            case RELOAD, SWITCHOVER -> throw new IllegalStateException("answered asynchronously");
        };
    }

    /** The answer of a POST that takes seconds, to be computed off the admin thread, or {@code null}. */
    private java.util.function.Supplier<FullHttpResponse> slowAction(FullHttpRequest req) {
        if (!req.method().equals(HttpMethod.POST)) {
            return null;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        return switch (uri.path()) {
            case "/api/reload" -> () -> reloaded(api.reload());
            case "/api/switchover" -> {
                List<String> target = uri.parameters().get("target");
                java.util.Optional<String> t = target == null || target.isEmpty() || target.get(0).isBlank()
                        ? java.util.Optional.empty() : java.util.Optional.of(target.get(0));
                yield () -> switched(api.switchover(t));
            }
            default -> null;
        };
    }

    private static FullHttpResponse switched(io.rwsplit.proxy.frontend.SwitchoverOutcome o) {
        if (o instanceof io.rwsplit.proxy.frontend.SwitchoverOutcome.Switched s) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("switched", true);
            body.put("oldPrimary", s.oldPrimary());
            body.put("newPrimary", s.newPrimary());
            body.put("tookMillis", s.took().toMillis());
            body.put("writePauseMillis", s.writePause().toMillis());
            body.put("heldStatements", s.held());
            body.put("heldTimedOut", s.heldTimedOut());
            return json(HttpResponseStatus.OK, body);
        }
        io.rwsplit.proxy.frontend.SwitchoverOutcome.Failed f = (io.rwsplit.proxy.frontend.SwitchoverOutcome.Failed) o;
        return error(HttpResponseStatus.CONFLICT, "no switchover: " + f.reason());
    }

    private static FullHttpResponse reloaded(ReloadOutcome o) {
        return o.applied()
                ? json(HttpResponseStatus.OK, Map.of("applied", true, "message", o.message(), "changes", o.changes()))
                : error(HttpResponseStatus.CONFLICT, o.message());
    }

    private static FullHttpResponse failed(FullHttpRequest req, Throwable failure) {
        log.warn("admin request {} {} failed", req.method(), new QueryStringDecoder(req.uri()).path(), failure);
        return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error (the proxy's log has the details)");
    }

    /**
     * 401 or 403 when the request may not do this, else {@code null}.
     *
     * @param tokenInQuery whether {@code ?token=} may carry the token instead of the header
     */
    private FullHttpResponse checkAccess(FullHttpRequest req, boolean mutating, QueryStringDecoder uri,
            boolean tokenInQuery) {
        if (!mutating && !tokenForReads) {
            return null;
        }
        if (token == null) {
            return error(HttpResponseStatus.FORBIDDEN, "changes through the admin API are off: no admin token is "
                    + "configured (set admin.token in the proxy's config)");
        }
        String header = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String prefix = "Bearer ";
        String given = header != null && header.regionMatches(true, 0, prefix, 0, prefix.length())
                ? header.substring(prefix.length()).trim() : null;
        List<String> inQuery = tokenInQuery ? uri.parameters().getOrDefault("token", List.of()) : List.of();
        if (header == null && inQuery.size() == 1) {
            given = inQuery.get(0);
        }
        if (given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        String why;
        if (header != null || !inQuery.isEmpty()) {
            why = "wrong admin token";
        } else if (tokenInQuery) {
            why = "the status page needs the admin token: open it as /?token=<admin token>";
        } else {
            why = "this needs the admin token: Authorization: Bearer <token>";
        }
        FullHttpResponse r = error(HttpResponseStatus.UNAUTHORIZED, why);
        r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"rwsplit\"");
        return r;
    }

    private FullHttpResponse statusPage() {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                io.netty.buffer.Unpooled.wrappedBuffer(statusPage.html()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, StatusPage.CONTENT_TYPE)
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, statusPage.contentSecurityPolicy())
                .set("Referrer-Policy", "no-referrer")
                .set("X-Content-Type-Options", "nosniff");
        return r;
    }

    private FullHttpResponse metrics() {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        try (ByteBufOutputStream out = new ByteBufOutputStream(r.content())) {
            api.writeMetrics(out);
        } catch (java.io.IOException e) {
            r.release();
            throw new java.io.UncheckedIOException(e);
        }
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, api.metricsContentType());
        return r;
    }

    private FullHttpResponse ready() {
        String why = api.notReady();
        return why == null ? json(HttpResponseStatus.OK, Map.of("ready", true))
                : json(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("ready", false, "reason", why));
    }

    private FullHttpResponse explain(QueryStringDecoder uri) {
        List<String> sql = uri.parameters().get("sql");
        if (sql == null || sql.isEmpty() || sql.get(0).isBlank()) {
            return error(HttpResponseStatus.BAD_REQUEST, "give the statement as ?sql=... (URL-encoded)");
        }
        return json(HttpResponseStatus.OK, api.explain(sql.get(0)));
    }

    private FullHttpResponse drain(String node, boolean on) {
        DrainOutcome outcome = api.drain(node, on);
        return switch (outcome) {
            case DONE -> json(HttpResponseStatus.OK, Map.of("node", node, "drained", on));
            case NO_SUCH_NODE -> error(HttpResponseStatus.NOT_FOUND, "no node named '" + node + "'");
            case PRIMARY -> error(HttpResponseStatus.CONFLICT, node + " is the primary and cannot be drained: writes "
                    + "need it; move the primary elsewhere with a switchover first");
        };
    }

    static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, Map.of("error", message));
    }

    static FullHttpResponse json(HttpResponseStatus status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                io.netty.buffer.Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_TYPE);
        return r;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res, boolean keepAlive) {
        ByteBuf body = res.content();
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (keepAlive) {
            if (!req.protocolVersion().isKeepAliveDefault()) {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            ctx.close();
            return;
        }
        if (cause instanceof DecoderException || cause instanceof TooLongFrameException) {
            log.debug("admin client {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else if (!(cause instanceof java.io.IOException)) {
            log.warn("admin client {}: closing after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        if (ctx.channel().isActive() && !(cause instanceof java.io.IOException)) {
            FullHttpResponse r = error(HttpResponseStatus.BAD_REQUEST, "bad request");
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
