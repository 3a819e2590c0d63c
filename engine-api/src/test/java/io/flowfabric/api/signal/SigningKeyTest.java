package io.flowfabric.api.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.error.ValidationException;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SigningKeyTest {
    private static final String SECRET_1 = "00112233445566778899aabbccddeeff";
    private static final String SECRET_2 = "ffeeddccbbaa99887766554433221100";

    @Test
    void parsesAKeyListInOrderIgnoringBlanksAndHexCase() {
        List<SigningKey> keys = SigningKey.parseList(" k1 : " + SECRET_1 + " ,k2:" + SECRET_2.toUpperCase(Locale.ROOT));

        assertThat(keys).containsExactly(new SigningKey("k1", SECRET_1), new SigningKey("k2", SECRET_2));
        assertThat(SigningKey.parseList(null)).isEmpty();
        assertThat(SigningKey.parseList(" \t")).isEmpty();
    }

    @Test
    void toStringShowsTheKidOnly() {
        assertThat(SigningKey.of("k1", SECRET_1).toString()).contains("k1").doesNotContain(SECRET_1);
        assertThat(SigningKey.parseList("k1:" + SECRET_1).toString()).doesNotContain(SECRET_1);
    }

    /** Each malformed list with the secret text it carries, which no message may repeat. */
    @Test
    void malformedListsAreValidationErrorsThatNeverRepeatASecret() {
        String tooShort = SECRET_1.substring(2);
        String oddLength = SECRET_1 + "0";
        String notHex = "zz" + SECRET_1.substring(2);
        List<List<String>> cases = List.of(
                List.of(SECRET_1, SECRET_1),
                List.of("k1=" + SECRET_1, SECRET_1),
                List.of("k1:" + SECRET_1 + ",", SECRET_1),
                List.of("k1:" + SECRET_1 + ",,k2:" + SECRET_2, SECRET_2),
                List.of(":" + SECRET_1, SECRET_1),
                List.of("bad kid:" + SECRET_1, SECRET_1),
                List.of("k1:" + tooShort, tooShort),
                List.of("k1:" + oddLength, oddLength),
                List.of("k1:" + notHex, notHex),
                List.of("k1:", SECRET_1),
                List.of("k1:" + SECRET_1 + ",k1:" + SECRET_2, SECRET_2));
        for (List<String> c : cases) {
            String text = c.get(0);
            String secret = c.get(1);
            assertThatThrownBy(() -> SigningKey.parseList(text)).as(text).isInstanceOfSatisfying(
                    ValidationException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ValidationException.Kind.INVALID_INPUT);
                        assertThat(e.getMessage()).doesNotContain(secret).doesNotContain(SECRET_1.substring(4))
                                .doesNotContain(SECRET_2.substring(4)).contains("signing key");
                    });
        }
    }

    @Test
    void aKidMayNotRepeat() {
        assertThatThrownBy(() -> SigningKey.requireDistinct(List.of(SigningKey.of("k1", SECRET_1),
                SigningKey.of("k1", SECRET_1)))).isInstanceOf(ValidationException.class).hasMessageContaining("k1");
        assertThat(SigningKey.requireDistinct(null)).isEmpty();
    }
}
