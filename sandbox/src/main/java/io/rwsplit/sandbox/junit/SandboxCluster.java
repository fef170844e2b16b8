package io.rwsplit.sandbox.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a running local cluster: declare a {@link io.rwsplit.sandbox.Cluster}
 * parameter on the constructor, a {@code @BeforeAll} or a test method.
 *
 * <pre>{@code
 * @SandboxCluster(replicas = 2)
 * class RoutingIT {
 *     RoutingIT(Cluster cluster) { ... }
 * }
 * }</pre>
 *
 * <p>With {@link Scope#SUITE} (the default) every class asking for the same shape shares one
 * cluster for the whole run, and each class gets it back healed: frozen nodes thawed, dead nodes
 * restarted, replication running and caught up. A class that changes roles (promotes a replica)
 * or cannot tolerate other classes' data asks for {@link Scope#CLASS}: its own cluster, stopped
 * after the class.
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SandboxExtension.class)
public @interface SandboxCluster {

    int replicas() default 2;

    boolean semiSync() default false;

    Scope scope() default Scope.SUITE;

    enum Scope {
        /** Shared with every class asking for the same shape, stopped at the end of the run. */
        SUITE,
        /** This class's own, stopped after its last test. */
        CLASS
    }
}
