package io.rwsplit.proxy.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status page served at {@code /}: one HTML file with its style and script inline, so that it
 * needs nothing but the admin listener itself. Its script fetches {@code /api/topology} every second
 * and builds the table with {@code textContent} only.
 *
 * <p>The page's Content-Security-Policy allows exactly its own inline style and script (by their
 * SHA-256, computed here from the resource so that editing the page cannot leave a stale hash),
 * fetches to the same origin, and nothing else: no other script can run in it even if a value
 * slipped past the escaping, and no other site can frame it.
 */
final class StatusPage {

    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    private static final String RESOURCE = "status.html";

    private final byte[] html;
    private final String contentSecurityPolicy;

    StatusPage() {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the status page " + RESOURCE + " is missing from the proxy's jar");
            }
            html = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page", e);
        }
        String text = new String(html, StandardCharsets.UTF_8);
        contentSecurityPolicy = "default-src 'none'; img-src data:; connect-src 'self'; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'none'; style-src " + hashOf(text, "style") + "; script-src "
                + hashOf(text, "script");
    }

    byte[] html() {
        return html.clone();
    }

    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** The CSP source for the one inline {@code <tag>} element of the page. */
    private static String hashOf(String page, String tag) {
        Matcher m = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(page);
        if (!m.find()) {
            throw new IllegalStateException("the status page has no inline <" + tag + ">");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
