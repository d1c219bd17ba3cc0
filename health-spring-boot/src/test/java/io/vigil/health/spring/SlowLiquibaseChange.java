package io.vigil.health.spring;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import liquibase.change.custom.CustomTaskChange;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.resource.ResourceAccessor;

/** A Liquibase change that runs until the test releases it (at most 60 s). */
public class SlowLiquibaseChange implements CustomTaskChange {
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
