package io.rwsplit.proxy.server;

import io.rwsplit.proxy.config.BackendConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code backend.tls} for the monitor's and failover's own JDBC connections (Connector/J), which
 * carry the monitor account's password and, at a switchover or rejoin, the replication account's:
 * they get the same checks as the proxy's connections, never a silent fall-back to plain text.
 * A CA file given as PEM becomes a PKCS#12 trust store in a temporary file, which is what
 * Connector/J reads.
 */
final class MonitorTls {

    private MonitorTls() {
    }

    /** Connector/J properties for {@code backend}'s TLS mode. */
    static Map<String, String> properties(BackendConfig backend) {
        Map<String, String> p = new LinkedHashMap<>();
        switch (backend.tls()) {
            case DISABLED -> p.put("sslMode", "DISABLED");
            case PREFERRED -> p.put("sslMode", "PREFERRED");
            case REQUIRED -> p.put("sslMode", "REQUIRED");
            case VERIFY_CA, VERIFY_IDENTITY -> {
                p.put("sslMode", backend.tls() == BackendConfig.BackendTls.VERIFY_CA ? "VERIFY_CA" : "VERIFY_IDENTITY");
                if (backend.caCertificate() != null) {
                    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
                    Path store = trustStore(backend.caCertificate(), password);
                    p.put("trustCertificateKeyStoreUrl", store.toUri().toString());
                    p.put("trustCertificateKeyStoreType", "PKCS12");
                    p.put("trustCertificateKeyStorePassword", password);
                    p.put("fallbackToSystemTrustStore", "false");
                } else {
                    p.put("fallbackToSystemTrustStore", "true");
                }
            }
        }
        return p;
    }

    private static Path trustStore(Path pem, String password) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new ProxyStartException("backend.caCertificate " + pem + " holds no certificate");
            }
            Path file = Files.createTempFile("rwsplit-monitor-trust", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new ProxyStartException("backend.caCertificate " + pem + ": cannot make the monitor's trust store: "
                    + e.getMessage(), e);
        }
    }
}
