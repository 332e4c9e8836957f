package dev.tandem.report;

import dev.tandem.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code {"tool":…, "summary":{…}, "findings":[{file,line,column,rule,severity,message,hint}], "cases":[…], …extra}}.
 */
final class JsonReport {
    private JsonReport() {
    }

    static String render(Report r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", r.tool());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("errors", r.errors());
        summary.put("warnings", r.warnings());
        summary.put("cases", r.cases().size());
        summary.put("passed", r.cases().stream().filter(Case::passed).count());
        root.put("summary", summary);
        List<Object> findings = new ArrayList<>();
        for (Finding f : r.findings()) {
            findings.add(finding(f));
        }
        root.put("findings", findings);
        List<Object> cases = new ArrayList<>();
        for (Case c : r.cases()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("suite", c.suite());
            m.put("name", c.name());
            m.put("seconds", c.seconds());
            m.put("passed", c.passed());
            m.put("findings", c.findings().size());
            cases.add(m);
        }
        root.put("cases", cases);
        root.putAll(r.extra());
        return Json.pretty(root);
    }

    static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", f.file());
        m.put("line", f.line());
        m.put("column", f.column());
        m.put("rule", f.rule());
        m.put("severity", f.severity().wireName());
        m.put("message", f.message());
        m.put("hint", f.hint());
        return m;
    }
}
