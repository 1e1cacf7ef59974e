package dev.posenc.autograd;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** docs/autodiff.md links code by line ({@code [`code`](../path#Lnn)}): each link must still show that code. */
class DocLinksTest {
    /** Tests run in the module's folder; the guide sits in the repository's docs/. */
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern CODE_LINK = Pattern.compile("\\[`([^`]+)`]\\((\\.\\./[^)#]+)#L(\\d+)(?:-L(\\d+))?\\)");
    private static final Pattern ANY_LINK = Pattern.compile("]\\((\\.\\./[^)#]+)(?:#[^)]*)?\\)");

    @Test
    void everyCodeLinkOfTheGuidePointsAtItsCode() throws IOException {
        String guide = Files.readString(DOCS.resolve("autodiff.md"));
        Matcher m = CODE_LINK.matcher(guide);
        StringBuilder wrong = new StringBuilder();
        int links = 0;
        while (m.find()) {
            links++;
            List<String> lines = Files.readAllLines(DOCS.resolve(m.group(2)));
            int from = Integer.parseInt(m.group(3)), to = m.group(4) == null ? from : Integer.parseInt(m.group(4));
            if (to < from || to > lines.size() || !lines.get(from - 1).contains(m.group(1))) {
                int actual = -1;
                for (int i = 0; i < lines.size() && actual < 0; i++) if (lines.get(i).contains(m.group(1))) actual = i + 1;
                wrong.append("%s#L%d should show `%s` (found at line %d)%n".formatted(m.group(2), from, m.group(1), actual));
            }
        }
        assertEquals("", wrong.toString(), "code moved: run python3 docs/relink.py and read its diff");
        assertTrue(links >= 30, "expected the guide's code links, found " + links);
    }

    @Test
    void everyRelativeLinkOfTheGuideExists() throws IOException {
        Matcher m = ANY_LINK.matcher(Files.readString(DOCS.resolve("autodiff.md")));
        while (m.find()) assertTrue(Files.isRegularFile(DOCS.resolve(m.group(1))), m.group(1));
    }
}
