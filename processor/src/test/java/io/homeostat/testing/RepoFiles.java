package io.homeostat.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's own files (schemas/, topology-docs/, config/) as seen from a test. */
public final class RepoFiles {
    private RepoFiles() {}

    public static Path root() {
        String configured = System.getProperty("homeostat.repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("schemas"))) {
            throw new IllegalStateException("cannot find the repository root (with schemas/) at " + root);
        }
        return root;
    }

    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
