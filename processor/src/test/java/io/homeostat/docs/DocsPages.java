package io.homeostat.docs;

import io.homeostat.testing.RepoFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The README (the front door) and the manual's pages in docs/, as the documentation tests see them. */
final class DocsPages {
    private DocsPages() {}

    /** The external contract: copied from the design as written, so it is linked but not held to the manual's form. */
    static final String CONTRACT = "docs/contract.md";

    static Path readme() {
        return RepoFiles.resolve("README.md");
    }

    /** Every page of docs/, sorted. */
    static List<Path> manual() {
        try (Stream<Path> files = Files.list(RepoFiles.resolve("docs"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pages written in the manual's form: docs/*.md but the contract. */
    static List<Path> manualPages() {
        return manual().stream().filter(p -> !name(p).equals(CONTRACT)).toList();
    }

    /** The README and the manual's pages: where the examples and commands live. */
    static List<Path> pagesWithExamples() {
        List<Path> pages = new ArrayList<>();
        pages.add(readme());
        pages.addAll(manualPages());
        return pages;
    }

    /** The path from the repository root, with forward slashes ("docs/targets.md"). */
    static String name(Path page) {
        return RepoFiles.root().relativize(page.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
