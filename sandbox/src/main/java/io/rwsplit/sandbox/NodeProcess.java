package io.rwsplit.sandbox;

/**
 * The server process behind a {@link Node}, and the faults a test can inflict on it. A local
 * process gets signals; a container gets the matching Docker operations.
 */
public interface NodeProcess {

    /** Host clients on this machine connect to. */
    String host();

    /** Port clients on this machine connect to; may change when a container is restarted. */
    int port();

    /** Host other nodes of the cluster use to replicate from this one. */
    String replicationHost();

    /** Port other nodes of the cluster use to replicate from this one. */
    int replicationPort();

    /** Operating-system process id, or -1 when the process is not on this machine. */
    long pid();

    boolean isRunning();

    boolean isFrozen();

    /** Ends the server at once, as {@code kill -9} does, and waits until it is gone. */
    void kill();

    /** Stops the server in its tracks ({@code SIGSTOP}): connections stay open but nothing answers. */
    void freeze();

    /** Lets a frozen server go on ({@code SIGCONT}). */
    void thaw();

    /** Shuts the server down cleanly and waits until it is gone. */
    void stop();

    /** Starts a stopped or killed server on the same data and port, and waits until it accepts clients. */
    void start();

    /** Stops (thawing first if needed) and starts again. */
    default void restart() {
        if (isFrozen()) {
            thaw();
        }
        if (isRunning()) {
            stop();
        }
        start();
    }
}
