package dev.tandem.report;

/** A pull-request comment: a heading with the verdict, the summary, then a table of findings. */
final class MarkdownReport {
    private MarkdownReport() {
    }

    static String render(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("### tandem ").append(r.tool()).append(": ").append(r.errors() == 0 ? "passed" : "failed").append("\n\n");
        sb.append(Summary.line(r)).append("\n");
        if (!r.findings().isEmpty()) {
            sb.append("\n| severity | location | rule | message |\n|---|---|---|---|\n");
            for (Finding f : r.findings()) {
                String message = f.message() + (f.hint().isEmpty() ? "" : " — " + f.hint());
                sb.append("| ").append(f.severity().wireName()).append(" | ").append(cell(f.location(), true))
                        .append(" | ").append(cell(f.rule(), true)).append(" | ").append(cell(message, false)).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** A table cell: pipes escaped, line breaks as {@code <br>}, code spans where asked (backticks doubled safely). */
    static String cell(String s, boolean code) {
        if (s.isEmpty()) {
            return "";
        }
        String v = s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
        if (!code) {
            return v.replace("<", "&lt;").replace(">", "&gt;").replace("&lt;br&gt;", "<br>");
        }
        String fence = v.contains("`") ? "`` " : "`";
        String close = v.contains("`") ? " ``" : "`";
        return fence + v + close;
    }
}
