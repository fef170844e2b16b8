package io.rwsplit.proxy.protocol;

import io.netty.buffer.ByteBuf;
import io.rwsplit.proxy.codec.MalformedPacketException;
import io.rwsplit.proxy.codec.Packet;

/**
 * What a server packet is, judged from its first byte and its length without decoding it: the
 * proxy relays result sets packet by packet and must only spot where one ends.
 *
 * <p>The first byte is ambiguous, so the answer depends on where the packet stands:
 * <ul>
 * <li>0x00 is an OK packet as the first response to a command, but inside a result set it starts
 *     a binary row (its header) or a text row whose first column is the empty string.</li>
 * <li>0xFB asks for a LOCAL INFILE as the first response, but inside a result set it is a text
 *     row whose first column is NULL.</li>
 * <li>0xFE starts an EOF packet, an OK packet that ends a result set (CLIENT_DEPRECATE_EOF), or a
 *     row whose first column is a string of 2^24 bytes or more (0xFE prefixes an 8-byte
 *     length-encoded integer). Such a row is at least 2^24 + 9 bytes long, so it never fits one
 *     packet: its first packet has exactly {@link Packet#MAX_PAYLOAD} bytes. Hence the rules
 *     (dev.mysql.com OK_Packet and EOF_Packet pages; libmysqlclient's cli_safe_read_with_ok):
 *     <ul>
 *     <li>without CLIENT_DEPRECATE_EOF, 0xFE is an EOF packet if the payload is shorter than 9
 *         bytes, else data;</li>
 *     <li>with CLIENT_DEPRECATE_EOF, 0xFE is an OK packet (the end of the result set) if the
 *         payload is shorter than 0xFFFFFF bytes, else data.</li>
 *     </ul></li>
 * <li>0xFF is always an ERR packet: no row or column definition can start with it.</li>
 * </ul>
 *
 * <p>Call these with the first packet of a message only: a packet that follows one of
 * {@link Packet#MAX_PAYLOAD} bytes continues that message, whatever its first byte. The same
 * rules hold for a reassembled message (it is then longer still). Pass the capabilities both
 * sides agreed on: whether the backend ends result sets with EOF or OK depends on what the
 * proxy's handshake response to it asked for. 0xFE and 0x01 in the authentication phase are
 * AuthSwitchRequest and AuthMoreData, which these methods do not cover.
 */
public enum PacketKind {
    /** An OK packet: header 0x00, or 0xFE ending a result set under CLIENT_DEPRECATE_EOF. */
    OK,
    /** An ERR packet (0xFF). */
    ERR,
    /** An EOF packet (0xFE, shorter than 9 bytes, without CLIENT_DEPRECATE_EOF). */
    EOF,
    /** A LOCAL INFILE request (0xFB, first response to COM_QUERY): the client must send a file. */
    LOCAL_INFILE,
    /** Anything else: a column count, a column definition, a row, a statistics string. */
    DATA;

    private static final int OK_HEADER = 0x00;
    private static final int LOCAL_INFILE_HEADER = 0xFB;
    private static final int EOF_OR_OK_HEADER = 0xFE;
    private static final int ERR_HEADER = 0xFF;

    /**
     * The first packet of a command's response (to COM_QUERY, COM_STMT_EXECUTE, COM_FIELD_LIST,
     * ...): OK, ERR, LOCAL_INFILE, EOF, or DATA (a result set's column count). Note that
     * COM_STMT_PREPARE's success response also starts with 0x00 and so reads as OK here.
     */
    public static PacketKind ofResponse(ByteBuf payload, long capabilities) throws MalformedPacketException {
        int first = firstByte(payload);
        return switch (first) {
            case OK_HEADER -> OK;
            case ERR_HEADER -> ERR;
            case LOCAL_INFILE_HEADER -> LOCAL_INFILE;
            case EOF_OR_OK_HEADER -> endOrData(payload.readableBytes(), capabilities);
            default -> DATA;
        };
    }

    /**
     * A packet after the column count of a result set (a column definition or a row, text or
     * binary): ERR, the end of the column definitions or rows (EOF, or OK under
     * CLIENT_DEPRECATE_EOF), or DATA.
     */
    public static PacketKind inResultSet(ByteBuf payload, long capabilities) throws MalformedPacketException {
        int first = firstByte(payload);
        return switch (first) {
            case ERR_HEADER -> ERR;
            case EOF_OR_OK_HEADER -> endOrData(payload.readableBytes(), capabilities);
            default -> DATA;
        };
    }

    private static PacketKind endOrData(int length, long capabilities) {
        if (Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF)) {
            return length < Packet.MAX_PAYLOAD ? OK : DATA;
        }
        return length < EofPacket.MAX_LENGTH_EXCLUSIVE ? EOF : DATA;
    }

    private static int firstByte(ByteBuf payload) throws MalformedPacketException {
        if (!payload.isReadable()) {
            throw new MalformedPacketException("an empty packet where a response was expected");
        }
        return payload.getUnsignedByte(payload.readerIndex());
    }
}
