package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The RESP probe against a fake server that sends what a real Redis never would. */
class RespProbeAgainstMisbehavingServersTest {

    private static CheckResult probe(FakeRedis fake) {
        return RedisProbeCheck.of(fake.uri()).check();
    }

    @Test
    void answersUpFromAWellBehavedFakeSoTheOtherFailuresAreTheFakesDoing() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            while (true) {
                c.answerLikeRedis(c.command());
            }
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.UP);
            assertThat(r.data()).containsEntry("version", "7.2.4").containsEntry("role", "master");
            assertThat(fake.commands).extracting(cmd -> cmd.get(0)).containsExactly("PING", "INFO", "INFO");
        }
    }

    @Test
    void garbageInsteadOfRespIsDownNamingTheFirstByte() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            c.command();
            c.send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .startsWith("malformed reply to PING from 127.0.0.1:" + fake.port())
                    .contains("'H' (0x48)");
        }
    }

    @Test
    void binaryGarbageIsDownWithoutEchoingTheBytes() throws Exception {
        byte[] junk = new byte[512];
        Arrays.fill(junk, (byte) 0x00);
        try (FakeRedis fake = new FakeRedis(c -> {
            c.command();
            c.send(junk);
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).contains("byte 0x00").doesNotContain("\u0000");
        }
    }

    @Test
    void aReplyCutOffMidwayIsDownSayingTheConnectionClosed() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            c.command();
            c.send("+PO");
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .isEqualTo("127.0.0.1:" + fake.port() + " closed the connection in the middle of a reply (PING)");
        }
    }

    @Test
    void aBulkReplyShorterThanAnnouncedIsDown() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            c.answerLikeRedis(c.command());
            c.command();
            c.send("$100\r\nredis_version:7.2.4\r\n");
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).contains("closed the connection in the middle of a reply (INFO)");
        }
    }

    @Test
    void aServerThatClosesWithoutAnsweringIsDown() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> c.command())) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).contains("closed the connection without answering (PING)");
        }
    }

    @Test
    void anEndlessBulkStringIsDownAsOversizedWithoutBeingRead() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        try (FakeRedis fake = new FakeRedis(c -> {
            c.answerLikeRedis(c.command());
            c.command();
            c.send("$4000000000\r\n");
            while (true) {
                c.send(chunk);
            }
        })) {
            // a long timeout: had the probe kept reading, it would end in a timeout, not in "oversized"
            CheckResult r = RedisProbeCheck.builder(fake.uri())
                    .timeout(Duration.ofSeconds(10))
                    .build()
                    .check();
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .startsWith("oversized reply to INFO")
                    .contains("announced a 4000000000-byte reply, more than the limit of 65536 bytes");
            assertThat(r.error()).isNotNull();
        }
    }

    @Test
    void anEndlessStatusLineIsCutAtTheLineLimitAndTheServerIsHungUpOn() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'A');
        try (FakeRedis fake = new FakeRedis(c -> {
            c.command();
            c.send("+");
            while (true) {
                c.send(chunk);
            }
        })) {
            CheckResult r = RedisProbeCheck.builder(fake.uri())
                    .timeout(Duration.ofSeconds(10))
                    .build()
                    .check();
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).startsWith("oversized reply to PING").contains("longer than 4096 bytes");
            // the probe hung up: the endless writer fails, having got no further than socket buffers hold
            await().atMost(Duration.ofSeconds(5)).until(() -> fake.finishedConnections() == 1);
            assertThat(fake.bytesWritten()).isLessThan(64L << 20);
        }
    }

    @Test
    void aMaxReplyBytesBelowTheInfoSizeMakesInfoOversized() throws Exception {
        String big = "# Server\r\nredis_version:7.2.4\r\n" + "x:" + "y".repeat(3000) + "\r\n";
        try (FakeRedis fake = new FakeRedis(c -> {
            c.answerLikeRedis(c.command());
            c.command();
            c.send("$" + big.length() + "\r\n" + big + "\r\n");
        })) {
            CheckResult r = RedisProbeCheck.builder(fake.uri())
                    .maxReplyBytes(1024)
                    .build()
                    .check();
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).contains("more than the limit of 1024 bytes");
        }
    }

    @Test
    void aSilentServerIsDownWhenTheTimeoutPassesNotLater() throws Exception {
        try (FakeRedis fake = new FakeRedis(FakeRedis.Client::drain)) {
            RedisProbeCheck check = RedisProbeCheck.builder(fake.uri())
                    .timeout(Duration.ofMillis(300))
                    .build();
            CompletableFuture<CheckResult> result = Background.supply(check::check);
            await().atMost(Duration.ofSeconds(5)).until(result::isDone);
            assertThat(result.get().status()).isEqualTo(Status.DOWN);
            assertThat(result.get().message())
                    .isEqualTo("no answer to PING from 127.0.0.1:" + fake.port() + " within 300 ms");
        }
    }

    @Test
    void aServerTricklingOneByteAtATimeCannotStretchTheDeadline() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            c.command();
            for (byte b : "+PONG-and-more-and-more-and-more".getBytes(StandardCharsets.US_ASCII)) {
                c.send(new byte[] {b});
                Thread.sleep(100); // the fake's pacing, not an assertion
            }
        })) {
            RedisProbeCheck check = RedisProbeCheck.builder(fake.uri())
                    .timeout(Duration.ofMillis(500))
                    .build();
            CompletableFuture<CheckResult> result = Background.supply(check::check);
            await().atMost(Duration.ofSeconds(2)).until(result::isDone);
            assertThat(result.get().status()).isEqualTo(Status.DOWN);
            assertThat(result.get().message()).contains("no answer to PING").contains("within 500 ms");
        }
    }

    @Test
    void aLoadingReplyIsDownSayingRedisIsLoadingItsDataset() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            c.command();
            c.send("-LOADING Redis is loading the dataset in memory\r\n");
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .isEqualTo("Redis is loading its dataset into memory and cannot serve yet:"
                            + " LOADING Redis is loading the dataset in memory");
        }
    }

    @Test
    void aMasterDownReplyIsDownNamingTheMasterLink() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            c.command();
            c.send("-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.\r\n");
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .startsWith("Redis replica cannot serve: its link with the master is down:" + " MASTERDOWN");
        }
    }

    @Test
    void aServerEchoingThePasswordNeverGetsItIntoTheMessage() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            List<String> auth = c.command();
            c.send("-ERR I know your password, it is " + auth.get(1) + "\r\n");
        })) {
            CheckResult r = RedisProbeCheck.builder(fake.uri())
                    .password("Tr0ub4dor&3")
                    .build()
                    .check();
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).contains("it is ***").doesNotContain("Tr0ub4dor");
            assertThat(fake.commands.get(0)).containsExactly("AUTH", "Tr0ub4dor&3");
        }
    }

    @Test
    void replyTypesTheProbeNeverAsksForAreMalformed() throws Exception {
        for (String reply : List.of(
                "*1\r\n$4\r\nPONG\r\n",
                "%1\r\n+a\r\n+b\r\n",
                ":1\r\n",
                "$-1\r\n",
                "+PONG\n",
                "+PONG\rX",
                "$-5\r\n",
                "$abc\r\n",
                ":99999999999999999999999\r\n")) {
            try (FakeRedis fake = new FakeRedis(c -> {
                c.command();
                c.send(reply);
            })) {
                CheckResult r = probe(fake);
                assertThat(r.status()).as(reply).isEqualTo(Status.DOWN);
                assertThat(r.message()).as(reply).startsWith("malformed reply to PING from 127.0.0.1:" + fake.port());
            }
        }
    }

    @Test
    void aNilInfoReplyIsMalformed() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            c.answerLikeRedis(c.command());
            c.command();
            c.send("$-1\r\n");
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).contains("a nil reply where INFO server expects another");
        }
    }

    @Test
    void aUserWithoutPermissionForInfoIsStillUpFromPing() throws Exception {
        try (FakeRedis fake = new FakeRedis(c -> {
            while (true) {
                List<String> cmd = c.command();
                if ("INFO".equals(cmd.get(0))) {
                    c.send("-NOPERM this user has no permissions to run the 'info' command\r\n");
                } else {
                    c.answerLikeRedis(cmd);
                }
            }
        })) {
            CheckResult r = probe(fake);
            assertThat(r.status()).isEqualTo(Status.UP);
            assertThat(r.data()).containsKey("roundTripMs").doesNotContainKeys("version", "role");
        }
    }
}
