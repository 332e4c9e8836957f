package dev.tandem.report;

/**
 * GitHub Actions workflow commands: {@code ::error file=F,line=L,col=C,title=RULE::message} per
 * finding (warnings as {@code ::warning}), then the summary as a plain line. Values are escaped as
 * the workflow-command syntax requires ({@code %}, CR, LF; and {@code :} {@code ,} in properties).
 */
final class GithubReport {
    private GithubReport() {
    }

    static String render(Report r) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : r.findings()) {
            sb.append("::").append(f.isError() ? "error" : "warning").append(' ');
            StringBuilder props = new StringBuilder();
            if (!f.file().isEmpty()) {
                props.append("file=").append(property(f.file()));
                if (f.line() > 0) {
                    props.append(",line=").append(f.line());
                    if (f.column() > 0) {
                        props.append(",col=").append(f.column());
                    }
                }
                props.append(',');
            }
            props.append("title=").append(property(f.rule()));
            sb.append(props).append("::").append(data(f.message() + (f.hint().isEmpty() ? "" : "\n" + f.hint()))).append('\n');
        }
        sb.append(Summary.line(r)).append('\n');
        return sb.toString();
    }

    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
