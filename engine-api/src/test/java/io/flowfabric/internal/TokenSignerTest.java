package io.flowfabric.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.signal.WaitpointToken;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokenSignerTest {
    private static final byte[] SECRET = TokenSigner.parseSecret("00112233445566778899aabbccddeeff");
    private final ExecutionId execution = ExecutionId.solo(LaneId.of("deploys"));
    private final UUID waitpoint = UUID.randomUUID();

    @Test
    void rfc4231TestCase2MatchesTheJdkHmac() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("Jefe".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        byte[] digest = mac.doFinal("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(digest))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void aSignedTokenVerifiesOnlyForItsOwnWaitpoint() {
        WaitpointToken token = TokenSigner.sign("k1", SECRET, execution, waitpoint);
        assertThat(token.kid()).isEqualTo("k1");
        assertThat(token.digestHex()).hasSize(64);
        assertThat(TokenSigner.verify(token, SECRET, execution, waitpoint)).isTrue();
        assertThat(TokenSigner.verify(token, SECRET, execution, UUID.randomUUID())).isFalse();
        assertThat(TokenSigner.verify(token, SECRET, ExecutionId.solo(LaneId.of("deploys")), waitpoint))
                .isFalse();
        byte[] otherSecret = TokenSigner.parseSecret("ffeeddccbbaa99887766554433221100");
        assertThat(TokenSigner.verify(token, otherSecret, execution, waitpoint)).isFalse();
    }

    @Test
    void aTamperedDigestFailsVerification() {
        WaitpointToken token = TokenSigner.sign("k1", SECRET, execution, waitpoint);
        char last = token.digestHex().charAt(63);
        String flipped = token.digestHex().substring(0, 63) + (last == '0' ? '1' : '0');
        WaitpointToken tampered = WaitpointToken.parse("k1:" + flipped);
        assertThat(TokenSigner.verify(tampered, SECRET, execution, waitpoint)).isFalse();
    }

    @Test
    void tokensNeverShowTheirDigestInText() {
        WaitpointToken token = TokenSigner.sign("k1", SECRET, execution, waitpoint);
        assertThat(token.toString()).startsWith("k1:").doesNotContain(token.digestHex())
                .contains(token.fingerprint());
        assertThat(token.fingerprint()).hasSize(16);
        assertThat(WaitpointToken.parse(token.reveal())).isEqualTo(token);
        assertThatThrownBy(() -> WaitpointToken.parse("k1:" + token.digestHex().substring(1)))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.digestHex().substring(1)));
    }

    @Test
    void malformedTokensKidsAndSecretsAreValidationErrors() {
        for (String bad : new String[] {null, "", "nodigest", ":abc", "k1:xyz"}) {
            assertThatThrownBy(() -> WaitpointToken.parse(bad)).as(String.valueOf(bad))
                    .isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> WaitpointToken.of("bad kid", "0".repeat(64))).isInstanceOf(ValidationException.class);
        for (String bad : new String[] {null, "abc", "zz112233445566778899aabbccddeeff", "0011"}) {
            assertThatThrownBy(() -> TokenSigner.parseSecret(bad)).as(String.valueOf(bad))
                    .isInstanceOf(ValidationException.class);
        }
    }
}
