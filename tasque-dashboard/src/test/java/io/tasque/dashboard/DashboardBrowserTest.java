package io.tasque.dashboard;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tasque.Task;
import io.tasque.client.TasqueClient;
import io.tasque.testkit.RedisServer;
import io.tasque.testkit.WithRedis;
import io.tasque.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard in a real browser (Debian's headless Chromium) against a real Redis and a worker running in the
 * test: counts move as jobs flow, a dead job retried from the page runs again, a script in a param stays text, and
 * an action without the token is refused. Skipped, with one line saying why, where no Chromium is installed.
 */
@WithRedis
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TOKEN = "browser-token-0123456789";
    private static final String SCRIPT = "<script>window.pwned=1</script>";
    private static ChromeDriver browser;

    private final RedisServer redis;
    private TasqueClient client;
    private Dashboard dashboard;
    private final List<Worker> workers = new ArrayList<>();

    DashboardBrowserTest(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeAll
    static void startBrowser() {
        var chromium = Chromium.find();
        if (chromium.isEmpty()) {
            System.out.println(Chromium.MISSING);
        }
        Assumptions.assumeTrue(chromium.isPresent(), Chromium.MISSING);
        browser = chromium.get().start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private void open(String hash) {
        if (client == null) {
            client = TasqueClient.connect(redis.uri());
            dashboard = Dashboard.builder().broker(redis.uri()).port(0).token(TOKEN).build().start();
        }
        browser.get(dashboard.url() + "?token=" + TOKEN + hash);
    }

    @AfterEach
    void closeAll() {
        workers.forEach(Worker::close);
        if (browser != null) {
            browser.executeScript("sessionStorage.clear()");
        }
        if (dashboard != null) {
            dashboard.close();
            client.close();
        }
    }

    private Worker worker(Worker.Builder b) {
        Worker w = b.broker(redis.uri()).shutdownHook(false).gracePeriod(Duration.ofSeconds(5)).idleBlock(Duration.ofMillis(200))
                .build();
        workers.add(w);
        return w.start();
    }

    /** The text of the first element matching {@code css}, or null while there is none (the page redraws its tables). */
    private String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getText();
    }

    private void click(String css) {
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            browser.findElement(By.cssSelector(css)).click();
            return true;
        });
    }

    @Test
    void theQueuesPageShowsTheCountsChangeAsAWorkerRunsTheJobs() throws Exception {
        open("#/queues");
        for (int i = 0; i < 6; i++) {
            client.submit(Task.of("flow").set("i", i));
        }
        await().atMost(WAIT).ignoreExceptions().until(() -> "6".equals(text("td[data-queue='flow'][data-field='ready']")));

        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        worker(Worker.builder().concurrency(2).handle("flow", t -> {
            release.await();
            done.incrementAndGet();
        }));
        // the worker leases jobs ahead of its two handler threads: whatever it took shows as running, none done yet
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            int running = Integer.parseInt(text("td[data-queue='flow'][data-field='running']"));
            int ready = Integer.parseInt(text("td[data-queue='flow'][data-field='ready']"));
            return running >= 2 && ready + running == 6;
        });

        assertEquals("0", text("td[data-queue='flow'][data-field='completed']"));
        // the page samples once a second: the sample after the runs end shows them as a rate above zero
        List<String> rates = new java.util.concurrent.CopyOnWriteArrayList<>();
        release.countDown();
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            rates.add(text("td[data-queue='flow'][data-field='rate']"));
            return "6".equals(text("td[data-queue='flow'][data-field='completed']"))
                    && rates.stream().anyMatch(r -> !r.equals("-") && Double.parseDouble(r) > 0);
        });
        assertEquals("0", text("td[data-queue='flow'][data-field='running']"));
        assertEquals("0", text("td[data-queue='flow'][data-field='ready']"));
        assertEquals(6, done.get());
        String line = browser.findElement(By.cssSelector("tr[data-queue='flow'] svg.chart polyline.completed")).getAttribute("points");
        assertTrue(line.split(" ").length >= 2, "the throughput line is drawn: " + line);
    }

    @Test
    void aDeadJobRetriedFromTheDeadLetterPageRunsAgain() {
        AtomicBoolean failing = new AtomicBoolean(true);
        AtomicInteger succeeded = new AtomicInteger();
        worker(Worker.builder().maxAttempts(1).handle("mail", t -> {
            if (failing.get()) {
                throw new IllegalStateException("smtp down");
            }
            succeeded.incrementAndGet();
        }));
        open("#/queues");
        String id = client.submit(Task.of("mail").set("to", "a@example.org"));
        await().atMost(WAIT).until(() -> client.admin().stats("mail").dead() == 1);
        failing.set(false);

        open("#/dead/mail");
        await().atMost(WAIT).ignoreExceptions().until(() -> text("tr[data-id='" + id + "'] td.error").contains("smtp down"));
        click("tr[data-id='" + id + "'] button.retry");

        await().atMost(WAIT).until(() -> succeeded.get() == 1);
        await().atMost(WAIT).ignoreExceptions().until(() -> text("#flash").contains("sent back to its queue"));
        assertEquals(0, client.admin().stats("mail").dead());
    }

    @Test
    void aScriptInAParamIsShownAsTextAndNeverRuns() {
        open("#/queues");
        String id = client.submit(Task.of("xss").set("html", SCRIPT).set("img", "<img src=x onerror=\"window.pwned=2\">")
                .header("h", SCRIPT));

        open("#/job/xss/" + id);
        await().atMost(WAIT).ignoreExceptions().until(() -> text("#params").contains(SCRIPT));
        assertTrue(text("#headers").contains(SCRIPT), "the header is shown as text too");
        open("#/queue/xss/READY");
        await().atMost(WAIT).ignoreExceptions().until(() -> text("tr[data-id='" + id + "'] td.params").contains("window.pwned=1"));

        assertEquals("undefined", browser.executeScript("return typeof window.pwned"));
        assertTrue(browser.findElements(By.cssSelector("main script, main img")).isEmpty(), "no element was made from the data");
    }

    @Test
    void anActionWithoutTheTokenIsRefusedWith403AndWithItWorks() {
        open("#/queues");
        String id = client.submit(Task.of("doomed"));
        String post = "const done = arguments[arguments.length - 1];"
                + "fetch('/api/cancel', {method: 'POST', headers: arguments[0], body: JSON.stringify({queue: 'doomed', id: arguments[1]})})"
                + ".then(r => r.json().then(b => done([r.status, b.error || b.message])));";

        @SuppressWarnings("unchecked")
        List<Object> without = (List<Object>) browser.executeAsyncScript(post, Map.of("Content-Type", "application/json"), id);
        assertEquals(403L, without.get(0));
        assertTrue(String.valueOf(without.get(1)).contains("X-Tasque-Token"), String.valueOf(without.get(1)));
        assertEquals(1, client.admin().stats("doomed").ready(), "nothing was cancelled");

        @SuppressWarnings("unchecked")
        List<Object> with = (List<Object>) browser.executeAsyncScript(post,
                Map.of("Content-Type", "application/json", "X-Tasque-Token", TOKEN), id);
        assertEquals(200L, with.get(0));
        assertEquals(0, client.admin().stats("doomed").ready(), "the job was cancelled");
    }

    @Test
    void withoutATokenThePageAsksForOneAndAWrongOneIsRefused() {
        open("#/queues");
        browser.executeScript("sessionStorage.clear()");
        browser.get(dashboard.url() + "#/queues");
        await().atMost(WAIT).until(() -> browser.findElement(By.id("login")).isDisplayed());

        browser.findElement(By.id("token")).sendKeys("wrong-token-123");
        browser.findElement(By.cssSelector("#login-form button")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> text("#login-error").contains("wrong token"));

        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.cssSelector("#login-form button")).click();
        await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.id("queues")).isDisplayed());
    }

    /**
     * A screenshot of every page (queues, jobs, job, dead letter, workers) as PNG into the folder named by the system
     * property {@code tasque.screenshots} (default {@code target/screenshots}); the README's come from
     * {@code -Dtasque.screenshots=../docs/img}.
     */
    @Test
    void everyPageRendersAndIsPhotographed() throws Exception {
        Path dir = Path.of(System.getProperty("tasque.screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        CountDownLatch release = new CountDownLatch(1);
        try {
            worker(Worker.builder().concurrency(3).maxAttempts(1)
                    .handle("thumbnail", t -> release.await())
                    .handle("email", t -> { })
                    .handle("report", t -> {
                        throw new IllegalStateException("template '" + t.param("template", String.class) + "' not found");
                    }));
            worker(Worker.builder().concurrency(4).handle("resize", t -> { }));
            redis.command("HSET", "tasque:workers", "batch-7:4121:0c1d2e3f", new io.tasque.broker.WorkerBeat("batch-7", 4121, 8, 0,
                    List.of("report"), System.currentTimeMillis() - 75_000, System.currentTimeMillis() - 3_600_000).json());
            open("#/queues");
            String dead = null;
            for (int i = 0; i < 3; i++) {
                dead = client.submit(Task.of("report").set("template", "monthly-" + i).set("month", "2026-1" + i)
                        .header("tenant", "acme"));
            }
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < 4 + round * 3; i++) {
                    client.submit(Task.of("thumbnail").set("image", "img-" + round + "-" + i + ".jpg").set("width", 320));
                }
                client.submit(Task.of("email").set("to", "user" + round + "@example.org"), Duration.ofMinutes(5));
                for (int i = 0; i < 20 + round * 15; i++) {
                    client.submit(Task.of("resize").set("image", "img-" + round + "-" + i + ".jpg"));
                }
                Thread.sleep(1000); // the chart draws one point a second: let it draw some
            }
            String deadId = dead;
            await().atMost(WAIT).until(() -> client.admin().stats("report").dead() == 3);
            shoot(dir, "dashboard-queues.png", "tr[data-queue='resize'] svg.chart");
            open("#/queue/thumbnail/READY");
            shoot(dir, "dashboard-jobs.png", "#jobs tr[data-id]");
            open("#/job/report/" + deadId);
            shoot(dir, "dashboard-job.png", "#last-error");
            open("#/dead/report");
            shoot(dir, "dashboard-dead.png", "#dead tr[data-id]");
            open("#/workers");
            await().atMost(WAIT).ignoreExceptions().until(() -> text("#workers").contains("gone"));
            shoot(dir, "dashboard-workers.png", "#workers tr[data-id]");
        } finally {
            release.countDown();
        }
    }

    /** Waits for {@code css} to show, then writes a PNG of the window. */
    private void shoot(Path dir, String file, String css) throws IOException {
        await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElement(By.cssSelector(css)).isDisplayed());
        byte[] png = browser.getScreenshotAs(OutputType.BYTES);
        assertTrue(png.length > 10_000, file + " is " + png.length + " bytes: nearly blank");
        Files.write(dir.resolve(file), png);
    }
}
