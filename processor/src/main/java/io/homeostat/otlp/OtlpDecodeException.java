package io.homeostat.otlp;

/** The bytes are not an OTLP export request in any encoding we accept. */
public class OtlpDecodeException extends Exception {
    public OtlpDecodeException(String message, Throwable cause) {
        super(message, cause);
    }

    public OtlpDecodeException(String message) {
        super(message);
    }
}
