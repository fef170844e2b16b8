package io.rwsplit.sandbox.local;

import io.rwsplit.sandbox.SandboxException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Free loopback ports. The OS picks them; a port can still be taken before the server binds it. */
final class Ports {

    private Ports() {
    }

    static int free(Set<Integer> avoid) {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = s.getLocalPort();
                if (!avoid.contains(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new SandboxException("cannot find a free loopback port: " + e.getMessage(), e);
            }
        }
        throw new SandboxException("cannot find a free loopback port");
    }
}
