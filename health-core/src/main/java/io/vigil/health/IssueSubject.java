package io.vigil.health;

import java.util.Objects;

/**
 * What an {@link Issue} is about, with the condition that raised it: a check and its {@link Cause}, a lock, the
 * license and its validity, the application's lifecycle, or the evaluation as a whole (the all-UP issue).
 * Formats derive their codes and labels from these types, never from text.
 */
public sealed interface IssueSubject {

    /**
     * A check that is not UP.
     *
     * @param name  the check's registered name
     * @param kind  what the check looks at (a DOWN datastore is reported as {@code no-store} in FHIR)
     * @param cause why it has its status
     */
    record Check(String name, CheckKind kind, Cause cause) implements IssueSubject {
        /** Validates. */
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * A lock held by a long-running task (raised on readiness, the base path and groups only).
     *
     * @param name the lock's name
     */
    record Lock(String name) implements IssueSubject {
        /** Validates. */
        public Lock {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * The license, when it is not {@link LicenseValidity#VALID}.
     *
     * @param validity EXPIRING, EXPIRED or INVALID
     */
    record License(LicenseValidity validity) implements IssueSubject {
        /** Validates. */
        public License {
            Objects.requireNonNull(validity, "validity");
        }
    }

    /**
     * The application's lifecycle: not started yet, draining, closed, or taken out of service by an operator.
     *
     * @param phase which
     */
    record Lifecycle(Phase phase) implements IssueSubject {
        /** Validates. */
        public Lifecycle {
            Objects.requireNonNull(phase, "phase");
        }
    }

    /** The evaluation as a whole: the one informational issue of a report where everything is UP. */
    record Overall() implements IssueSubject {}

    /** The lifecycle phases that fail a probe. */
    enum Phase {
        /** The application has not finished starting (readiness and startup). */
        NOT_STARTED,
        /** The application is draining for shutdown (readiness). */
        DRAINING,
        /** The health registry is closed (readiness and startup). */
        CLOSED,
        /**
         * An operator took the instance out of service ({@link HealthRegistry#outOfService(String, String)}):
         * readiness, the base path and groups.
         */
        OUT_OF_SERVICE;

        /** @return whether the instance is withdrawn from rotation on purpose: draining, closed or out of service */
        public boolean withdrawn() {
            return this != NOT_STARTED;
        }
    }
}
