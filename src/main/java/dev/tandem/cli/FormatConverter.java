package dev.tandem.cli;

import dev.tandem.cli.render.Format;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses --format values; an unknown one is a usage error (exit 2). */
final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
        try {
            return Format.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
