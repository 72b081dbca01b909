package io.homeostat.cli;

import io.homeostat.config.TargetFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files given with {@code -f}: paths, or {@code -} for standard input. */
final class ConfigSources {
    private ConfigSources() {}

    static List<TargetFiles.Source> read(List<String> files, InputStream stdin) throws IOException {
        List<TargetFiles.Source> sources = new ArrayList<>();
        for (String file : files) {
            if (file.equals("-")) {
                sources.add(new TargetFiles.Source("<stdin>", new String(stdin.readAllBytes(), StandardCharsets.UTF_8)));
            } else {
                sources.add(new TargetFiles.Source(file, readFile(file)));
            }
        }
        return sources;
    }

    /** A file's text, or a {@link CommandFailure} that says which file and why it cannot be read. */
    static String readFile(String file) {
        try {
            Path path = Path.of(file);
            if (Files.isDirectory(path)) throw new CommandFailure("cannot read " + file + ": it is a directory");
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CommandFailure("cannot read " + file + ": no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CommandFailure("cannot read " + file + ": permission denied", e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new CommandFailure("cannot read " + file + ": not UTF-8 text", e);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new CommandFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static String names(List<String> files) {
        return String.join(", ", files.stream().map(f -> f.equals("-") ? "<stdin>" : f).toList());
    }

    /** Each warning of a read that succeeded, one line each, on standard error. */
    static void printWarnings(PrintWriter err, TargetFiles.Loaded loaded) {
        loaded.warnings().forEach(warning -> err.println("warning: " + warning));
        err.flush();
    }

    /** Every problem, one per line, under a headline that says what did not happen. */
    static void printProblems(PrintWriter err, String headline, io.homeostat.config.ConfigException e) {
        err.println(headline + ": " + e.problems().size() + " problem(s):");
        e.problems().forEach(problem -> err.println("  " + problem));
        err.flush();
    }
}
