package io.rwsplit.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.rwsplit.proxy.config.BackendConfig;
import io.rwsplit.proxy.config.BackendConfig.BackendTls;
import io.rwsplit.proxy.config.ClientTlsConfig;
import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.Node;
import io.rwsplit.sandbox.TlsFiles;
import io.rwsplit.sandbox.junit.SandboxCluster;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's TLS towards the servers with certificate checks, against the sandbox's own CA and
 * its server certificate (named {@code localhost} and {@code 127.0.0.1}): verify-ca passes with
 * that CA and fails with another; verify-identity passes for a host the certificate names and
 * fails for another name of the same address. A failed check is an error the client sees (the
 * proxy's own errno), never a plain or unchecked connection, for the proxy's connections and for
 * the monitor's alike.
 */
@SandboxCluster(replicas = 2)
class BackendTlsIT {

    private final Cluster cluster;
    private TlsFiles tls;

    BackendTlsIT(Cluster cluster) {
        this.cluster = cluster;
    }

    @BeforeEach
    void needsTls() {
        assumeThat(cluster.tls()).as("the sandbox made TLS files for this cluster").isPresent();
        tls = cluster.tls().orElseThrow();
    }

    private RunningProxy proxy(BackendTls mode, Path ca, Function<Node, String> host) {
        return RunningProxy.start(cluster, new BackendConfig(mode, Duration.ofSeconds(2), ca), host,
                ClientTlsConfig.OFF, List.of());
    }

    /** A connection with a schema: the login itself opens a server connection (to check the schema). */
    private static String sslCipherSeenByServer(RunningProxy p) throws SQLException {
        try (Connection c = p.connect(""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            rs.next();
            return rs.getString(2);
        }
    }

    /**
     * The monitor's own connections check the certificate too (they carry the monitor's password),
     * so it sees no node it may trust: every node down, and the client refused with the proxy's
     * error instead of a connection to an unverified server.
     */
    private static void assertRefusedBecauseOfTheCertificate(RunningProxy p) {
        assertThat(p.server.runtime().monitor().current().nodes()).as("nodes as the monitor sees them")
                .allSatisfy(n -> assertThat(n.isUp()).isFalse());
        assertThatThrownBy(() -> p.connect("").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> {
                    SQLException s = (SQLException) e;
                    // 2003 when no server is usable at all, 9001 when one could not be connected to
                    assertThat(s.getErrorCode()).as("the proxy's error for no usable server").isIn(2003, 9001);
                    assertThat(s.getSQLState()).hasSize(5);
                    assertThat(s.getMessage()).isNotBlank();
                });
    }

    @Test
    void verifyCaWithTheClustersCaWorksOverTls() throws Exception {
        try (RunningProxy p = proxy(BackendTls.VERIFY_CA, tls.caCertificate(), Node::host)) {
            assertThat(sslCipherSeenByServer(p)).isNotBlank();
        }
    }

    @Test
    void verifyCaWithAnotherCaIsAClearError(@TempDir Path dir) throws Exception {
        Path otherCa = Files.writeString(dir.resolve("other-ca.pem"), otherCaPem());
        try (RunningProxy p = proxy(BackendTls.VERIFY_CA, otherCa, Node::host)) {
            assertRefusedBecauseOfTheCertificate(p);
        }
    }

    @Test
    void verifyIdentityPassesForTheAddressTheCertificateNames() throws Exception {
        try (RunningProxy p = proxy(BackendTls.VERIFY_IDENTITY, tls.caCertificate(), n -> "127.0.0.1")) {
            assertThat(sslCipherSeenByServer(p)).isNotBlank();
        }
        try (RunningProxy p = proxy(BackendTls.VERIFY_IDENTITY, tls.caCertificate(), n -> "localhost")) {
            assertThat(sslCipherSeenByServer(p)).isNotBlank();
        }
    }

    @Test
    void verifyIdentityFailsForANameTheCertificateDoesNotHave() throws Exception {
        // another name of the servers' address, which the sandbox's certificate does not list
        String name = InetAddress.getLocalHost().getHostName();
        assumeThat(name).as("this machine's name").isNotEqualToIgnoringCase("localhost");
        assumeThat(InetAddress.getByName(name).isLoopbackAddress()).as(name + " resolves to a loopback address")
                .isTrue();
        assumeThat(InetAddress.getByName(name).getHostAddress()).isEqualTo("127.0.0.1");
        try (RunningProxy p = proxy(BackendTls.VERIFY_IDENTITY, tls.caCertificate(), n -> name)) {
            assertRefusedBecauseOfTheCertificate(p);
        }
        // verify-ca does not look at the name: the same host passes
        try (RunningProxy p = proxy(BackendTls.VERIFY_CA, tls.caCertificate(), n -> name)) {
            assertThat(sslCipherSeenByServer(p)).isNotBlank();
        }
    }

    /** A CA certificate that signed nothing the servers have. */
    private static String otherCaPem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=some other CA");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name,
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        byte[] der = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()))).getEncoded();
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }
}
