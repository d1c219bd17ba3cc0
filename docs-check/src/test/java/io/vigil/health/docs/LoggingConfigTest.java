package io.vigil.health.docs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's minimal {@code logback.xml} loads in Logback as pasted: Vigil at INFO, frameworks at WARN. */
class LoggingConfigTest {
    @Test
    void theReadmesLogbackConfigurationKeepsVigilAtInfoAndFrameworksQuiet() throws Exception {
        List<Markdown.Block> configs = Markdown.blocks(Markdown.ROOT.resolve("README.md")).stream()
                .filter(b ->
                        b.language().equals("xml") && b.text().get(0).strip().equals("<configuration>"))
                .toList();
        assertThat(configs).as("README's logback.xml block").hasSize(1);
        LoggerContext context = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        joran.doConfigure(new ByteArrayInputStream(
                String.join("\n", configs.get(0).text()).getBytes(StandardCharsets.UTF_8)));
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .as("Logback's complaints")
                .noneMatch(s -> s.getLevel() >= Status.WARN);
        assertThat(context.getLogger("io.vigil.health").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").isDebugEnabled())
                .isFalse();
        context.stop();
    }
}
