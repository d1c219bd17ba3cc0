package io.vigil.health.spring;

/** The HTTP contract over the starter's mount in a Spring Boot application on Tomcat. */
class StarterTomcatContractTest extends StarterContractSuite {
    @Override
    Class<?> app() {
        return BootApps.App.class;
    }

    @Override
    String server() {
        return "Tomcat";
    }

    @Override
    protected boolean passesTrace() {
        return false;
    }

    @Override
    protected int maxRequestsPerConnection() {
        return 100; // embedded Tomcat's maxKeepAliveRequests default, as Spring Boot leaves it
    }
}
