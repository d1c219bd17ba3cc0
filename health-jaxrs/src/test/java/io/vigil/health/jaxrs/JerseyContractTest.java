package io.vigil.health.jaxrs;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.tck.HttpContractSuite;
import java.util.function.Predicate;

/** The HTTP contract over Jersey 3.1 on Jetty 12 serving {@link HealthApplication}. */
class JerseyContractTest extends HttpContractSuite {
    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        HealthResource resource = HealthResource.builder(handler)
                .authorizer(headers -> {
                    String header = headers.getHeaderString("Authorization");
                    return header != null && authorized.test(header);
                })
                .build();
        Jersey jersey = Jersey.serve(new HealthApplication(resource));
        return Served.of(jersey.base(), () -> {
            try {
                jersey.close();
            } catch (Exception e) {
                throw new IllegalStateException("Jersey did not stop cleanly", e);
            }
        });
    }

    @Override
    protected boolean passesUnsafePaths() {
        return false;
    }

    @Override
    protected boolean keepsInvalidEscapesInQueries() {
        return false;
    }
}
