package io.rwsplit.proxy.frontend;

/** Values from clients, made safe for a one-line key=value log entry. */
final class LogText {

    private static final int MAX = 64;

    private LogText() {
    }

    /**
     * {@code text} in double quotes, with quotes, backslashes and control characters escaped and
     * cut at 64 characters: a user name is the client's to choose, and must not forge log lines.
     */
    static String quoted(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 8).append('"');
        for (int i = 0; i < text.length() && i < MAX; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > MAX) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
