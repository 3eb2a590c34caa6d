package io.github.jsocketpair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link Received} as a record that owns its descriptors until they are taken. */
class ReceivedTest {
    /** A descriptor that counts its closes. */
    static final class Counted implements Descriptor {
        int closes;

        @Override
        public int fd() {
            return closes == 0 ? 3 : -1;
        }

        @Override
        public boolean isOpen() {
            return closes == 0;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    void closeClosesEachDescriptorOnce() throws IOException {
        Counted a = new Counted();
        Counted b = new Counted();
        Received r = new Received(1, false, false, false, List.of(a, b));
        r.close();
        r.close();
        assertEquals(1, a.closes);
        assertEquals(1, b.closes);
        assertEquals(List.of(), r.takeDescriptors(), "nothing left to take after close");
    }

    @Test
    void takenDescriptorsAreNotClosed() throws IOException {
        Counted a = new Counted();
        Received r = new Received(1, false, false, false, List.of(a));
        assertEquals(List.of(a), r.takeDescriptors());
        assertEquals(List.of(), r.takeDescriptors());
        r.close();
        assertEquals(0, a.closes);
        assertEquals(List.of(a), r.descriptors(), "the accessor still lists what came");
    }

    @Test
    void recordSemanticsIgnoreOwnership() throws IOException {
        Counted a = new Counted();
        List<Descriptor> mutable = new ArrayList<>(List.of(a));
        Received r = new Received(1, true, false, true, mutable);
        mutable.clear();
        assertEquals(1, r.descriptors().size(), "a copy");
        assertThrows(UnsupportedOperationException.class, () -> r.descriptors().clear());
        Received same = new Received(1, true, false, true, List.of(a), Optional.empty());
        assertEquals(same, r);
        r.takeDescriptors();
        assertEquals(same, r);
        assertEquals(same.hashCode(), r.hashCode());
        PeerCredentials who = new PeerCredentials(OptionalLong.empty(), 1, 2);
        assertFalse(new Received(0, false, false, false, List.of(), Optional.of(who)).equals(same));
        assertTrue(new Received(0, false, false, false, List.of(), Optional.of(who)).credentials().isPresent());
        assertThrows(NullPointerException.class, () -> new Received(0, false, false, false, List.of(), null));
    }
}
