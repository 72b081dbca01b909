package io.homeostat.topology;

import io.homeostat.stored.StoredFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The value of the target-routes store, in the {@link StoredFormat}: 1 the requirement the target was last
 * sent to. Before the stored format the value was the requirement's UTF-8 text, still read (a requirement
 * never starts with the format byte, a control character).
 */
final class TargetRoutes {
    private static final int REQUIREMENT = 1;

    private TargetRoutes() {}

    static byte[] encode(String requirement) {
        return StoredFormat.write(out -> out.string(REQUIREMENT, requirement));
    }

    static String decode(byte[] bytes) {
        if (!StoredFormat.isTagged(bytes)) return new String(bytes, StandardCharsets.UTF_8);
        return StoredFormat.read(bytes, "target route", in -> {
            String requirement = null;
            for (int field; (field = in.next()) != 0; ) {
                if (field == REQUIREMENT) requirement = in.string();
                else in.skip();
            }
            if (requirement == null) throw new IOException("target route without a requirement");
            return requirement;
        });
    }
}
