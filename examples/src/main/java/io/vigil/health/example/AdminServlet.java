package io.vigil.health.example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admin endpoints at {@code /admin/*}, for callers with {@code Authorization: Bearer <VIGIL_ADMIN_TOKEN>}; everyone
 * else gets 401 (everyone, when no token is configured):
 * <ul>
 *   <li>{@code POST /admin/tasks/reindex?seconds=N} (1 to 3600, default 30): starts the reindex under the health
 *       lock {@code reindex}; 202, or 409 when one runs already;</li>
 *   <li>{@code GET /admin/tasks/reindex}: whether it runs;</li>
 *   <li>{@code DELETE /admin/tasks/reindex}: cancels it and releases the lock; 200, or 404 when none runs;</li>
 *   <li>{@code POST /admin/faults/hang?checks=N} (1 to 64, default 1): a fault drill, N hanging optional readiness
 *       checks ({@link FaultDrills}); 202, or 409 when one runs already;</li>
 *   <li>{@code DELETE /admin/faults/hang}: releases them; 200, or 404 when none runs.</li>
 * </ul>
 */
final class AdminServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdminServlet.class);
    static final String REALM = "Bearer realm=\"vigil-example\"";

    private final transient BearerToken token;
    private final transient Reindexer reindexer;
    private final transient FaultDrills drills;

    AdminServlet(BearerToken token, Reindexer reindexer, FaultDrills drills) {
        this.token = token;
        this.reindexer = reindexer;
        this.drills = drills;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String authorization = request.getHeader("Authorization");
        if (!token.matches(authorization)) {
            response.setHeader("WWW-Authenticate", authorization == null ? REALM : REALM + ", error=\"invalid_token\"");
            Answers.error(
                    response,
                    401,
                    "security",
                    token.isConfigured()
                            ? "A valid bearer token is required"
                            : "Admin endpoints are disabled: VIGIL_ADMIN_TOKEN is not set");
            return;
        }
        if ("/faults/hang".equals(request.getPathInfo())) {
            drill(request, response);
            return;
        }
        if (!"/tasks/reindex".equals(request.getPathInfo())) {
            Answers.error(response, 404, "not-found", "No admin resource at this path");
            return;
        }
        switch (request.getMethod()) {
            case "POST" -> start(request, response);
            case "GET" -> status(response);
            case "DELETE" -> cancel(response);
            default -> {
                response.setHeader("Allow", "GET, POST, DELETE");
                Answers.error(response, 405, "not-supported", "Method not allowed; use GET, POST or DELETE");
            }
        }
    }

    private void start(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int seconds;
        try {
            String v = request.getParameter("seconds");
            seconds = v == null ? 30 : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        if (seconds < 1 || seconds > 3600) {
            Answers.error(response, 400, "invalid", "'seconds' takes a whole number from 1 to 3600");
            return;
        }
        Optional<Reindexer.Running> started = reindexer.start(Duration.ofSeconds(seconds));
        if (started.isEmpty()) {
            Answers.error(response, 409, "conflict", "A reindex is running already");
            return;
        }
        LOG.atInfo().addKeyValue("seconds", seconds).log("admin started a reindex of {} s", seconds);
        Answers.json(response, 202, describe(started.get()));
    }

    private void drill(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getMethod()) {
            case "POST" -> {
                int checks;
                try {
                    String v = request.getParameter("checks");
                    checks = v == null ? 1 : Integer.parseInt(v.strip());
                } catch (NumberFormatException e) {
                    checks = 0;
                }
                if (checks < 1 || checks > FaultDrills.MOST) {
                    Answers.error(
                            response, 400, "invalid", "'checks' takes a whole number from 1 to " + FaultDrills.MOST);
                } else if (drills.hang(checks)) {
                    Answers.json(response, 202, Map.of("drill", "hang", "checks", checks));
                } else {
                    Answers.error(response, 409, "conflict", "A fault drill is running already");
                }
            }
            case "DELETE" -> {
                if (drills.release()) {
                    Answers.json(response, 200, Map.of("drill", "hang", "released", true));
                } else {
                    Answers.error(response, 404, "not-found", "No fault drill is running");
                }
            }
            default -> {
                response.setHeader("Allow", "POST, DELETE");
                Answers.error(response, 405, "not-supported", "Method not allowed; use POST or DELETE");
            }
        }
    }

    private void status(HttpServletResponse response) throws IOException {
        Optional<Reindexer.Running> running = reindexer.current();
        Answers.json(response, 200, running.map(AdminServlet::describe).orElse(Map.of("running", false)));
    }

    private void cancel(HttpServletResponse response) throws IOException {
        if (!reindexer.cancel()) {
            Answers.error(response, 404, "not-found", "No reindex is running");
            return;
        }
        LOG.atInfo().log("admin cancelled the reindex");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("running", false);
        answer.put("cancelled", true);
        Answers.json(response, 200, answer);
    }

    private static Map<String, Object> describe(Reindexer.Running r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("running", true);
        m.put("task", "reindex");
        m.put("lock", Reindexer.LOCK);
        m.put("seconds", r.length().toSeconds());
        m.put("startedAt", r.startedAt().toString());
        return m;
    }
}
