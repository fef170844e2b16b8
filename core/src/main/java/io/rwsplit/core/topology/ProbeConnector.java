package io.rwsplit.core.topology;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens the monitor's probe connection to one node. */
@FunctionalInterface
public interface ProbeConnector {

    Connection connect(NodeId node) throws SQLException;
}
