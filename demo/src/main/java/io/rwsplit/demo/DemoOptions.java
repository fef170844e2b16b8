package io.rwsplit.demo;

import java.time.Duration;

/**
 * What one run of the demo is asked for.
 *
 * @param name     the sandbox cluster's name
 * @param port     the proxy's port on 127.0.0.1, 0 for a free one
 * @param threads  client connections running the workload at once
 * @param duration how long the workload runs
 * @param tty      whether output goes to a terminal, where the progress line is redrawn in place
 */
record DemoOptions(String name, int port, int adminPort, int threads, Duration duration, boolean tty) {
}
