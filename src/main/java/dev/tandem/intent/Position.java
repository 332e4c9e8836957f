package dev.tandem.intent;

/**
 * Where something stands in a changelog file: path, 1-based line and column. {@link #toString()}
 * is {@code file:line:column}, the form every changelog error starts with.
 */
public record Position(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
