package io.vigil.health.spring;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ResourceAccessor;

/** A Liquibase change that runs until the test releases it (at most 60 s). */
// "exports": Liquibase instantiates it by name, so it is public and shows Liquibase's types, which the test
// compilation (patched into the starter's module) sees as an unnamed module's
@SuppressWarnings("exports")
public class SlowLiquibaseChange implements CustomTaskChange {
    /** Liquibase instantiates the change reflectively. */
    public SlowLiquibaseChange() {}

    static final CountDownLatch RUNNING = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Override
    public void execute(Database database) {
        RUNNING.countDown();
        try {
            RELEASE.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String getConfirmationMessage() {
        return "backfilled";
    }

    @Override
    public void setUp() {}

    @Override
    public void setFileOpener(ResourceAccessor accessor) {}

    @Override
    public ValidationErrors validate(Database database) {
        return new ValidationErrors();
    }
}
