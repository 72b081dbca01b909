package io.homeostat.issues;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The top frame of a stack trace, where the error was raised, without line numbers: a deploy that moves
 * the code by a line must not open a new issue. Understands the JVM, .NET and JavaScript form
 * ({@code at pkg.Class.method(File.java:42)}, first frame) and Python's ({@code File "x.py", line 9, in f},
 * last frame: "most recent call last"). Anything else has no top frame ({@code ""}).
 */
// Implements: REQ-RUNTIME-003 (production issues grouped by top stack frame)
public final class StackFrames {
    private static final Pattern AT_FRAME = Pattern.compile("^\\s*at\\s+(.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern PYTHON_FRAME =
            Pattern.compile("^\\s*File \"([^\"]+)\", line \\d+, in (\\S+)\\s*$", Pattern.MULTILINE);
    /** {@code :42}, {@code :42:7}, {@code :line 42} (.NET), {@code +0x1f} offsets. */
    private static final Pattern LINE_NUMBERS = Pattern.compile(":line \\d+|:\\d+(?::\\d+)?|\\s\\+0x[0-9a-fA-F]+");
    static final int MAX_LENGTH = 300;

    private StackFrames() {}

    public static String top(String stackTrace) {
        if (stackTrace == null || stackTrace.isBlank()) return "";
        Matcher at = AT_FRAME.matcher(stackTrace);
        if (at.find()) return clean(at.group(1));
        Matcher python = PYTHON_FRAME.matcher(stackTrace);
        String last = null;
        while (python.find()) last = python.group(1) + " in " + python.group(2);
        return last == null ? "" : clean(last);
    }

    private static String clean(String frame) {
        String text = LINE_NUMBERS.matcher(frame).replaceAll("").trim();
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
    }
}
