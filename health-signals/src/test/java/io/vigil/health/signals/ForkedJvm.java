package io.vigil.health.signals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of these tests in a JVM of its own, with this JVM's class path, and returns its output. */
final class ForkedJvm {
    private ForkedJvm() {}

    /** The output lines and exit code of a finished child. */
    record Run(int exitCode, List<String> lines) {}

    /**
     * @param shellPrefix a shell command run before {@code exec java} (a {@code ulimit}), or empty
     * @param jvmOptions  options such as {@code -Xmx64m}
     * @param main        the main class
     */
    static Run run(String shellPrefix, List<String> jvmOptions, Class<?> main)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.add(main.getName());
        ProcessBuilder pb;
        if (shellPrefix.isEmpty()) {
            pb = new ProcessBuilder(command);
        } else {
            StringBuilder line = new StringBuilder(shellPrefix).append(" && exec");
            for (String arg : command) {
                line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
            }
            pb = new ProcessBuilder("/bin/sh", "-c", line.toString());
        }
        Process p = pb.redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes(); // ends when the child exits
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM did not exit");
            }
            return new Run(p.exitValue(), List.of(new String(out, StandardCharsets.UTF_8).split("\n")));
        } finally {
            p.destroyForcibly();
        }
    }
}
