package io.rwsplit.sandbox;

import java.nio.file.Path;

/**
 * PEM files the nodes of a local cluster serve TLS with: a CA certificate, and a server certificate
 * (valid for {@code localhost} and {@code 127.0.0.1}) signed by it, with its private key.
 */
public record TlsFiles(Path caCertificate, Path serverCertificate, Path serverKey) {
}
