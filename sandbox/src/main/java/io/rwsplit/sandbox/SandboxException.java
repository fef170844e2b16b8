package io.rwsplit.sandbox;

/** A sandbox server or cluster could not be set up, started or controlled. The message says why. */
public final class SandboxException extends RuntimeException {

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
