package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.Flavor;
import io.rwsplit.sandbox.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Initialised, never-started data directories, one per server binary, kept in the cache. A node's
 * data directory is a copy of its binary's template: copying 50 MB is faster than running the
 * installer for every node of every cluster.
 */
final class DataDirTemplates {

    /** Bump when the way templates are made changes, so old ones are not reused. */
    private static final String FORMAT = "2";

    private final Path cache;

    DataDirTemplates(Path cache) {
        this.cache = cache;
    }

    /** The template for {@code binary}, initialised now if the cache does not have it yet. */
    Path templateFor(ServerBinary binary, boolean runningAsRoot) {
        Path dir = cache.resolve("templates").resolve(binary.version().flavor().name().toLowerCase(java.util.Locale.ROOT)
                + "-" + binary.version().major() + "." + binary.version().minor() + "." + binary.version().patch()
                + "-" + shortHash(binary.fingerprint() + "|" + FORMAT + "|" + runningAsRoot));
        Path data = dir.resolve("data");
        if (Files.isDirectory(data)) {
            return data;
        }
        Path staging = cache.resolve("templates").resolve(".init-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            Path stagingData = staging.resolve("data");
            Commands.run(binary.initializeCommand(stagingData, runningAsRoot), staging.toFile(),
                    Duration.ofMinutes(3));
            if (binary.version().flavor() == Flavor.MYSQL) {
                // server_uuid must differ per node; each copy makes its own at first start
                Files.deleteIfExists(stagingData.resolve("auto.cnf"));
            }
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                // made concurrently by another run
            } catch (IOException e) {
                if (!Files.isDirectory(data)) {
                    throw e;
                }
            }
            return data;
        } catch (IOException e) {
            throw new SandboxException("could not initialise a data directory for " + binary.server() + ": " + e, e);
        } finally {
            Files2.deleteTree(staging);
        }
    }

    private static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
