package dev.tandem.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JUnit XML in the common (Ant/Surefire) shape CI servers read: {@code <testsuites>} with one
 * {@code <testsuite>} per {@link Case#suite()}, one {@code <testcase>} per case, a {@code <failure>}
 * per error finding and warnings in {@code <system-out>}. Characters XML 1.0 cannot carry are
 * replaced by U+FFFD.
 */
final class JunitReport {
    private JunitReport() {
    }

    static String render(Report r) {
        Map<String, List<Case>> suites = r.cases().stream()
                .collect(Collectors.groupingBy(Case::suite, LinkedHashMap::new, Collectors.toList()));
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long failures = r.cases().stream().filter(c -> !c.passed()).count();
        sb.append("<testsuites name=\"").append(attr("tandem " + r.tool())).append("\" tests=\"").append(r.cases().size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" time=\"")
                .append(seconds(r.cases().stream().mapToDouble(Case::seconds).sum())).append("\">\n");
        for (Map.Entry<String, List<Case>> suite : suites.entrySet()) {
            List<Case> cases = suite.getValue();
            sb.append("  <testsuite name=\"").append(attr(suite.getKey())).append("\" tests=\"").append(cases.size())
                    .append("\" failures=\"").append(cases.stream().filter(c -> !c.passed()).count())
                    .append("\" errors=\"0\" skipped=\"0\" time=\"")
                    .append(seconds(cases.stream().mapToDouble(Case::seconds).sum())).append("\">\n");
            for (Case c : cases) {
                sb.append("    <testcase classname=\"").append(attr(c.suite())).append("\" name=\"").append(attr(c.name()))
                        .append("\" time=\"").append(seconds(c.seconds())).append('"');
                if (c.findings().isEmpty()) {
                    sb.append("/>\n");
                    continue;
                }
                sb.append(">\n");
                for (Finding f : c.findings()) {
                    if (f.isError()) {
                        sb.append("      <failure type=\"").append(attr(f.rule())).append("\" message=\"").append(attr(f.message()))
                                .append("\">").append(text(detail(f))).append("</failure>\n");
                    }
                }
                String warnings = c.findings().stream().filter(f -> !f.isError()).map(JunitReport::detail)
                        .collect(Collectors.joining("\n"));
                if (!warnings.isEmpty()) {
                    sb.append("      <system-out>").append(text(warnings)).append("</system-out>\n");
                }
                sb.append("    </testcase>\n");
            }
            sb.append("  </testsuite>\n");
        }
        sb.append("</testsuites>\n");
        return sb.toString();
    }

    private static String detail(Finding f) {
        String loc = f.location();
        return (loc.isEmpty() ? "" : loc + ": ") + f.severity().wireName() + ": " + f.rule() + ": " + f.message()
                + (f.hint().isEmpty() ? "" : "\n" + f.hint());
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;");
    }

    static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> sb.appendCodePoint(xmlAllowed(cp) ? cp : 0xFFFD);
            }
        });
        return sb.toString();
    }

    private static boolean xmlAllowed(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    }
}
