package dev.tandem.report;

/** {@code file:line:column: error: rule: message}, the hint indented below, then a summary line. */
final class TextReport {
    private TextReport() {
    }

    static String render(Report r) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : r.findings()) {
            String loc = f.location();
            sb.append(loc.isEmpty() ? "" : loc + ": ").append(f.severity().wireName()).append(": ")
                    .append(f.rule()).append(": ").append(oneLine(f.message())).append('\n');
            if (!f.hint().isEmpty()) {
                sb.append("    ").append(oneLine(f.hint())).append('\n');
            }
        }
        sb.append(Summary.line(r)).append('\n');
        return sb.toString();
    }

    private static String oneLine(String s) {
        return s.replace("\r", "").replace("\n", " ");
    }
}
