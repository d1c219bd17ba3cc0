package io.vigil.health.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Fuzzes what a server may send: any bytes are read as replies (each with a code of 200–599, at most
 * {@link SmtpReply#MAX_LINES} lines, each line bounded) until the input ends or a {@link SmtpProtocolException}
 * says what was wrong; never another exception, never an unbounded read. {@code mvn verify} replays the seeds in
 * src/test/resources/.../SmtpReplyFuzzTestInputs; {@code -Pfuzz} fuzzes for real.
 */
class SmtpReplyFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyServerOutputIsRepliesOrAProtocolError(FuzzedDataProvider data) throws IOException {
        byte[] bytes = data.consumeRemainingAsBytes();
        SmtpSession session = new SmtpSession(new ByteArrayInputStream(bytes), new ByteArrayOutputStream());
        int replies = 0;
        try {
            while (true) {
                SmtpReply reply = session.read();
                replies++;
                assertThat(reply.code()).isBetween(200, 599);
                assertThat(reply.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(SmtpReply.MAX_LINES);
                assertThat(reply.lines())
                        .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(SmtpSession.MAX_LINE));
                assertThat(SmtpCheck.printable(reply.text()))
                        .hasSizeLessThanOrEqualTo(201)
                        .doesNotContain("\r", "\n");
            }
        } catch (EOFException end) {
            assertThat(replies).isLessThanOrEqualTo(bytes.length / 4 + 1);
        } catch (SmtpProtocolException refused) {
            assertThat(refused.getMessage()).isNotBlank().doesNotContain("\r", "\n");
        }
    }
}
