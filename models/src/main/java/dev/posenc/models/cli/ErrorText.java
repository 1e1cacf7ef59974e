package dev.posenc.models.cli;

/**
 * Error messages as the terminal should see them. A message may echo what a file held (a tensor's name, a
 * metadata value, a path): raw escape sequences in it would drive the user's terminal, and a NUL made the
 * launcher's stderr filter treat the whole stream as binary. Control characters are shown as escapes instead.
 */
final class ErrorText {
    private ErrorText() {}

    /** {@code s} with every control character but the tab written as \xNN (\r and \n as \r, \n): one line. */
    static String printable(String s) { return printable(s, false); }

    /**
     * {@link #printable(String)}; with {@code keepNewlines}, line breaks stay (picocli's own multi-line usage
     * errors), every other control character is escaped.
     */
    static String printable(String s, boolean keepNewlines) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 && c != '\t' && !(keepNewlines && c == '\n')) || (c >= 0x7f && c <= 0x9f);
            if (!control) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            b.append(switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> "\\x%02x".formatted((int) c);
            });
        }
        return b == null ? s : b.toString();
    }
}
