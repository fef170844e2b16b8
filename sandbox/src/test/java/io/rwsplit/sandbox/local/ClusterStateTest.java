package io.rwsplit.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rwsplit.sandbox.ClusterSettings;
import io.rwsplit.sandbox.Role;
import io.rwsplit.sandbox.SandboxException;
import io.rwsplit.sandbox.ServerVersion;
import io.rwsplit.sandbox.local.ClusterState.NodeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterStateTest {

    @TempDir
    Path dir;

    private static ServerBinary binary() {
        return new ServerBinary(Path.of("/usr/sbin/mariadbd"), Path.of("/usr"),
                ServerVersion.parse("10.11.19-MariaDB-0+deb12u1"), Optional.of(Path.of("/usr/bin/mariadb")));
    }

    @Test
    void survivesAWriteAndARead() {
        ClusterState s = ClusterState.ownedByThisJvm("c1", false, binary(), ClusterSettings.DEFAULTS.withSemiSync(true),
                true).withNodes(List.of(new NodeState("n1", Role.PRIMARY, 1, 4001),
                        new NodeState("n2", Role.REPLICA, 2, 4002)));
        s.write(dir);
        assertThat(ClusterState.read(dir)).contains(s);
        assertThat(ClusterState.read(dir).orElseThrow().binary().version()).isEqualTo(binary().version());
    }

    @Test
    void theRunningJvmOwnsWhatItStartedAndADeadPidOwnsNothing() {
        ClusterState mine = ClusterState.ownedByThisJvm("c1", false, binary(), ClusterSettings.DEFAULTS, false);
        assertThat(mine.ownerAlive()).isTrue();
        ClusterState recycled = new ClusterState("c1", mine.ownerPid(), mine.ownerStart() - 60_000, false,
                mine.server(), mine.basedir(), mine.version(), mine.client(), mine.settings(), false, List.of());
        assertThat(recycled.ownerAlive()).as("same pid, other start time: a recycled pid").isFalse();
    }

    @Test
    void aFolderWithoutStateIsNotACluster() {
        assertThat(ClusterState.read(dir)).isEmpty();
    }

    @Test
    void aDamagedStateFileSaysWhichFile() throws Exception {
        Files.writeString(dir.resolve(ClusterState.FILE), "nodes=2\nnode.0.port=x\n");
        assertThatThrownBy(() -> ClusterState.read(dir)).isInstanceOf(SandboxException.class)
                .hasMessageContaining(ClusterState.FILE);
    }
}
