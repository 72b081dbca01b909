package io.homeostat.issues;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageNormalizerTest {

    @Test
    void numbersAndUserIdsAreMasked() {
        assertThat(MessageNormalizer.normalize("Session store unavailable: timeout after 2000ms for user user-17", null))
                .isEqualTo("Session store unavailable: timeout after <n>ms for user user-<n>");
        assertThat(MessageNormalizer.normalize("Session store unavailable: timeout after 1500ms for user user-4242", null))
                .isEqualTo(MessageNormalizer.normalize("Session store unavailable: timeout after 2000ms for user user-17", null));
    }

    @Test
    void theOccurrencesOwnUserIdIsMaskedEvenWithoutDigits() {
        assertThat(MessageNormalizer.normalize("no session for alice", "alice")).isEqualTo("no session for <user>");
        assertThat(MessageNormalizer.normalize("no session for bob", "bob"))
                .isEqualTo(MessageNormalizer.normalize("no session for alice", "alice"));
    }

    @Test
    void quotedValuesUuidsEmailsAndHexIdsAreMasked() {
        assertThat(MessageNormalizer.normalize("unknown plan 'gold-plus' for \"ACME Corp\"", null))
                .isEqualTo("unknown plan <str> for <str>");
        assertThat(MessageNormalizer.normalize("order 3f2b8c1e-9d4a-4b6e-8f00-1a2b3c4d5e6f not found", null))
                .isEqualTo("order <uuid> not found");
        assertThat(MessageNormalizer.normalize("mail to jane.doe+x@example.com bounced", null))
                .isEqualTo("mail to <email> bounced");
        assertThat(MessageNormalizer.normalize("trace 4bf92f3577b34da6a3ce929d0e0e4736 at 0x7ffd5e8c", null))
                .isEqualTo("trace <hex> at <hex>");
    }

    @Test
    void wordsStaySoDifferentErrorsStayApart() {
        assertThat(MessageNormalizer.normalize("Connection refused", null)).isEqualTo("Connection refused");
        assertThat(MessageNormalizer.normalize("Connection refused", null))
                .isNotEqualTo(MessageNormalizer.normalize("Connection reset", null));
        assertThat(MessageNormalizer.normalize("  many   spaces\n and lines ", null)).isEqualTo("many spaces and lines");
        assertThat(MessageNormalizer.normalize(null, null)).isEmpty();
    }

    @Test
    void longMessagesAreCut() {
        assertThat(MessageNormalizer.normalize("x".repeat(5_000), null)).hasSize(MessageNormalizer.MAX_LENGTH);
    }
}
