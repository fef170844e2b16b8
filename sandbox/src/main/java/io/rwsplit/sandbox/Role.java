package io.rwsplit.sandbox;

/** The role a node was given when the cluster was set up. */
public enum Role {
    PRIMARY,
    REPLICA
}
