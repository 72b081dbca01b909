package io.homeostat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every command reports failure: one line on standard error that names the command and the problem (a file,
 * the broker, a topic, an option), exit code 1 (2 for a bad command line), and no stack trace unless
 * {@code --verbose} (or {@code HOMEOSTAT_VERBOSE=true}) asks for it.
 */
public final class ErrorReporting implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    public static final String VERBOSE = "--verbose";
    private final Map<String, String> environment;

    /** @param environment where {@code HOMEOSTAT_VERBOSE} is looked up */
    public ErrorReporting(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** Installs this reporting on a command line: its parse and execution failures become one line each. */
    public CommandLine install(CommandLine commandLine) {
        return commandLine.setExecutionExceptionHandler(this).setParameterExceptionHandler(this);
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        boolean verbose = verbose(parsed);
        Throwable problem = unwrap(ex);
        String line = commandLine.getCommandSpec().qualifiedName() + ": " + describe(problem);
        if (!verbose && !(problem instanceof CommandFailure) && !expected(problem)) line += " (--verbose shows the stack trace)";
        err.println(oneLine(line));
        if (verbose) ex.printStackTrace(err);
        err.flush();
        return 1;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String name = commandLine.getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line.append(" (did you mean ").append(String.join(" or ", unmatched.getSuggestions().subList(0,
                    Math.min(3, unmatched.getSuggestions().size())))).append("?)");
        }
        line.append("; see '").append(name).append(" --help'");
        err.println(oneLine(line.toString()));
        if (java.util.Arrays.asList(args).contains(VERBOSE)) ex.printStackTrace(err);
        err.flush();
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ");
    }

    private boolean verbose(ParseResult parsed) {
        for (ParseResult result = parsed; result != null; result = result.subcommand()) {
            if (result.hasMatchedOption(VERBOSE)) return true;
        }
        String fromEnvironment = environment.get(EnvironmentDefaults.variableFor(VERBOSE));
        return fromEnvironment != null && fromEnvironment.trim().equalsIgnoreCase("true");
    }

    /** The exception that says what went wrong, out of the wrappers of futures, reflection and Kafka's constructors. */
    static Throwable unwrap(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t
                && (t instanceof ExecutionException || t instanceof CompletionException || t instanceof UncheckedIOException
                || t instanceof InvocationTargetException || t instanceof CommandLine.ExecutionException
                || (t instanceof KafkaException && t.getMessage() != null && t.getMessage().startsWith("Failed to construct")))) {
            t = t.getCause();
        }
        return t;
    }

    /** Failures whose message says everything: no hint about stack traces. */
    private static boolean expected(Throwable t) {
        return t instanceof IOException || t instanceof TimeoutException || t instanceof KafkaException;
    }

    /** The problem in one line. */
    static String describe(Throwable t) {
        if (t instanceof CommandFailure) return t.getMessage();
        if (t instanceof NoSuchFileException e) return "no such file: " + e.getFile();
        if (t instanceof AccessDeniedException e) return "permission denied: " + e.getFile();
        if (t instanceof FileSystemException e) {
            return "cannot use " + e.getFile() + (e.getReason() == null ? "" : ": " + e.getReason());
        }
        if (t instanceof java.net.ConnectException) return "cannot connect" + (message(t) == null ? "" : ": " + message(t));
        if (t instanceof IOException) {
            return "I/O error: " + (message(t) == null ? t.getClass().getSimpleName() : message(t));
        }
        if (t instanceof TimeoutException || t instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "Kafka did not answer in time: " + t.getMessage();
        }
        if (t instanceof ConfigException) return "invalid Kafka configuration: " + t.getMessage();
        if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
            return "Kafka refused access: " + t.getMessage();
        }
        if (t instanceof KafkaException) return "Kafka: " + t.getMessage();
        return "unexpected " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** The first message along the cause chain: the JDK's HTTP client throws a ConnectException with none. */
    private static String message(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null) return c.getMessage();
        }
        return null;
    }
}
