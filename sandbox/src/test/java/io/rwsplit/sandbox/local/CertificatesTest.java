package io.rwsplit.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.rwsplit.sandbox.TlsFiles;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {

    @TempDir
    Path dir;

    private static X509Certificate read(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void theServerCertificateIsSignedByTheCaAndValidForLoopback() throws Exception {
        TlsFiles tls = Certificates.create(dir);
        X509Certificate ca = read(tls.caCertificate());
        X509Certificate server = read(tls.serverCertificate());

        server.verify(ca.getPublicKey());
        server.checkValidity();
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getSubjectAlternativeNames()).contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    }

    @Test
    void theKeyIsPkcs8MatchesTheCertificateAndOnlyTheOwnerReadsIt() throws Exception {
        TlsFiles tls = Certificates.create(dir);
        String pem = Files.readString(tls.serverKey());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        var sig = java.security.Signature.getInstance("SHA256withRSA");
        sig.initSign(key);
        sig.update(new byte[] {1, 2, 3});
        byte[] signed = sig.sign();
        sig.initVerify(read(tls.serverCertificate()).getPublicKey());
        sig.update(new byte[] {1, 2, 3});
        assertThat(sig.verify(signed)).isTrue();
        assertThat(Files.getPosixFilePermissions(tls.serverKey())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
}
