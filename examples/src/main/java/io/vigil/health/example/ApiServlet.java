package io.vigil.health.example;

import io.vigil.health.Secrets;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example's tiny business API, mapped at {@code /api/*}:
 * <ul>
 *   <li>{@code GET /api/notes}: the rows of the {@code notes} table that the start-up migration created (503 while
 *       the database is unreachable);</li>
 *   <li>{@code GET /api/work?ms=N}: a request that takes N milliseconds (0 to 30000), to watch a graceful drain
 *       let in-flight requests finish.</li>
 * </ul>
 */
final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    static final int MAX_WORK_MS = 30_000;

    private final transient DataSource dataSource;

    ApiServlet(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (path) {
            case "/notes" -> notes(response);
            case "/work" -> work(request, response);
            default -> Answers.error(response, 404, "not-found", "No API resource at this path");
        }
    }

    private void notes(HttpServletResponse response) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            try (ResultSet rs = s.executeQuery("SELECT id, text FROM notes ORDER BY id")) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", rs.getLong(1));
                    row.put("text", rs.getString(2));
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            LOG.atWarn().log("GET /api/notes failed: {}", Secrets.describe(e));
            Answers.error(response, 503, "transient", "The database is not available");
            return;
        }
        Answers.json(response, 200, Map.of("notes", rows));
    }

    private static void work(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int ms;
        try {
            String v = request.getParameter("ms");
            ms = v == null ? 1000 : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            ms = -1;
        }
        if (ms < 0 || ms > MAX_WORK_MS) {
            Answers.error(response, 400, "invalid", "'ms' takes a whole number from 0 to " + MAX_WORK_MS);
            return;
        }
        try {
            Hooks.Pause.SLEEP.pause(java.time.Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Answers.error(response, 503, "transient", "Interrupted by shutdown");
            return;
        }
        Answers.json(response, 200, Map.of("workedMs", ms));
    }
}
