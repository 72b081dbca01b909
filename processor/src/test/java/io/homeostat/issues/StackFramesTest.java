package io.homeostat.issues;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StackFramesTest {

    @Test
    void javaTopFrameWithoutLineNumber() {
        String trace = """
                java.lang.IllegalStateException: Session store unavailable
                \tat io.homeostat.demo.LoginTraffic.login(LoginTraffic.java:71)
                \tat io.homeostat.cli.DemoCommand.phase(DemoCommand.java:200)
                """;
        assertThat(StackFrames.top(trace)).isEqualTo("io.homeostat.demo.LoginTraffic.login(LoginTraffic.java)");
        assertThat(StackFrames.top(trace.replace(":71", ":75")))
                .as("a deploy that moves the code by a few lines is the same bug").isEqualTo(StackFrames.top(trace));
    }

    @Test
    void aRealJavaStackTrace() {
        StringWriter text = new StringWriter();
        new IllegalArgumentException("boom").printStackTrace(new PrintWriter(text));
        assertThat(StackFrames.top(text.toString()))
                .isEqualTo("io.homeostat.issues.StackFramesTest.aRealJavaStackTrace(StackFramesTest.java)");
    }

    @Test
    void pythonTopFrameIsTheLastOne() {
        String trace = """
                Traceback (most recent call last):
                  File "/app/auth/service.py", line 88, in login
                    session = self.store.open(user)
                  File "/app/auth/store.py", line 21, in open
                    raise TimeoutError("Session store unavailable")
                TimeoutError: Session store unavailable
                """;
        assertThat(StackFrames.top(trace)).isEqualTo("/app/auth/store.py in open");
    }

    @Test
    void javascriptAndDotnetFrames() {
        assertThat(StackFrames.top("TypeError: x is undefined\n    at login (/app/auth.js:10:5)\n    at main (/app/index.js:3:1)"))
                .isEqualTo("login (/app/auth.js)");
        assertThat(StackFrames.top("System.TimeoutException: timeout\n   at Auth.Store.Open(String user) in C:\\src\\Store.cs:line 42"))
                .isEqualTo("Auth.Store.Open(String user) in C:\\src\\Store.cs");
    }

    @Test
    void noStackTraceNoTopFrame() {
        assertThat(StackFrames.top(null)).isEmpty();
        assertThat(StackFrames.top("")).isEmpty();
        assertThat(StackFrames.top("just a message")).isEmpty();
    }
}
