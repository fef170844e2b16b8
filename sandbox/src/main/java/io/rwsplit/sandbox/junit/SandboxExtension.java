package io.rwsplit.sandbox.junit;

import io.rwsplit.sandbox.Cluster;
import io.rwsplit.sandbox.local.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts, shares, heals and stops the clusters asked for by {@link SandboxCluster}. Clusters live in
 * JUnit's stores, which close them: the root store at the end of the run, a class's store after
 * the class. The binary comes from {@code rwsplit.sandbox.server} / {@code RWSPLIT_SANDBOX_SERVER}
 * when set.
 */
public final class SandboxExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SandboxExtension.class);
    private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    private static Cluster cluster(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        SandboxCluster spec = AnnotationSupport.findAnnotation(testClass, SandboxCluster.class)
                .orElseThrow(() -> new ParameterResolutionException(testClass.getName()
                        + " needs @SandboxCluster to be given a Cluster"));
        if (spec.scope() == SandboxCluster.Scope.CLASS) {
            ExtensionContext classContext = classContext(context);
            return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(testClass.getName(),
                    k -> new Held(start(spec)), Held.class).cluster;
        }
        String key = "suite:replicas=" + spec.replicas() + ",semiSync=" + spec.semiSync();
        Held held = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(key, k -> new Held(start(spec)),
                Held.class);
        // each class gets the shared cluster back in its initial shape, whatever the last class did to it
        ExtensionContext classContext = classContext(context);
        classContext.getStore(NAMESPACE).getOrComputeIfAbsent("healed:" + key, k -> {
            held.cluster.heal(HEAL_TIMEOUT);
            return Boolean.TRUE;
        }, Boolean.class);
        return held.cluster;
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static Cluster start(SandboxCluster spec) {
        try {
            return LocalCluster.builder().replicas(spec.replicas()).semiSync(spec.semiSync()).start();
        } catch (RuntimeException e) {
            throw new ExtensionConfigurationException("could not start a sandbox cluster: " + e.getMessage(), e);
        }
    }

    /** A cluster in a JUnit store; the store closes it. */
    private record Held(Cluster cluster) implements AutoCloseable {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
