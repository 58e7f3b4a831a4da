package dev.kindling.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge of layers under /opt: order, conflicts between files and directories, sharing. No server, no sandbox. */
class MergedLayersTest {
    @TempDir
    Path dataDir;

    private String layer(CodeStore store, Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var file : new TreeMap<>(files).entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        StagedCode staged = store.stage(bytes.toByteArray());
        store.publish(staged);
        return staged.sha256Hex();
    }

    @Test
    void laterLayersWinOnTheSamePathWhateverItIs() throws IOException {
        CodeStore store = new CodeStore(dataDir.resolve("code"));
        String first = layer(store, Map.of("python/shared.py", "first", "python/first.py", "1",
                "bin/tool/readme", "a directory in the first layer", "lib/thing", "a file in the first layer"));
        String second = layer(store, Map.of("python/shared.py", "second", "bin/tool", "a file in the second layer",
                "lib/thing/inside", "a directory in the second layer"));
        MergedLayers layers = new MergedLayers(store, dataDir.resolve("layers"));

        Path merged = layers.merged(List.of(first, second));
        assertThat(merged.resolve("python/shared.py")).hasContent("second");
        assertThat(merged.resolve("python/first.py")).hasContent("1");
        assertThat(merged.resolve("bin/tool")).isRegularFile().hasContent("a file in the second layer");
        assertThat(merged.resolve("lib/thing/inside")).hasContent("a directory in the second layer");
        // Hard links into the store: the same file, not a copy.
        assertThat(Files.isSameFile(merged.resolve("python/first.py"),
                store.taskRoot(first).resolve("python/first.py"))).isTrue();

        Path reversed = layers.merged(List.of(second, first));
        assertThat(reversed).isNotEqualTo(merged);
        assertThat(reversed.resolve("python/shared.py")).hasContent("first");
        assertThat(reversed.resolve("bin/tool/readme")).hasContent("a directory in the first layer");
        assertThat(layers.merged(List.of(first, second))).isEqualTo(merged);
        try (var entries = Files.list(dataDir.resolve("layers"))) {
            assertThat(entries.toList()).as("nothing left half-built").hasSize(2);
        }
    }

    @Test
    void aMergedDirectoryOutlivesItsLayersBlobsAndIsGoneAtTheNextStart() throws IOException {
        CodeStore store = new CodeStore(dataDir.resolve("code"));
        String only = layer(store, Map.of("data.txt", "kept"));
        Path merged = new MergedLayers(store, dataDir.resolve("layers")).merged(List.of(only));
        store.remove(only);
        assertThat(merged.resolve("data.txt")).hasContent("kept");
        new MergedLayers(store, dataDir.resolve("layers"));
        assertThat(merged).doesNotExist();
    }
}
