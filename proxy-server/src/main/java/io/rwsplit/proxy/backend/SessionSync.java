package io.rwsplit.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rwsplit.core.session.SessionState;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.protocol.Command;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a backend connection carry a client session's state before one of its statements runs
 * there: schema, autocommit, the multi-statement option, and the tracked settings ({@code SET
 * NAMES}, {@code SET time_zone}, isolation, ...). Only differences are sent, pipelined in one
 * write, and nothing at all when the connection already carries this session's current settings.
 *
 * <p>A setting another session left on the connection is undone: character set variables to the
 * values the connection's handshake gave them (read from the server once, before the first
 * change), roles with {@code SET ROLE DEFAULT}, anything else with {@code SET SESSION x = DEFAULT},
 * which is the global value a fresh session starts with.
 */
public final class SessionSync {

    /** Settings whose original value is the handshake's, not the global one. */
    private static final Set<String> CHARSET_KEYS = Set.of("names", "character_set_client", "character_set_results",
            "character_set_connection", "collation_connection");
    private static final String READ_CHARSET = "SELECT @@character_set_client, @@character_set_results, "
            + "@@collation_connection";

    private SessionSync() {
    }

    /**
     * @param owner             identifies the session (compared by identity)
     * @param startsTransaction the statement about to run opens a transaction: a pending
     *                          {@code SET TRANSACTION ISOLATION LEVEL} for the next transaction goes first
     * @param changes           settings the statement about to run will make itself (their originals
     *                          must be known before)
     */
    public static Future<Void> apply(BackendConnection c, SessionState session, Object owner, boolean multiStatements,
            boolean startsTransaction, Map<String, String> changes) {
        Promise<Void> done = c.eventLoop().newPromise();
        boolean charsetInvolved = touchesCharset(session.variables()) || touchesCharset(c.applied)
                || touchesCharset(changes);
        if (charsetInvolved && c.charsetRestore == null) {
            c.query(READ_CHARSET).addListener(f -> {
                if (!f.isSuccess()) {
                    done.tryFailure(f.cause());
                    return;
                }
                try {
                    List<String> row = ((Response) f.getNow()).row(0);
                    c.charsetRestore = "SET character_set_client = " + literal(row.get(0)) + ", character_set_results = "
                            + literal(row.get(1)) + ", collation_connection = " + literal(row.get(2));
                } catch (MalformedPacketException e) {
                    done.tryFailure(BackendException.server(1105, "HY000", "cannot read the character set of "
                            + c.node().name() + ": " + e.getMessage()));
                    return;
                }
                send(c, session, owner, multiStatements, startsTransaction, done);
            });
            return done;
        }
        send(c, session, owner, multiStatements, startsTransaction, done);
        return done;
    }

    private static void send(BackendConnection c, SessionState session, Object owner, boolean multiStatements,
            boolean startsTransaction, Promise<Void> done) {
        List<ByteBuf> commands = new ArrayList<>(4);
        String schema = session.schema();
        if (schema != null && !schema.isEmpty() && !schema.equals(c.schema)) {
            commands.add(command(c, Command.COM_INIT_DB, schema));
            c.schema = schema;
        }
        if (session.autocommit() != c.autocommit) {
            commands.add(command(c, Command.COM_QUERY, session.autocommit() ? "SET autocommit=1" : "SET autocommit=0"));
            c.autocommit = session.autocommit();
        }
        if (multiStatements != c.multiStatements) {
            ByteBuf b = c.channel().alloc().buffer(3);
            b.writeByte(Command.COM_SET_OPTION.code()).writeShortLE(multiStatements ? 0 : 1);
            commands.add(b);
            c.multiStatements = multiStatements;
        }
        if (c.owner != owner || c.ownerVersion != session.variablesVersion()) {
            settings(c, session.variables(), commands);
            c.owner = owner;
            c.ownerVersion = session.variablesVersion();
        }
        String next = session.variables().get("next_transaction_isolation");
        if (startsTransaction && next != null) {
            commands.add(command(c, Command.COM_QUERY, next));
        }
        if (commands.isEmpty()) {
            done.trySuccess(null);
            return;
        }
        int[] pending = {commands.size()};
        BackendException[] first = {null};
        for (ByteBuf cmd : commands) {
            ResponseTracker.Shape shape = cmd.getUnsignedByte(0) == Command.COM_SET_OPTION.code()
                    ? ResponseTracker.Shape.SINGLE : ResponseTracker.Shape.QUERY;
            Promise<Response> p = c.eventLoop().newPromise();
            c.send(cmd, new Response.Collector(new ResponseTracker(shape, c.deprecateEof()), c.deprecateEof(), p));
            p.addListener(f -> {
                BackendException failure = null;
                if (!f.isSuccess()) {
                    failure = f.cause() instanceof BackendException b ? b
                            : BackendException.server(1105, "HY000", String.valueOf(f.cause()));
                } else {
                    Response r = (Response) f.getNow();
                    if (r.error()) {
                        failure = r.failure();
                    }
                }
                if (failure != null && first[0] == null) {
                    first[0] = failure;
                    // what the server holds is no longer known: do not reuse the connection
                    c.markBroken();
                }
                if (--pending[0] == 0) {
                    if (first[0] != null) {
                        done.tryFailure(first[0]);
                    } else {
                        done.trySuccess(null);
                    }
                }
            });
        }
        c.flush();
    }

    private static void settings(BackendConnection c, Map<String, String> wanted, List<ByteBuf> commands) {
        boolean charsetRestored = false;
        List<String> stale = new ArrayList<>();
        for (String key : c.applied.keySet()) {
            if (!wanted.containsKey(key)) {
                stale.add(key);
            }
        }
        for (String key : stale) {
            c.applied.remove(key);
            if (CHARSET_KEYS.contains(key)) {
                if (!charsetRestored && c.charsetRestore != null) {
                    commands.add(command(c, Command.COM_QUERY, c.charsetRestore));
                    charsetRestored = true;
                }
            } else if (key.equals("role")) {
                commands.add(command(c, Command.COM_QUERY, "SET ROLE DEFAULT"));
            } else {
                commands.add(command(c, Command.COM_QUERY, "SET SESSION " + key + " = DEFAULT"));
            }
        }
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            if (w.getKey().startsWith("next_transaction")) {
                // one transaction only: sent right before the transaction it is for
                continue;
            }
            if (!w.getValue().equals(c.applied.get(w.getKey()))) {
                commands.add(command(c, Command.COM_QUERY, w.getValue()));
                c.applied.put(w.getKey(), w.getValue());
            }
        }
    }

    /** After a statement of the session ran on {@code c}: the settings it made are on the connection now. */
    public static void ran(BackendConnection c, Map<String, String> settings, String schema, int statusFlags,
            SessionState session, Object owner) {
        settings.forEach((k, v) -> {
            if (!k.startsWith("next_transaction")) {
                c.applied.put(k, v);
            }
        });
        if (schema != null) {
            c.schema = schema;
        }
        c.autocommit = (statusFlags & io.rwsplit.proxy.protocol.ServerStatus.AUTOCOMMIT) != 0;
        if (c.owner == owner) {
            c.ownerVersion = session.variablesVersion();
        }
    }

    private static boolean touchesCharset(Map<String, String> settings) {
        for (String k : settings.keySet()) {
            if (CHARSET_KEYS.contains(k)) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuf command(BackendConnection c, Command command, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = c.channel().alloc().buffer(1 + bytes.length);
        b.writeByte(command.code()).writeBytes(bytes);
        return b;
    }

    private static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
