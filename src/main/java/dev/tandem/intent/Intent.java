package dev.tandem.intent;

/**
 * One declarative change in a migration ("rename this column"). Each intent kind is a record that
 * implements this interface; the planner has one recipe per kind. Intents carry the position of
 * their entry in the changelog so later errors (unknown column, conflicts) can point back at it.
 */
public sealed interface Intent permits RenameColumn,
        CreateTable, DropTable, RenameTable, RawSql,
        SetNotNull, DropNotNull, SetDefault, DropDefault, AddCheck, AddForeignKey, AddUnique, DropConstraint, CreateIndex, DropIndex,
        AddColumn, DropColumn, SplitColumn, MergeColumns,
        ChangeColumnType, SetComment, RenameConstraint,
        SetReplicaIdentity, CreateEnum, AddEnumValue, RenameEnumValue, AddExclusion {
    /** The YAML key of this intent kind, e.g. {@code rename_column}. */
    String kind();

    /** Position of the intent's entry in its file. */
    Position position();

    /** The tables the intent names (their schemas are read into the catalog snapshot). */
    java.util.List<TableRef> tables();
}
