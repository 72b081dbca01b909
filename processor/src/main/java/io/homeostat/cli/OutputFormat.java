package io.homeostat.cli;

/** How read commands print: a table for people (default) or JSON for scripts ({@code -o json}). */
enum OutputFormat { table, json }
