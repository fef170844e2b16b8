package io.rwsplit.jdbc;

import java.util.Map;

/**
 * One cluster as the driver sees it, in JMX (jconsole, VisualVM, a JMX exporter): registered as
 * {@code io.rwsplit:type=Cluster,name="jdbc:rwsplit:mysql://..."} while the driver or data source
 * that opened it is in use, unless the URL says {@code rwsplit.jmx=false}. Maps are by node name.
 */
public interface ClusterMXBean {

    /** The URL without credentials or options. */
    String getCluster();

    /** The primary's name, or an empty string when none is known. */
    String getPrimary();

    /** Each node's {@code role up|down}, for example {@code replica up}. */
    Map<String, String> getNodeStates();

    /** Replica lag in seconds, -1 where unknown. */
    Map<String, Double> getReplicaLagSeconds();

    /** Statements completed per node. */
    Map<String, Long> getStatements();

    /** Reads completed per node (statements the classifier found replica-eligible). */
    Map<String, Long> getReads();

    /** Statements that failed per node. */
    Map<String, Long> getErrors();

    /** Mean time of a completed statement per node, in milliseconds, since the start. */
    Map<String, Double> getMeanStatementMillis();

    /** Physical connections in use per node. */
    Map<String, Integer> getPoolActive();

    /** Physical connections open per node. */
    Map<String, Integer> getPoolTotal();

    /** Times the driver saw the primary change. */
    long getPrimaryChanges();
}
