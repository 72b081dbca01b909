package io.homeostat.model;

import java.util.List;

/** A target that must not be applied; the message names every field that is wrong. */
public class InvalidTargetException extends Exception {
    private final List<String> problems;

    public InvalidTargetException(List<String> problems) {
        super("invalid target: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
