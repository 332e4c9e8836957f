package dev.tandem.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.util.Json;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ReportFormatTest {
    static final Finding ERROR = new Finding("changelogs/0002 a,b.sql", 3, 7, "index-not-concurrent", Severity.ERROR,
            "CREATE INDEX on \"tasks\" blocks writes <all> & more\nsecond line", "use CREATE INDEX CONCURRENTLY | 100%");
    static final Finding WARNING = new Finding("x.sql", 9, 0, "ddl-without-lock-timeout", Severity.WARNING, "no lock_timeout", "");
    static final Report REPORT = new Report("lint", List.of(
            new Case("lint", "changelogs/0002 a,b.sql", 0.25, List.of(ERROR)),
            new Case("lint", "x.sql", 0, List.of(WARNING)),
            new Case("lint", "clean.sql", 0.001, List.of())), Map.of("pg_version", 15));

    @Test
    void exitCodeFollowsErrors() {
        assertEquals(4, REPORT.exitCode());
        assertEquals(0, new Report("lint", List.of(new Case("lint", "x.sql", 0, List.of(WARNING)))).exitCode());
        assertEquals(1, REPORT.errors());
        assertEquals(1, REPORT.warnings());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonParsesAndHasTheFindingsShape() {
        Map<String, Object> root = (Map<String, Object>) Json.parse(ReportFormat.JSON.render(REPORT));
        assertEquals("lint", root.get("tool"));
        List<Object> findings = (List<Object>) root.get("findings");
        assertEquals(2, findings.size());
        Map<String, Object> f = (Map<String, Object>) findings.get(0);
        assertEquals("changelogs/0002 a,b.sql", f.get("file"));
        assertEquals(3L, ((Number) f.get("line")).longValue());
        assertEquals("index-not-concurrent", f.get("rule"));
        assertEquals("error", f.get("severity"));
        assertEquals(ERROR.message(), f.get("message"));
        assertEquals(15L, ((Number) root.get("pg_version")).longValue());
        assertEquals(3, ((List<Object>) root.get("cases")).size());
    }

    @Test
    void junitValidatesAgainstTheCommonSchemaAndCarriesTheFailure() throws Exception {
        String xml = ReportFormat.JUNIT.render(REPORT);
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var schema = sf.newSchema(new StreamSource(getClass().getResourceAsStream("junit.xsd")));
        schema.newValidator().validate(new StreamSource(new StringReader(xml)));

        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        Document doc = dbf.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("3", root.getAttribute("tests"));
        assertEquals("1", root.getAttribute("failures"));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertEquals(ERROR.message(), failure.getAttribute("message"), "attribute escaping keeps the message exact");
        assertEquals("index-not-concurrent", failure.getAttribute("type"));
        assertTrue(doc.getElementsByTagName("system-out").item(0).getTextContent().contains("ddl-without-lock-timeout"));
    }

    @Test
    void junitReplacesCharactersXmlCannotCarry() throws Exception {
        Report r = new Report("lint", List.of(new Case("s", "n", 0, List.of(
                new Finding("f", 1, 1, "r", Severity.ERROR, "bell\u0007 here", "")))));
        String xml = ReportFormat.JUNIT.render(r);
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertTrue(xml.contains("bell\uFFFD here"));
    }

    @Test
    void githubAnnotationsEscapeProperties() {
        String out = ReportFormat.GITHUB.render(REPORT);
        String first = out.lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("::error file=changelogs/0002 a%2Cb.sql,line=3,col=7,title=index-not-concurrent::"), first);
        assertTrue(first.contains("%0Asecond line"), "newlines in the message are escaped: " + first);
        assertTrue(first.contains("100%25"), first);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("::warning file=x.sql,line=9,title=ddl-without-lock-timeout::")), out);
    }

    @Test
    void markdownEscapesTableCells() {
        String md = ReportFormat.MARKDOWN.render(REPORT);
        assertTrue(md.startsWith("### tandem lint: failed"), md);
        String row = md.lines().filter(l -> l.startsWith("| error")).findFirst().orElseThrow();
        assertTrue(row.contains("CONCURRENTLY \\| 100%"), row);
        assertTrue(row.contains("&lt;all&gt;"), row);
        assertEquals(6, row.split("(?<!\\\\)\\|", -1).length, "four cells: " + row);
    }

    @Test
    void textHasLocationSeverityRuleAndSummary() {
        String text = ReportFormat.TEXT.render(REPORT);
        assertTrue(text.startsWith("changelogs/0002 a,b.sql:3:7: error: index-not-concurrent: "), text);
        assertTrue(text.contains("x.sql:9: warning: ddl-without-lock-timeout: no lock_timeout"), text);
        assertTrue(text.strip().endsWith("tandem lint: 1 error, 1 warning in 3 cases (2 passed)"), text);
        assertFalse(text.contains("\nsecond line"), "one line per finding");
    }

    @Test
    void formatNamesParse() {
        assertEquals(ReportFormat.MARKDOWN, ReportFormat.parse("md"));
        assertEquals(ReportFormat.JUNIT, ReportFormat.parse("JUnit"));
        assertThrows(IllegalArgumentException.class, () -> ReportFormat.parse("xml"));
    }
}
