package io.rwsplit.proxy.frontend;

import java.time.Duration;

/** What a planned switchover through the proxy did: a value the admin API and the CLI can show. */
public sealed interface SwitchoverOutcome permits SwitchoverOutcome.Switched, SwitchoverOutcome.Failed {

    /** From the request to the end, held statements let go. */
    Duration took();

    /**
     * The switchover happened.
     *
     * @param oldPrimary    the node that was the primary, now a replica of the new one
     * @param newPrimary    the node that is the primary now
     * @param writePause    how long statements for the primary were held (the gate was closed)
     * @param held          statements that were held
     * @param heldTimedOut  of those, the ones that waited longer than {@code switchover.holdTimeout}
     *                      and got an error instead of running
     * @param longestHold   the longest any statement was held
     * @param detail        the switchover's own account of itself, for the log
     */
    record Switched(String oldPrimary, String newPrimary, Duration took, Duration writePause, long held,
            long heldTimedOut, Duration longestHold, String detail) implements SwitchoverOutcome {
    }

    /**
     * It did not happen; unless the reason says otherwise nothing changed, and held statements ran
     * on the old primary.
     *
     * @param reason why, in words an operator can act on
     */
    record Failed(String reason, Duration took) implements SwitchoverOutcome {
    }
}
