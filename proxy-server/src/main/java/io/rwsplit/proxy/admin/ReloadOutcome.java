package io.rwsplit.proxy.admin;

import java.util.List;

/** What {@code POST /api/reload} did: applied, with the parts that changed, or refused, with why. */
public record ReloadOutcome(boolean applied, String message, List<String> changes) {

    public ReloadOutcome {
        changes = List.copyOf(changes);
    }
}
