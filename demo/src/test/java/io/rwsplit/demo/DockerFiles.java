package io.rwsplit.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository's docker/ folder, read in place (tests run in the module's folder), and its
 * MySQL init script run the way the mysql image runs it, with a stand-in for the {@code mysql}
 * client that keeps what it is given.
 */
final class DockerFiles {

    static final Path DIR = Path.of(System.getProperty("user.dir")).resolve("../docker").normalize();
    private static final String NEXT = "-- (next mysql call)";

    private DockerFiles() {
    }

    static Path file(String relative) {
        Path p = DIR.resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no " + p + " (tests run in the module's folder, docker/ is beside it)");
        }
        return p;
    }

    static String read(String relative) throws IOException {
        return Files.readString(file(relative));
    }

    /** What mysql/init.sh ran, or its error output. */
    record InitRun(int exitCode, List<String> scripts, String stderr) {
    }

    /**
     * Runs {@code mysql/init.sh} with bash, the given environment, and a {@code mysql} on the PATH
     * that records its standard input: one entry per call, in order.
     */
    static InitRun runInit(Path work, Map<String, String> env) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path calls = work.resolve("calls.sql");
        Path mysql = bin.resolve("mysql");
        Files.writeString(mysql, "#!/bin/sh\ncat >> '" + calls + "'\necho '" + NEXT + "' >> '" + calls + "'\n");
        mysql.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("bash", file("mysql/init.sh").toString());
        pb.environment().clear();
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("RWSPLIT_SQL_DIR", DIR.resolve("mysql/sql").toString());
        pb.environment().putAll(env);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path err = work.resolve("stderr.txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("mysql/init.sh did not finish within 30 s");
        }
        List<String> scripts = new ArrayList<>();
        if (Files.exists(calls)) {
            for (String s : Files.readString(calls).split(java.util.regex.Pattern.quote(NEXT + "\n"))) {
                if (!s.isBlank()) {
                    scripts.add(s);
                }
            }
        }
        return new InitRun(p.exitValue(), scripts, Files.readString(err));
    }

    /** The statements of an SQL script: comment lines dropped, split at the semicolons that end lines. */
    static List<String> statements(String script) {
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                sb.append(line).append('\n');
            }
        }
        return Arrays.stream(sb.toString().split(";\\s*\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
