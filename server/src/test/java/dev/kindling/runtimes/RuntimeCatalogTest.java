package dev.kindling.runtimes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which installed interpreter a runtime name runs on when its exact version is missing. */
class RuntimeCatalogTest {
    @Test
    void theExactVersionWins() {
        assertThat(RuntimeCatalog.nearest(12, List.of(9, 11, 12, 13))).contains(12);
    }

    @Test
    void otherwiseTheClosestVersion() {
        assertThat(RuntimeCatalog.nearest(13, List.of(11))).contains(11);
        assertThat(RuntimeCatalog.nearest(9, List.of(11, 13))).contains(11);
        assertThat(RuntimeCatalog.nearest(10, List.of(7, 12))).contains(12);
    }

    @Test
    void aTieGoesToTheNewerVersion() {
        assertThat(RuntimeCatalog.nearest(12, List.of(11, 13))).contains(13);
    }

    @Test
    void nothingInstalledIsNothingChosen() {
        assertThat(RuntimeCatalog.nearest(12, List.of())).isEqualTo(Optional.empty());
    }
}
