package dev.tandem.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SqlTokensTest {
    @Test
    void findsColumnReferencesButNotStringsCommentsFunctionsOrOtherCase() {
        assertTrue(SqlTokens.mentionsColumn("CHECK ((length(full_name) > 0))", "full_name"));
        assertTrue(SqlTokens.mentionsColumn("CHECK (\"full_name\" <> '')", "full_name"));
        assertTrue(SqlTokens.mentionsColumn("CHECK (FULL_NAME <> '')", "full_name"), "unquoted words fold to lower case");
        assertFalse(SqlTokens.mentionsColumn("CHECK (\"FULL_NAME\" <> '')", "full_name"), "quoted names are exact");
        assertFalse(SqlTokens.mentionsColumn("CHECK (x <> 'full_name')", "full_name"));
        assertFalse(SqlTokens.mentionsColumn("CHECK (x <> $q$full_name$q$) -- full_name", "full_name"));
        assertFalse(SqlTokens.mentionsColumn("CHECK (full_name(x) /* full_name */)", "full_name"), "a function name is not a column");
        assertFalse(SqlTokens.mentionsColumn("CHECK (x <> E'it\\'s full_name')", "full_name"));
    }

    @Test
    void replacesOnlyColumnReferences() {
        assertEquals("lower(\"display_name\") || 'full_name'",
                SqlTokens.replaceColumn("lower(full_name) || 'full_name'", "full_name", "display_name"));
        assertEquals("(\"a\"\"b\" > 0)", SqlTokens.replaceColumn("(\"x\" > 0)", "x", "a\"b"));
        assertEquals("FOREIGN KEY (\"owner\") REFERENCES users(owner_id)",
                SqlTokens.replaceColumnsBefore("FOREIGN KEY (owner_id) REFERENCES users(owner_id)", "references", "owner_id", "owner"));
    }

    @Test
    void afterKeywordSkipsQuotedLookalikes() {
        assertEquals("btree (a)", SqlTokens.afterKeyword("CREATE INDEX \"using\" ON \"s\".\"USING\" USING btree (a)", "using"));
    }
}
