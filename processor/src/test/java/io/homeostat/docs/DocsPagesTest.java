package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.cli.Homeostat;
import io.homeostat.testing.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README is the front door and docs/ the manual: every relative link of theirs leads to a file (and a
 * heading) that exists, every page of the manual starts with the question it answers and is reachable from
 * the README and the manual's index, and every {@code homeostat} command they show parses as the CLI reads it.
 */
class DocsPagesTest {
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_-]*)\\s*$");

    @Test
    void everyRelativeLinkLeadsToAFileAndHeadingThatExist() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : DocsPages.pagesWithExamples()) {
            for (String target : relativeLinks(page)) {
                checked++;
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? "" : target.substring(hash + 1);
                Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
                String where = DocsPages.name(page) + " -> " + target;
                if (!file.startsWith(RepoFiles.root())) {
                    broken.add(where + ": outside the repository");
                } else if (!Files.exists(file)) {
                    broken.add(where + ": no such file");
                } else if (!anchor.isEmpty()) {
                    if (!file.getFileName().toString().endsWith(".md")) {
                        broken.add(where + ": an anchor into a file that is not markdown");
                    } else if (!headingAnchors(file).contains(anchor)) {
                        broken.add(where + ": no heading with anchor #" + anchor + " (there are " + headingAnchors(file) + ")");
                    }
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
        assertThat(checked).as("relative links checked").isGreaterThan(50);
    }

    @Test
    void everyPageOfTheManualStartsWithTheQuestionItAnswers() throws IOException {
        List<Path> pages = DocsPages.manualPages();
        assertThat(pages).hasSizeGreaterThanOrEqualTo(13);
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            assertThat(lines.get(0)).as("%s starts with its title", DocsPages.name(page)).startsWith("# ");
            int i = 1;
            while (i < lines.size() && lines.get(i).isBlank()) i++;
            StringBuilder question = new StringBuilder();
            while (i < lines.size() && lines.get(i).startsWith(">")) {
                question.append(lines.get(i).substring(1).strip()).append(' ');
                i++;
            }
            assertThat(question.toString().strip())
                    .as("%s: the first line after the title is the question the page answers (\"> ...?\")", DocsPages.name(page))
                    .isNotEmpty().endsWith("?");
        }
    }

    @Test
    void theReadmeAndTheManualsIndexLinkEveryPage() throws IOException {
        Set<String> pages = new TreeSet<>();
        DocsPages.manual().forEach(p -> pages.add(DocsPages.name(p)));
        assertThat(pages).contains("docs/README.md", DocsPages.CONTRACT);

        assertThat(linkedFiles(DocsPages.readme())).as("pages the README links").containsAll(pages);
        Path index = RepoFiles.resolve("docs/README.md");
        Set<String> others = new TreeSet<>(pages);
        others.remove("docs/README.md");
        assertThat(linkedFiles(index)).as("pages docs/README.md links").containsAll(others);
    }

    @Test
    void theReadmeStaysAFrontDoor() throws IOException {
        List<String> lines = Files.readAllLines(DocsPages.readme(), StandardCharsets.UTF_8);
        assertThat(lines.size()).as("README.md lines: the manual goes into docs/, the README links it").isLessThanOrEqualTo(250);
        assertThat(String.join("\n", lines)).contains("```mermaid").contains("scripts/demo").contains("./mvnw verify");
    }

    /**
     * Every {@code scripts/homeostat} (or {@code homeostat.jar}) command in a shell block, and every {@code $ }
     * line of a transcript, parses with the CLI's own parser: subcommands, options and their values exist.
     */
    @Test
    void everyHomeostatCommandInTheDocsParses() throws IOException {
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (Path page : DocsPages.pagesWithExamples()) {
            for (String command : homeostatCommands(page)) {
                List<String> args = shellWords(command);
                try {
                    Homeostat.commandLine(Map.of()).parseArgs(args.toArray(String[]::new));
                    parsed++;
                } catch (CommandLine.ParameterException e) {
                    failures.add(DocsPages.name(page) + ": homeostat " + String.join(" ", args) + ": " + e.getMessage());
                }
            }
        }
        assertThat(failures).as("commands in the docs that the CLI rejects").isEmpty();
        assertThat(parsed).as("homeostat commands checked").isGreaterThanOrEqualTo(12);
    }

    @Test
    void theCommandExtractionSeesWhatAShellWould() {
        assertThat(shellWords("run --bootstrap-servers kafka-1:9092 -X num.standby.replicas=1 > out.log 2>&1 &"))
                .containsExactly("run", "--bootstrap-servers", "kafka-1:9092", "-X", "num.standby.replicas=1");
        assertThat(shellWords("targets apply -f 'my file.yml' --dry-run   # a comment"))
                .containsExactly("targets", "apply", "-f", "my file.yml", "--dry-run");
        assertThat(shellWords("alerts tail -o json | jq .")).containsExactly("alerts", "tail", "-o", "json");
        assertThat(commandsIn("ENV=x VERSION=y scripts/homeostat targets apply \\\n  -f config/observability.yml\nls\n"))
                .containsExactly("targets apply -f config/observability.yml");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The page with its fenced code blocks blanked out (links and headings in code are neither). */
    private static String prose(Path page) throws IOException {
        StringBuilder out = new StringBuilder();
        boolean inCode = false;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (FENCE.matcher(line).matches() || line.strip().startsWith("```")) {
                inCode = !inCode;
                out.append('\n');
                continue;
            }
            out.append(inCode ? "" : line).append('\n');
        }
        return out.toString();
    }

    private static List<String> relativeLinks(Path page) throws IOException {
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(prose(page));
        while (m.find()) {
            String target = m.group(2);
            if (!SCHEME.matcher(target).find()) links.add(target);
        }
        return links;
    }

    private static Set<String> linkedFiles(Path page) throws IOException {
        Set<String> files = new TreeSet<>();
        for (String target : relativeLinks(page)) {
            String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
            if (!path.isEmpty()) files.add(DocsPages.name(page.getParent().resolve(path).normalize()));
        }
        return files;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> headingAnchors(Path page) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(page).split("\n")) {
            Matcher heading = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$").matcher(line);
            if (!heading.matches()) continue;
            String slug = heading.group(1).toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    /** The homeostat commands of a page: shell blocks line by line, transcripts' "$ " lines. */
    private static List<String> homeostatCommands(Path page) throws IOException {
        List<String> commands = new ArrayList<>();
        String language = null;
        StringBuilder block = new StringBuilder();
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            Matcher fence = FENCE.matcher(line);
            if (language == null && fence.matches()) {
                language = fence.group(1);
                block.setLength(0);
            } else if (language != null && line.strip().equals("```")) {
                if (Set.of("bash", "sh", "shell", "console", "").contains(language)) {
                    StringBuilder shell = new StringBuilder();
                    for (String l : block.toString().split("\n")) {
                        if (language.equals("bash") || language.equals("sh") || language.equals("shell")) {
                            shell.append(l).append('\n');
                        } else if (l.startsWith("$ ")) {
                            shell.append(l.substring(2)).append('\n');
                        }
                    }
                    commands.addAll(commandsIn(shell.toString()));
                }
                language = null;
            } else if (language != null) {
                block.append(line).append('\n');
            }
        }
        return commands;
    }

    /** The arguments after scripts/homeostat (or homeostat.jar) in each command line of a shell text. */
    static List<String> commandsIn(String shell) {
        List<String> commands = new ArrayList<>();
        for (String line : shell.replace("\\\n", " ").split("\n")) {
            Matcher m = Pattern.compile("(?:scripts/homeostat|homeostat\\.jar)\\s+(.*)$").matcher(line);
            if (m.find()) commands.add(m.group(1).strip().replaceAll("\\s+", " "));
        }
        return commands;
    }

    /** Words as a shell splits them, up to the first comment, pipe, redirection, background or list operator. */
    static List<String> shellWords(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else word.append(c);
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else if ("#|&;<>)".indexOf(c) >= 0 && (c != '#' || !inWord)) {
                // "2>&1": the 2 is the redirection's, not an argument
                if (c == '>' && inWord && word.toString().matches("\\d")) inWord = false;
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(word.toString());
        return words;
    }
}
