import dev.kindling.services.S3Storage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What embedding s3proxy costs Kindling's process: the time S3Storage.start takes in a fresh JVM (class loading
 * included, as at a server's start), and the heap (after a full GC) and resident memory it adds. Run by run.sh with
 * the server's class path.
 */
public class StartCost {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("s3-start-cost");
        long rssBefore = rssKb();
        long heapBefore = heapAfterGc();
        long t0 = System.nanoTime();
        S3Storage s3 = S3Storage.start(dir);
        long startMs = (System.nanoTime() - t0) / 1_000_000;
        long heapAfter = heapAfterGc();
        long rssAfter = rssKb();
        s3.close();
        long t1 = System.nanoTime();
        S3Storage again = S3Storage.start(dir); // classes loaded: the cost of s3proxy itself
        long restartMs = (System.nanoTime() - t1) / 1_000_000;
        again.close();
        System.out.printf("start (fresh JVM, classes loading): %d ms%n", startMs);
        System.out.printf("start (classes loaded):             %d ms%n", restartMs);
        System.out.printf("heap added (after full GC):         %.1f MB%n", (heapAfter - heapBefore) / 1e6);
        System.out.printf("resident memory added:              %.1f MB%n", (rssAfter - rssBefore) / 1e3);
        System.out.printf("threads after start:                %d%n", ManagementFactory.getThreadMXBean().getThreadCount());
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
