package io.github.jsocketpair.bsd;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release number read from {@code os.version}, which is {@code uname -r} on the BSDs ("14.1-RELEASE-p5",
 * "15.0-CURRENT", "10.0", "10.99.12", "7.8", "6.4-RELEASE", "6.5-DEVELOPMENT") and the product version on macOS
 * ("14.5", "10.15.7"). Only the major and minor numbers matter for the features gated here.
 *
 * @param major the number before the first dot, -1 if unreadable
 * @param minor the number after it, 0 if absent
 * @param text what {@code os.version} said
 */
public record OsVersion(int major, int minor, String text) {
    private static final Pattern NUMBERS = Pattern.compile("^\\s*(\\d+)(?:\\.(\\d+))?");

    public OsVersion {
        Objects.requireNonNull(text, "text");
    }

    /** Parses an {@code os.version} string; an unreadable one gives major -1, older than every release. */
    public static OsVersion parse(String osVersion) {
        String t = osVersion == null ? "" : osVersion.trim();
        Matcher m = NUMBERS.matcher(t);
        if (!m.find()) {
            return new OsVersion(-1, 0, t);
        }
        try {
            int major = Integer.parseInt(m.group(1));
            int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            return new OsVersion(major, minor, t);
        } catch (NumberFormatException e) {
            return new OsVersion(-1, 0, t);
        }
    }

    /** Whether this release is {@code major.minor} or later. */
    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    @Override
    public String toString() {
        return text.isEmpty() ? major + "." + minor : text;
    }
}
