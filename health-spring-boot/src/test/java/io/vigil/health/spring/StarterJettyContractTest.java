package io.vigil.health.spring;

/** The HTTP contract over the starter's mount in a Spring Boot application on Jetty. */
class StarterJettyContractTest extends StarterContractSuite {
    @Override
    Class<?> app() {
        return BootApps.JettyApp.class;
    }

    @Override
    String server() {
        return "Jetty";
    }
}
