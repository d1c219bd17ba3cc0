package io.vigil.health;

/** The three probes of Kubernetes and MicroProfile Health. */
public enum Probe {
    /** Is the process alive? A failure makes Kubernetes restart the container. */
    LIVENESS("liveness"),
    /** May the instance take traffic? A failure takes it out of the load balancer. */
    READINESS("readiness"),
    /** Has the application finished starting? Until it has, liveness and readiness are not asked. */
    STARTUP("startup");

    private final String label;

    Probe(String label) {
        this.label = label;
    }

    /** @return the lower-case name used in reports, logs and metric tags */
    public String label() {
        return label;
    }
}
