package io.rwsplit.sandbox.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.rwsplit.sandbox.Handshake;
import io.rwsplit.sandbox.NodeProcess;
import io.rwsplit.sandbox.SandboxException;
import java.time.Duration;
import java.time.Instant;
import org.testcontainers.mysql.MySQLContainer;

/**
 * The faults of a containerised node, through Docker: kill ({@code SIGKILL}), pause and unpause
 * (the cgroup freezer, like {@code SIGSTOP}), stop and start. A restarted container may get a new
 * host port, so the port is read again after every start.
 */
final class ContainerProcess implements NodeProcess {

    private static final int MYSQL_PORT = 3306;

    private final MySQLContainer container;
    private final String alias;
    private volatile int port = -1;

    ContainerProcess(MySQLContainer container, String alias) {
        this.container = container;
        this.alias = alias;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        if (port < 0) {
            port = container.getMappedPort(MYSQL_PORT);
        }
        return port;
    }

    @Override
    public String replicationHost() {
        return alias;
    }

    @Override
    public int replicationPort() {
        return MYSQL_PORT;
    }

    @Override
    public long pid() {
        return -1;
    }

    private DockerClient docker() {
        return container.getDockerClient();
    }

    private InspectContainerResponse.ContainerState state() {
        return docker().inspectContainerCmd(container.getContainerId()).exec().getState();
    }

    @Override
    public boolean isRunning() {
        InspectContainerResponse.ContainerState s = state();
        return Boolean.TRUE.equals(s.getRunning());
    }

    @Override
    public boolean isFrozen() {
        return Boolean.TRUE.equals(state().getPaused());
    }

    @Override
    public void kill() {
        if (isRunning()) {
            docker().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        }
    }

    @Override
    public void freeze() {
        docker().pauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void thaw() {
        docker().unpauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void stop() {
        if (isRunning()) {
            docker().stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
        }
    }

    @Override
    public void start() {
        docker().startContainerCmd(container.getContainerId()).exec();
        Ports.Binding[] bindings = docker().inspectContainerCmd(container.getContainerId()).exec().getNetworkSettings()
                .getPorts().getBindings().get(ExposedPort.tcp(MYSQL_PORT));
        if (bindings == null || bindings.length == 0) {
            throw new SandboxException(alias + " has no host port for " + MYSQL_PORT + " after a restart");
        }
        port = Integer.parseInt(bindings[0].getHostPortSpec());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!Handshake.answers(host(), port)) {
            if (Instant.now().isAfter(deadline)) {
                throw new SandboxException(alias + " did not accept connections within 90 s of its restart");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while restarting " + alias, e);
            }
        }
    }

    @Override
    public String toString() {
        return alias + "(container " + container.getContainerId() + ")";
    }
}
