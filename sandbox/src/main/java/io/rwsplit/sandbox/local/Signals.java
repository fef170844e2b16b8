package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.SandboxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Process signals Java has no API for (SIGSTOP, SIGCONT), sent through the shell's {@code kill}
 * built-in, and a process's run state read from {@code /proc}.
 */
final class Signals {

    private Signals() {
    }

    static void send(long pid, String signal) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "kill -s " + signal + " " + pid).redirectErrorStream(true)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SandboxException("kill -s " + signal + " " + pid + " did not return");
            }
            if (p.exitValue() != 0) {
                throw new SandboxException("kill -s " + signal + " " + pid + " failed: "
                        + new String(p.getInputStream().readAllBytes()).strip());
            }
        } catch (IOException e) {
            throw new SandboxException("cannot send SIG" + signal + " to " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while sending SIG" + signal + " to " + pid, e);
        }
    }

    /** Whether the process is stopped by a signal (state {@code T} in {@code /proc/<pid>/stat}). */
    static boolean isStopped(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && (stat.charAt(close + 2) == 'T'
                    || stat.charAt(close + 2) == 't');
        } catch (IOException e) {
            return false;
        }
    }
}
