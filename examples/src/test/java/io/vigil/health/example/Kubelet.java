package io.vigil.health.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The probe loop of a kubelet for one container, following the rules of kubelet's prober worker
 * ({@code pkg/kubelet/prober/worker.go}) and HTTP prober, on a virtual clock the test advances second by second:
 *
 * <ul>
 *   <li>each probe runs at container start and then every {@code periodSeconds}, not before
 *       {@code initialDelaySeconds};</li>
 *   <li>while the startup probe has not succeeded, liveness and readiness are not run; once it has, it is not run
 *       again;</li>
 *   <li>an HTTP probe succeeds when the answer is 200 to 399; a refused connection, a timeout after
 *       {@code timeoutSeconds} or any other status fails;</li>
 *   <li>a result takes effect after {@code failureThreshold} consecutive failures or {@code successThreshold}
 *       consecutive successes; readiness starts as failed, liveness as succeeded;</li>
 *   <li>a startup or liveness failure that takes effect is a restart decision, after which that probe is on hold
 *       (kubelet waits for the new container);</li>
 *   <li>once the pod is being deleted, startup and liveness stop (set to success); readiness keeps running.</li>
 * </ul>
 * Every decision (started, ready, not ready, restart) is recorded with its virtual time. The real container is not
 * restarted: the test asserts that kubelet would (or would not) do it. Not thread-safe: drive it from the test.
 */
final class Kubelet {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    /**
     * One probe of the Deployment, defaults filled in.
     *
     * @param name                {@code startupProbe}, {@code livenessProbe} or {@code readinessProbe}
     * @param path                HTTP path
     * @param containerPort       the container port it targets
     * @param initialDelaySeconds delay after container start
     * @param periodSeconds       period
     * @param timeoutSeconds      HTTP timeout
     * @param successThreshold    consecutive successes that count
     * @param failureThreshold    consecutive failures that count
     */
    record ProbeSpec(
            String name,
            String path,
            int containerPort,
            int initialDelaySeconds,
            int periodSeconds,
            int timeoutSeconds,
            int successThreshold,
            int failureThreshold) {}

    /**
     * @param second virtual second
     * @param what   e.g. {@code ready}, {@code restart: livenessProbe failed 3 times (last: HTTP 503)}
     */
    record Decision(long second, String what) {
        @Override
        public String toString() {
            return "t=" + second + "s " + what;
        }
    }

    private final Worker startup;
    private final Worker liveness;
    private final Worker readiness;
    private final IntUnaryOperator hostPort;
    private final List<Decision> decisions = new ArrayList<>();
    private long now = -1;
    private boolean started;
    private boolean ready;
    private boolean deleting;

    /**
     * @param startup   startup probe
     * @param liveness  liveness probe
     * @param readiness readiness probe
     * @param ports     container port → the port the service really listens on
     */
    Kubelet(ProbeSpec startup, ProbeSpec liveness, ProbeSpec readiness, Map<Integer, Integer> ports) {
        this.startup = new Worker(startup, Kind.STARTUP);
        this.liveness = new Worker(liveness, Kind.LIVENESS);
        this.readiness = new Worker(readiness, Kind.READINESS);
        this.hostPort = p -> {
            Integer real = ports.get(p);
            if (real == null) {
                throw new IllegalStateException("probe targets container port " + p + ", which the test does not map");
            }
            return real;
        };
    }

    /**
     * Advances the virtual clock, running every probe that falls due (the first call starts the container).
     *
     * @param seconds virtual seconds to run
     * @return this
     */
    Kubelet run(int seconds) {
        for (int i = 0; i < seconds; i++) {
            now++;
            for (Worker w : List.of(startup, liveness, readiness)) {
                w.tick();
            }
        }
        return this;
    }

    /** The pod is being deleted (kubectl delete, a rollout, a node drain): kubelet sends SIGTERM now. */
    void podDeleted() {
        deleting = true;
        decide("pod deleted: SIGTERM");
    }

    boolean started() {
        return started;
    }

    boolean ready() {
        return ready;
    }

    /** @return restart decisions so far */
    List<Decision> restarts() {
        return decisions.stream().filter(d -> d.what().startsWith("restart")).toList();
    }

    List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    long now() {
        return now;
    }

    /** @return how often each probe actually sent a request */
    int probesSent(String name) {
        for (Worker w : List.of(startup, liveness, readiness)) {
            if (w.spec.name().equals(name)) {
                return w.sent;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** @return the last answers of each probe, newest last, for failure messages */
    String history() {
        return "decisions " + decisions + "\n startup " + tail(startup.log) + "\n liveness " + tail(liveness.log)
                + "\n readiness " + tail(readiness.log);
    }

    private static List<String> tail(List<String> log) {
        return log.subList(Math.max(0, log.size() - 12), log.size());
    }

    @Override
    public String toString() {
        return history();
    }

    private void decide(String what) {
        decisions.add(new Decision(now, what));
    }

    private enum Kind {
        STARTUP,
        LIVENESS,
        READINESS
    }

    private final class Worker {
        final ProbeSpec spec;
        final Kind kind;
        final List<String> log = new ArrayList<>();
        long nextAt;
        boolean stopped;
        boolean onHold;
        Boolean lastResult;
        int run;
        int sent;

        Worker(ProbeSpec spec, Kind kind) {
            this.spec = spec;
            this.kind = kind;
        }

        void tick() {
            if (stopped || now < nextAt) {
                return;
            }
            nextAt = now + spec.periodSeconds();
            doProbe();
        }

        /** One round of kubelet's worker.doProbe. */
        void doProbe() {
            if (onHold) {
                return;
            }
            if (deleting && kind != Kind.READINESS) {
                stopped = true; // "Pod deletion requested, setting probe result to success"
                return;
            }
            if (now < spec.initialDelaySeconds()) {
                return;
            }
            if (started ? kind == Kind.STARTUP : kind != Kind.STARTUP) {
                return;
            }
            boolean success = probeOnce();
            if (lastResult != null && lastResult == success) {
                run++;
            } else {
                lastResult = success;
                run = 1;
            }
            if ((!success && run < spec.failureThreshold()) || (success && run < spec.successThreshold())) {
                return;
            }
            switch (kind) {
                case STARTUP -> {
                    if (success && !started) {
                        started = true;
                        decide("started");
                    }
                }
                case READINESS -> {
                    if (success != ready) {
                        ready = success;
                        decide(success ? "ready" : "not ready (" + log.get(log.size() - 1) + ")");
                    }
                }
                case LIVENESS -> {}
            }
            if (!success && kind != Kind.READINESS) {
                decide("restart: " + spec.name() + " failed " + spec.failureThreshold() + " times (last: "
                        + log.get(log.size() - 1) + ")");
                onHold = true;
                run = 0;
            }
        }

        /** kubelet's HTTP prober: GET, kube-probe user agent, success on 200-399. */
        boolean probeOnce() {
            sent++;
            String answer;
            boolean success;
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + hostPort.applyAsInt(spec.containerPort()) + spec.path()))
                        .timeout(Duration.ofSeconds(spec.timeoutSeconds()))
                        .header("User-Agent", "kube-probe/1.34")
                        .header("Accept", "*/*")
                        .GET()
                        .build();
                HttpResponse<Void> r = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
                success = r.statusCode() >= 200 && r.statusCode() < 400;
                answer = "HTTP " + r.statusCode();
            } catch (HttpTimeoutException e) {
                success = false;
                answer = "timeout after " + spec.timeoutSeconds() + " s";
            } catch (IOException e) {
                success = false;
                answer = "connection failed: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            log.add("t=" + now + " " + answer);
            return success;
        }
    }
}
