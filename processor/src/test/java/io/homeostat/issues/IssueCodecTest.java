package io.homeostat.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IssueCodecTest {

    @Test
    void partialRoundTrips() {
        IssuePartial partial = IssueTrackerTest.partial(7, "Session store unavailable");
        IssuePartial back = IssueCodec.decodePartial(IssueCodec.encode(partial));
        assertThat(back).usingRecursiveComparison().ignoringFields("users").isEqualTo(partial);
        assertThat(back.affectedUsers()).isEqualTo(7);
    }

    @Test
    void stateAndMarkRoundTrip() {
        IssueState state = IssueTracker.occurred(null, IssueTrackerTest.partial(3, "boom"), 42, true).state();
        IssueState back = IssueCodec.decodeState(IssueCodec.encode(state));
        assertThat(back).usingRecursiveComparison().ignoringFields("issue.users").isEqualTo(state);
        AlertIntents.Mark mark = new AlertIntents.Mark("fp-1", "P0", 99);
        assertThat(IssueCodec.decodeMark(IssueCodec.encode(mark))).isEqualTo(mark);
    }

    @Test
    void userlessPartialsAndNullsRoundTrip() {
        IssuePartial partial = IssuePartial.of(new Occurrence("REQ-1", "svc", java.util.List.of(), java.util.List.of(),
                "error", "", "", null, null, 5, null, false));
        IssuePartial back = IssueCodec.decodePartial(IssueCodec.encode(partial));
        assertThat(back.traceId()).isNull();
        assertThat(back.affectedUsers()).isNull();
        assertThat(back.issueId()).isEqualTo(partial.issueId());
    }

    @Test
    void unknownVersionsAreRejected() {
        byte[] bytes = IssueCodec.encode(IssueTrackerTest.partial(1, "boom"));
        bytes[0] = 99;
        assertThatThrownBy(() -> IssueCodec.decodePartial(bytes)).hasMessageContaining("version 99");
    }

    @Test
    void corruptBytesAreAnIllegalArgumentNotACrashOfAnotherKind() {
        byte[] bytes = IssueCodec.encode(IssueTrackerTest.partial(3, "boom"));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> IssueCodec.decodePartial(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated or corrupt");
        byte[] badLength = bytes.clone();
        badLength[1] = (byte) 0x80; // the first string's length becomes negative and huge
        assertThatThrownBy(() -> IssueCodec.decodePartial(badLength)).isInstanceOf(IllegalArgumentException.class);
    }
}
