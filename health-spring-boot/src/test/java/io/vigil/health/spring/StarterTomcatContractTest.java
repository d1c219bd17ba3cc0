package io.vigil.health.spring;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HttpContractSuite;
import java.util.function.Predicate;

/** The HTTP contract over the starter's mount in a Spring Boot application on Tomcat. */
class StarterTomcatContractTest extends HttpContractSuite {
    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        return StarterMount.serve(BootApps.App.class, handler, authorized);
    }

    @Override
    protected boolean passesUnsafePaths() {
        return false;
    }

    @Override
    protected boolean passesEncodedSlashes() {
        return false;
    }

    @Override
    protected boolean passesTrace() {
        return false;
    }

    @Override
    protected boolean servesEveryPath() {
        return false;
    }
}
