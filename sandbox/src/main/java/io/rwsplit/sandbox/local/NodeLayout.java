package io.rwsplit.sandbox.local;

import java.nio.file.Path;

/** Where one node of a local cluster keeps its files, all under {@code <cluster>/<node>/}. */
record NodeLayout(Path dir) {

    /** Unix socket paths are limited to 107 bytes; past that the server refuses to start. */
    private static final int MAX_SOCKET_PATH = 100;

    Path data() {
        return dir.resolve("data");
    }

    Path optionFile() {
        return dir.resolve("my.cnf");
    }

    Path pidFile() {
        return dir.resolve("server.pid");
    }

    Path errorLog() {
        return dir.resolve("error.log");
    }

    /** Anything the server prints outside its error log (before the log is open, or a crash). */
    Path consoleLog() {
        return dir.resolve("console.log");
    }

    Path socket() {
        Path s = dir.resolve("server.sock");
        if (s.toString().length() <= MAX_SOCKET_PATH) {
            return s;
        }
        return Path.of(System.getProperty("java.io.tmpdir", "/tmp"),
                "rwsplit-" + Integer.toHexString(dir.toString().hashCode()) + ".sock");
    }
}
