package io.rwsplit.proxy.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a program that is not ours (a database client, a benchmark) to its end, with a deadline: a
 * program still running at the deadline is killed with its children and the test fails, so a
 * client that hangs on the proxy shows as a failure rather than a stuck build. Input comes from a
 * file and output goes to files, so no pipe can fill up and block the program.
 */
final class ExternalProcess {

    /** What a finished program left behind. */
    record Result(int exitCode, String stdout, String stderr) {

        /** For assertion messages. */
        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private ExternalProcess() {
    }

    static Result run(List<String> command, String stdin, Duration timeout) {
        return run(command, stdin, timeout, Map.of());
    }

    static Result run(List<String> command, String stdin, Duration timeout, Map<String, String> environment) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("rwsplit-external-");
            Path in = Files.writeString(dir.resolve("stdin"), stdin, StandardCharsets.UTF_8);
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(environment);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command.get(0) + " did not finish within " + timeout.toSeconds()
                        + " s and was killed: " + String.join(" ", command) + "\n--- stdout\n" + read(out)
                        + "--- stderr\n" + read(err));
            }
            return new Result(p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while " + command.get(0) + " ran", e);
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    /** The first executable of that name in the PATH, or in the usual system folders. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/local/bin";
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    private static String read(Path file) throws IOException {
        // not readString: a stray byte that is not UTF-8 must not hide the output
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
