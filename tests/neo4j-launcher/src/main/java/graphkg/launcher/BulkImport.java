package graphkg.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.importer.ImportCommand;

import picocli.CommandLine;

/**
 * Offline bulk load of a graphkg {@code neo4j-import} export into a fresh database: Neo4j's own
 * importer ({@code neo4j-admin database import full}), run in-process on the launcher's data folder.
 *
 * <p>Usage: {@code java -jar neo4j-launcher.jar import DATA_DIR CSV_DIR}. Every
 * {@code nodes-*.csv} of CSV_DIR is a node file, every {@code relationships-*.csv} a relationship
 * file (headers inside). The database {@code neo4j} of DATA_DIR is overwritten. Exit status 0 on
 * success; the importer's report goes to stdout.
 */
final class BulkImport {
    private BulkImport() {
    }

    static int run(Path home, Path csv) throws IOException {
        List<String> args = new ArrayList<>();
        try (Stream<Path> files = Files.list(csv)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("nodes-") && name.endsWith(".csv")) {
                    args.add("--nodes=" + f.toAbsolutePath());
                } else if (name.startsWith("relationships-") && name.endsWith(".csv")) {
                    args.add("--relationships=" + f.toAbsolutePath());
                }
            }
        }
        args.add("--overwrite-destination=true");
        args.add("--array-delimiter=|");
        args.add("--multiline-fields=true");
        args.add("--ignore-empty-strings=true");
        args.add("--report-file=" + home.resolve("import.report"));
        args.add("neo4j");
        Files.createDirectories(home.resolve("conf"));
        ExecutionContext ctx = new ExecutionContext(home, home.resolve("conf"));
        return new CommandLine(new ImportCommand.Full(ctx)).execute(args.toArray(new String[0]));
    }
}
