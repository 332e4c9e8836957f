package dev.tandem.report;

/** The one-line summary every human-readable format ends or starts with. */
final class Summary {
    private Summary() {
    }

    static String line(Report r) {
        long passed = r.cases().stream().filter(Case::passed).count();
        return "tandem " + r.tool() + ": " + plural(r.errors(), "error") + ", " + plural(r.warnings(), "warning")
                + " in " + plural(r.cases().size(), "case") + " (" + passed + " passed)";
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
