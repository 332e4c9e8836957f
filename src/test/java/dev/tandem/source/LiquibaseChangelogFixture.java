package dev.tandem.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Liquibase changelog of 18 changeSets: a root XML that includes a YAML file, an XML file and two
 * formatted-SQL files (one run by Liquibase, one whose ALTER TABLE Tandem translates), with contexts. The first {@link #LIQUIBASE_HALF} (with contexts "test")
 * are applied by Liquibase itself in the tests, the rest by Tandem.
 */
final class LiquibaseChangelogFixture {
    /** ChangeSets Liquibase applies itself (contexts "test"). */
    static final int LIQUIBASE_HALF = 8;
    /** ChangeSets that run with contexts "test" (one is "prod" only). */
    static final int RUN_WITH_TEST_CONTEXT = 17;

    private LiquibaseChangelogFixture() {}

    static Path write(Path dir) throws IOException {
        Files.writeString(dir.resolve("master.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
                  <include file="tables.yaml" relativeToChangelogFile="true"/>
                  <include file="seed.sql" relativeToChangelogFile="true"/>
                  <include file="changes.xml" relativeToChangelogFile="true"/>
                  <include file="more.sql" relativeToChangelogFile="true"/>
                </databaseChangeLog>
                """);
        Files.writeString(dir.resolve("tables.yaml"), """
                databaseChangeLog:
                  - changeSet:
                      id: 1
                      author: alice
                      changes:
                        - createTable:
                            tableName: users
                            columns:
                              - column: {name: id, type: bigint, autoIncrement: true, constraints: {primaryKey: true}}
                              - column: {name: email, type: varchar(255), constraints: {nullable: false}}
                              - column: {name: full_name, type: text}
                  - changeSet:
                      id: 2
                      author: alice
                      changes:
                        - createTable:
                            tableName: projects
                            columns:
                              - column: {name: id, type: bigint, autoIncrement: true, constraints: {primaryKey: true}}
                              - column: {name: name, type: text, constraints: {nullable: false}}
                              - column: {name: owner_id, type: bigint}
                  - changeSet:
                      id: 3
                      author: alice
                      changes:
                        - addColumn:
                            tableName: users
                            columns:
                              - column: {name: status, type: text, defaultValue: active}
                """);
        Files.writeString(dir.resolve("seed.sql"), """
                --liquibase formatted sql

                --changeset bob:seed-users context:test
                INSERT INTO users (email, full_name) SELECT 'u' || g || '@example.com', 'User ' || g FROM generate_series(1, 200) g;
                --rollback DELETE FROM users;

                --changeset bob:seed-projects context:test
                INSERT INTO projects (name, owner_id) SELECT 'Project ' || g, g FROM generate_series(1, 50) g;
                --rollback DELETE FROM projects;
                """);
        Files.writeString(dir.resolve("changes.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.33.xsd">
                  <changeSet id="6" author="carol">
                    <addForeignKeyConstraint baseTableName="projects" baseColumnNames="owner_id" constraintName="projects_owner_fkey"
                        referencedTableName="users" referencedColumnNames="id"/>
                  </changeSet>
                  <changeSet id="7" author="carol">
                    <createIndex tableName="projects" indexName="projects_owner_idx">
                      <column name="owner_id"/>
                    </createIndex>
                  </changeSet>
                  <changeSet id="8" author="carol">
                    <addUniqueConstraint tableName="users" columnNames="email" constraintName="users_email_key"/>
                  </changeSet>
                  <!-- Tandem's half starts here -->
                  <changeSet id="9" author="dave">
                    <renameColumn tableName="users" oldColumnName="full_name" newColumnName="display_name" columnDataType="text"/>
                  </changeSet>
                  <changeSet id="10" author="dave">
                    <addNotNullConstraint tableName="users" columnName="status" defaultNullValue="active" columnDataType="text"/>
                  </changeSet>
                  <changeSet id="11" author="dave">
                    <addColumn tableName="projects">
                      <column name="archived" type="boolean" defaultValueBoolean="false">
                        <constraints nullable="false"/>
                      </column>
                    </addColumn>
                  </changeSet>
                  <changeSet id="12" author="dave">
                    <modifyDataType tableName="projects" columnName="name" newDataType="varchar(300)"/>
                  </changeSet>
                  <changeSet id="13" author="dave">
                    <createIndex tableName="users" indexName="users_display_name_idx">
                      <column name="display_name"/>
                    </createIndex>
                  </changeSet>
                  <changeSet id="14" author="dave" context="prod">
                    <dropColumn tableName="users" columnName="status"/>
                  </changeSet>
                  <changeSet id="15" author="dave">
                    <addDefaultValue tableName="projects" columnName="name" defaultValue="untitled"/>
                  </changeSet>
                  <changeSet id="16" author="dave">
                    <sql>CREATE TABLE audit_log (id bigint PRIMARY KEY, message text NOT NULL)</sql>
                    <rollback>DROP TABLE audit_log</rollback>
                  </changeSet>
                  <changeSet id="17" author="dave" context="test">
                    <renameTable oldTableName="projects" newTableName="workspaces"/>
                  </changeSet>
                </databaseChangeLog>
                """);
        Files.writeString(dir.resolve("more.sql"), """
                --liquibase formatted sql

                --changeset erin:retitle
                -- the new application calls a workspace's name its title
                ALTER TABLE "workspaces" RENAME COLUMN name TO title;
                """);
        return dir.resolve("master.xml");
    }
}
