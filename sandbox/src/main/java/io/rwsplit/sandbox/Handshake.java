package io.rwsplit.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether a MySQL-protocol server is up: it sends its greeting as soon as a connection is accepted. */
public final class Handshake {

    private Handshake() {
    }

    /**
     * True once the server at {@code host:port} sends a protocol-10 greeting, or an error packet
     * (which also means it is up, e.g. "too many connections").
     */
    public static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 250);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            byte[] header = in.readNBytes(5);
            return header.length == 5 && (header[4] == 10 || header[4] == (byte) 0xFF);
        } catch (IOException e) {
            return false;
        }
    }
}
