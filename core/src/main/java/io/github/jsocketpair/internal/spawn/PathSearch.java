package io.github.jsocketpair.internal.spawn;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Looks a program up on the child's {@code PATH}. {@code posix_spawnp} searches the {@code PATH} of the calling
 * process (glibc and musl read {@code getenv("PATH")} in the parent; so do the BSDs), so a child given another
 * {@code PATH} would run a different program, or none, than its own shell would find. The search follows execvp(3):
 * the first entry with an executable regular file wins; an empty entry is the working directory; with no
 * {@code PATH} at all, {@value #DEFAULT_PATH} is searched.
 */
public final class PathSearch {
    /** What execvp(3) searches when there is no {@code PATH}: BSD and macOS {@code _PATH_DEFPATH}; glibc's is
     * {@code /bin:/usr/bin}, the same directories. */
    public static final String DEFAULT_PATH = "/usr/bin:/bin";

    private PathSearch() {
    }

    /**
     * Finds {@code name} on {@code path}.
     *
     * @param name a program name without {@code /}
     * @param path the child's {@code PATH}, or {@code null} if it has none
     * @param directory the child's working directory, against which relative entries are checked, or {@code null}
     *        for ours
     * @return the first executable file found; if none, the first existing file (so exec reports {@code EACCES});
     *         if none, the name under the first entry (so exec reports {@code ENOENT}). Relative entries stay
     *         relative: the child resolves them after changing directory, as execvp would.
     */
    public static String find(String name, String path, Path directory) {
        String[] entries = (path == null ? DEFAULT_PATH : path).split(":", -1);
        String existing = null;
        String first = null;
        for (String entry : entries) {
            String candidate = (entry.isEmpty() ? "." : entry) + "/" + name;
            if (first == null) {
                first = candidate;
            }
            Path p = Path.of(candidate);
            Path checked = directory == null || p.isAbsolute() ? p : directory.resolve(p);
            if (Files.isRegularFile(checked)) {
                if (Files.isExecutable(checked)) {
                    return candidate;
                }
                if (existing == null) {
                    existing = candidate;
                }
            }
        }
        return existing != null ? existing : first;
    }
}
