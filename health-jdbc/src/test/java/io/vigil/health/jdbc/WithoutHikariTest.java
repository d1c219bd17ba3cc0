package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** HikariCP is optional: the checks must load and work on a class path without it. */
class WithoutHikariTest {

    @Test
    void theChecksWorkWhenHikariIsNotOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("HikariCP")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader isolated =
                new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThat(tryLoad(isolated, "com.zaxxer.hikari.HikariDataSource")).isFalse();
            Class<?> h2 = isolated.loadClass("org.h2.jdbcx.JdbcDataSource");
            Object ds = h2.getConstructor().newInstance();
            h2.getMethod("setURL", String.class).invoke(ds, "jdbc:h2:mem:without-hikari");
            Class<?> checkType = isolated.loadClass(DataSourceCheck.class.getName());
            Object check = checkType.getMethod("of", DataSource.class).invoke(null, ds);

            Object result = checkType.getMethod("check").invoke(check);

            assertThat(result.toString())
                    .contains("status=UP")
                    .contains("database=H2")
                    .doesNotContain("pool.");
        }
    }

    private static boolean tryLoad(ClassLoader loader, String name) {
        try {
            loader.loadClass(name);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
