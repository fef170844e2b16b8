package io.rwsplit.proxy.config;

import java.nio.file.Path;

/**
 * TLS between clients and the proxy.
 *
 * @param certificate PEM certificate chain, or {@code null}
 * @param key         PEM private key (PKCS#8 or PKCS#1), or {@code null}
 * @param selfSigned  generate a throw-away self-signed pair at start (demos and tests); used when
 *                    no certificate is given
 * @param required    refuse clients that do not switch to TLS
 */
public record ClientTlsConfig(Path certificate, Path key, boolean selfSigned, boolean required) {

    public static final ClientTlsConfig OFF = new ClientTlsConfig(null, null, false, false);

    /** Whether the proxy offers TLS to clients at all. */
    public boolean enabled() {
        return certificate != null || selfSigned;
    }
}
