package io.cefiot.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the repository's Markdown pages (README.md, docs/ and each folder's
 * README) leads to a file or folder that exists, and a link to a heading (page.md#heading) to
 * a heading that page has. The repository stands alone: no page points outside it except by URL.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);

    @Test
    void every_relative_link_should_resolve() throws IOException {
        List<Path> pages;
        try (Stream<Path> files = Files.walk(ROOT)) {
            pages = files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> ROOT.relativize(p).toString().split("/").length == 1 || !isBuildOutput(p)).toList();
        }
        assertThat(pages).as("Markdown pages found").contains(ROOT.resolve("README.md"), ROOT.resolve("docs/architecture.md"));
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            String text = withoutCodeBlocks(Files.readString(page));
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // a URL
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : "";
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file in the repository)");
                } else if (!anchor.isEmpty() && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    private static boolean isBuildOutput(Path path) {
        Path relative = ROOT.relativize(path);
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String withoutCodeBlocks(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "");
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as '-'. */
    private static List<String> anchors(Path page) {
        try {
            Matcher heading = HEADING.matcher(withoutCodeBlocks(Files.readString(page)));
            List<String> anchors = new ArrayList<>();
            while (heading.find()) {
                anchors.add(heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
            return anchors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
