package io.homeostat.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.cli.Homeostat;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.EmbeddedKafka;
import io.homeostat.testing.HeadlessChromium;
import io.homeostat.testing.HttpGet;
import io.homeostat.testing.RepoFiles;
import io.homeostat.testing.RunningProcessor;
import io.homeostat.testing.SdkMetrics;
import io.homeostat.testing.SdkSpans;
import io.homeostat.testing.SeedFiles;
import io.homeostat.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The status page in a real browser (Debian's headless Chromium through chromedriver) against the real
 * {@code homeostat run} on the test broker: it loads without a console error, shows the seed's two targets, turns
 * the latency target to firing on degraded traffic and back to ok on healthy traffic without a reload, renders a
 * sender's {@code <script>} as text, and stays usable with 200 targets (worst first, a filter box).
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class StatusPageBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(150);
    static final String LATENCY = "REQ-NFR-PERF-001/login_latency_ms";
    static final String SUCCESS = "REQ-F-AUTH-001/span.success_rate";
    static final String XSS = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">";

    static EmbeddedKafka kafka;
    @TempDir Path dirs;
    RunningProcessor processor;
    HeadlessChromium browser;
    /** What the page showed last, for a failure's message. */
    static volatile String seen = "";

    @BeforeAll
    static void startBroker() throws Exception {
        HeadlessChromium.start().close(); // skips the class, with the reason, where the browser cannot be had
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) browser.close();
        if (processor != null) processor.close();
    }

    @Test
    void theSeedsLatencyTargetFiresAndResolvesOnThePageWithoutAReload() throws Exception {
        Topics topics = RunningProcessor.topics("page");
        processor = RunningProcessor.start(kafka.bootstrapServers(), "page-test", topics, dirs.resolve("state"),
                RunningProcessor.freePort(), Map.of(), "--partitions", "2");
        awaitReady();
        var cli = Homeostat.commandLine(SeedFiles.ENV);
        assertThat(cli.execute("targets", "apply", "-f", RepoFiles.resolve("config/observability.yml").toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--targets-topic", topics.targets())).isZero();

        browser = HeadlessChromium.start();
        ChromeDriver page = browser.driver();
        page.get(processor.url() + "/");
        await(() -> shown(page).size() == 2, "the seed's two targets on the page");
        assertThat(shownIds(page)).containsExactlyInAnyOrder(LATENCY, SUCCESS);
        assertThat(page.getTitle()).isEqualTo("Homeostat");

        // Event time starts four minutes back and runs four times faster than the clock: each verdict (one a
        // second) judges a window four slices further on, so a minute of window passes in fifteen seconds.
        try (Traffic traffic = new Traffic(topics, Instant.now().minusSeconds(240))) {
            traffic.failWith(XSS);
            for (int i = 0; i < 10; i++) traffic.second(false);
            await(() -> "ok".equals(state(page, LATENCY)), () -> traffic.second(false), "the latency target ok");
            await(() -> "firing".equals(state(page, LATENCY)), () -> traffic.second(true), "the latency target firing");
            Map<String, Object> card = card(page, LATENCY);
            assertThat((String) card.get("badge")).isEqualToIgnoringCase("firing");
            assertThat((String) card.get("alert")).containsIgnoringCase("alert firing since").containsPattern("(?i)(critical|warning)");
            assertThat((Long) card.get("polylines")).as("the sparkline").isPositive();
            assertThat(page.findElement(By.id("summary")).getText()).contains("firing");
            assertThat(page.getTitle()).startsWith("(");

            // The sender's <script> is text on the page, never markup.
            await(() -> browser.script("return document.querySelector('.issue .message') !== null").equals(true),
                    "the production issue");
            assertThat(browser.script("return document.querySelector('.issue .message').textContent")).isEqualTo(XSS);
            assertThat(browser.script("return document.querySelector('.issue .message').children.length"))
                    .as("no element made from the message").isEqualTo(0L);
            assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
            assertThat(browser.script("return document.querySelectorAll('#requirements img, #requirements script').length"))
                    .isEqualTo(0L);
            assertThat((String) browser.script("return document.querySelector('.issue').textContent"))
                    .contains("occurrence", "intent P1");

            await(() -> "ok".equals(state(page, LATENCY)), () -> traffic.second(false), "the latency target resolved");
            assertThat(card(page, LATENCY).get("alert")).isNull();
        }
        assertThat(browser.consoleErrors()).as("the console").isEmpty();
    }

    @Test
    void twoHundredTargetsWorstFirstWithAFilter() throws Exception {
        Topics topics = RunningProcessor.topics("many");
        processor = RunningProcessor.start(kafka.bootstrapServers(), "many-test", topics, dirs.resolve("state"),
                RunningProcessor.freePort(), Map.of(), "--partitions", "2");
        awaitReady();
        int requirements = 100;
        try (KafkaProducer<byte[], byte[]> producer = producer(); SdkSpans sdk = new SdkSpans("many")) {
            for (int i = 0; i < requirements; i++) {
                String req = String.format("REQ-LOAD-%03d", i);
                producer.send(new ProducerRecord<>(topics.targets(), bytes(req + "/span.duration_ms"), bytes("""
                        {"requirement": "%s", "metric": "span.duration_ms", "target": 100000, "operator": "lt",
                         "window": "5s", "description": "Fast enough"}""".formatted(req))));
                producer.send(new ProducerRecord<>(topics.targets(), bytes(req + "/span.success_rate"), bytes("""
                        {"requirement": "%s", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                         "window": "5s"}""".formatted(req))));
            }
            browser = HeadlessChromium.start();
            ChromeDriver page = browser.driver();
            page.get(processor.url() + "/");
            // Every tenth requirement fails half its calls.
            await(() -> {
                Instant now = Instant.now();
                for (int i = 0; i < requirements; i++) {
                    sdk.spans(String.format("REQ-LOAD-%03d", i), 10, now, new double[] {20}, i % 10 == 0 ? 5 : 0);
                }
                producer.send(new ProducerRecord<>(topics.spans(), sdk.batch(OtlpEncoding.PROTOBUF)));
                seen = shown(page).size() + " cards, " + page.findElement(By.id("summary")).getText();
                return shown(page).size() == 2 * requirements && count(page, "firing") == 10 && count(page, "ok") == 190;
            }, "200 cards, 10 firing");
        }
        ChromeDriver page = browser.driver();
        @SuppressWarnings("unchecked")
        List<String> sections = (List<String>) page.executeScript(
                "return [...document.querySelectorAll('section.requirement')].map(s => s.dataset.requirement);");
        assertThat(sections).hasSize(requirements);
        assertThat(sections.subList(0, 10)).as("the failing requirements first")
                .allMatch(r -> Integer.parseInt(r.substring(9)) % 10 == 0);
        assertThat(shown(page).get(0).get(0)).isEqualTo("firing");
        assertThat(page.findElement(By.id("summary")).getText()).contains("10 firing", "190 ok");

        var filter = page.findElement(By.id("filter"));
        filter.sendKeys("REQ-LOAD-042");
        assertThat(shownIds(page)).containsExactlyInAnyOrder("REQ-LOAD-042/span.duration_ms", "REQ-LOAD-042/span.success_rate");
        filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE, "firing");
        assertThat(shown(page)).hasSize(10).allMatch(c -> "firing".equals(c.get(0)));
        filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        assertThat(shown(page)).hasSize(200);
        page.findElement(By.id("problems")).click();
        assertThat(shown(page)).hasSize(10).allMatch(c -> "firing".equals(c.get(0)));
        assertThat(browser.consoleErrors()).as("the console").isEmpty();
    }

    private void awaitReady() throws InterruptedException {
        await(() -> processor.listening() && HttpGet.get(processor.url() + "/health/ready").status() == 200
                && HttpGet.get(processor.url() + "/api/v1/targets").status() == 200, "the processor ready");
    }

    /** A card's badge, alert text (null: none) and sparkline lines, read in one go. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> card(ChromeDriver page, String targetId) {
        return (Map<String, Object>) page.executeScript(
                "const c = [...document.querySelectorAll('article.card')].find(c => c.dataset.targetId === arguments[0]);"
                + "const alert = c.querySelector('.alert');"
                + "return {badge: c.querySelector('.badge').textContent, alert: alert ? alert.textContent : null,"
                + " polylines: c.querySelectorAll('svg.sparkline polyline').length};", targetId);
    }

    /** The cards' states and target ids, read in one go (the page re-renders every two seconds). */
    @SuppressWarnings("unchecked")
    static List<List<String>> shown(ChromeDriver page) {
        return (List<List<String>>) page.executeScript(
                "return [...document.querySelectorAll('article.card')].map(c => [c.dataset.state, c.dataset.targetId]);");
    }

    static long count(ChromeDriver page, String state) {
        return shown(page).stream().filter(c -> state.equals(c.get(0))).count();
    }

    static List<String> shownIds(ChromeDriver page) {
        return shown(page).stream().map(c -> c.get(1)).toList();
    }

    static String state(ChromeDriver page, String targetId) {
        return shown(page).stream().filter(c -> targetId.equals(c.get(1))).map(c -> c.get(0)).findFirst().orElse(null);
    }

    /** The seed's login traffic with synthetic timestamps: latencies as OTLP histogram points, logins as spans. */
    static final class Traffic implements AutoCloseable {
        private final Topics topics;
        private final KafkaProducer<byte[], byte[]> producer = producer();
        private final SdkSpans spans = new SdkSpans("customer-portal");
        private final SdkMetrics metrics;
        private final SplittableRandom random = new SplittableRandom(17);
        private Instant now;

        Traffic(Topics topics, Instant start) {
            this.topics = topics;
            this.now = start;
            this.metrics = new SdkMetrics("customer-portal", start, true);
        }

        /** Failing logins whose exception message is {@code message}. */
        void failWith(String message) {
            for (int i = 0; i < 3; i++) {
                spans.failedSpan("login", Map.of("requirement", "REQ-F-AUTH-001", "enduser.id", "user-" + i),
                        now.plusMillis(100 + i), new IllegalStateException(message));
            }
        }

        /** One second of 40 logins (healthy: median 120 ms; degraded: median 700 ms), sent, then a quarter second's rest. */
        void second(boolean degraded) {
            double median = degraded ? 700 : 120;
            for (int i = 0; i < 40; i++) {
                double ms = median * Math.exp(0.4 * gaussian());
                metrics.latency("REQ-NFR-PERF-001", ms);
                spans.span("REQ-F-AUTH-001:login", Map.of("requirement", "REQ-F-AUTH-001"), now.plusMillis(20L * i + 10),
                        ms, false);
            }
            producer.send(new ProducerRecord<>(topics.metrics(), metrics.collect(now.plusMillis(900), OtlpEncoding.PROTOBUF)));
            producer.send(new ProducerRecord<>(topics.spans(), spans.batch(OtlpEncoding.PROTOBUF)));
            producer.flush();
            now = now.plusSeconds(1);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private double gaussian() {
            double u1 = Math.max(1e-12, random.nextDouble());
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
        }

        @Override
        public void close() {
            producer.close();
            spans.close();
            metrics.close();
        }
    }

    static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        await(condition, () -> sleep(200), what);
    }

    /** Until {@code condition} holds, doing {@code meanwhile} between looks. */
    static void await(Supplier<Boolean> condition, Runnable meanwhile, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (condition.get()) return;
            } catch (RuntimeException e) {
                // the page is re-rendering, or the endpoint not up yet: look again
            }
            assertThat(System.nanoTime()).as("waiting for %s; the page showed %s", what, seen).isLessThan(deadline);
            meanwhile.run();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
