package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Wire;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One entry of an OK packet's session state information (CLIENT_SESSION_TRACK with
 * SERVER_SESSION_STATE_CHANGED): {@code int<1> type, string<lenenc> data}. The proxy reads these
 * to follow a backend's schema, variables and transaction state without asking it.
 */
public final class SessionStateChange {

    /** Data: string&lt;lenenc&gt; name, string&lt;lenenc&gt; value. */
    public static final int SYSTEM_VARIABLES = 0;
    /** Data: string&lt;lenenc&gt; the new current schema. */
    public static final int SCHEMA = 1;
    /** Data: string&lt;lenenc&gt; "1": some tracked state changed. */
    public static final int STATE_CHANGE = 2;
    /** Data: int&lt;1&gt; encoding specification, string&lt;lenenc&gt; GTIDs. */
    public static final int GTIDS = 3;
    /** Data: string&lt;lenenc&gt; SQL that recreates the transaction's characteristics. */
    public static final int TRANSACTION_CHARACTERISTICS = 4;
    /** Data: string&lt;lenenc&gt; 8 characters describing the transaction ("T_______" etc.). */
    public static final int TRANSACTION_STATE = 5;

    private final int type;
    private final byte[] data;

    public SessionStateChange(int type, byte[] data) {
        if (type < 0 || type > 250) {
            // Written as int<1> by servers but read as int<lenenc> by clients: keep it one byte either way.
            throw new IllegalArgumentException("session state type must be 0-250: " + type);
        }
        this.type = type;
        this.data = data.clone();
    }

    /** Parses the entries of a session state block (the content of its outer lenenc string). */
    static List<SessionStateChange> decodeAll(ByteBuf block) throws MalformedPacketException {
        List<SessionStateChange> changes = new ArrayList<>();
        while (block.isReadable()) {
            int type = block.readUnsignedByte();
            changes.add(new SessionStateChange(type, Wire.readLenencBytes(block)));
        }
        return List.copyOf(changes);
    }

    void writeTo(ByteBuf out) {
        out.writeByte(type);
        Wire.writeLenencBytes(out, data);
    }

    public int type() {
        return type;
    }

    public byte[] data() {
        return data.clone();
    }

    /**
     * The data read as consecutive length-encoded strings: [name, value] for SYSTEM_VARIABLES,
     * [schema] for SCHEMA, [state] for STATE_CHANGE, TRANSACTION_* . Not for GTIDS, whose data
     * starts with a 1-byte encoding specification.
     */
    public List<String> strings() throws MalformedPacketException {
        ByteBuf b = Unpooled.wrappedBuffer(data);
        List<String> strings = new ArrayList<>(2);
        while (b.isReadable()) {
            strings.add(Wire.readLenencString(b));
        }
        return List.copyOf(strings);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionStateChange other && other.type == type && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "SessionStateChange(type=" + type + ", " + data.length + " bytes)";
    }
}
