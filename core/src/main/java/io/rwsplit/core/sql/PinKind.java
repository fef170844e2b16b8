package io.rwsplit.core.sql;

/** Server-side state that ties a session to the primary until it is gone. */
public enum PinKind {
    TEMPORARY_TABLE("temporary table"),
    TABLE_LOCK("table lock"),
    NAMED_LOCK("named lock"),
    USER_VARIABLE("user variable"),
    PREPARED_STATEMENT("text prepared statement"),
    HANDLER("open HANDLER");

    private final String description;

    PinKind(String description) {
        this.description = description;
    }

    /** For reasons: "pinned: temporary table". */
    public String description() {
        return description;
    }
}
