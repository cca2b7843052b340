package graphkg.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Starts a real Neo4j (community, embedded) with the Bolt connector on 127.0.0.1 for the tests.
 *
 * <p>Usage: {@code java -Xmx1g -jar neo4j-launcher.jar PORT DATA_DIR}. PORT 0 picks a free port.
 * The password comes from the environment variable {@code NEO4J_LAUNCHER_PASSWORD} (user
 * {@code neo4j}); when it is empty, authentication is disabled. Prints {@code ready PORT} once
 * Bolt accepts connections and shuts the database down cleanly on SIGTERM.
 */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("import")) {
            System.exit(BulkImport.run(Path.of(args[1]).toAbsolutePath(), Path.of(args[2]).toAbsolutePath()));
        }
        if (args.length != 2) {
            System.err.println("usage: neo4j-launcher PORT DATA_DIR | neo4j-launcher import DATA_DIR CSV_DIR");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        String password = System.getenv().getOrDefault("NEO4J_LAUNCHER_PASSWORD", "");
        boolean auth = !password.isEmpty();

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                    // tests try wrong passwords on purpose: never lock the user out
                    .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    .build();
        } catch (RuntimeException | Error e) {
            fail(home, e);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "neo4j-launcher-shutdown"));

        try {
            int bound = await(dbms, auth, password, port);
            System.out.println("ready " + bound);
            System.out.flush();
        } catch (RuntimeException | Error e) {
            fail(home, e);
        }
        stopped.await();
    }

    /** One line on stdout ({@code failed REASON}, what the test fixture reads) and stderr, then exit 1. */
    private static void fail(Path home, Throwable e) {
        String reason = null;
        for (Throwable t = e; t != null && reason == null; t = t.getCause()) {
            String msg = String.valueOf(t.getMessage());
            if (msg.contains("locked by another process") || t.getClass().getSimpleName().equals("FileLockException")) {
                reason = "the data folder " + home + " is in use by another Neo4j process (its store_lock is held)";
            }
        }
        if (reason == null) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            reason = root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        }
        System.err.println("neo4j-launcher: startup failed: " + reason);
        System.out.println("failed " + reason);
        System.out.flush();
        System.exit(1);  // runs the shutdown hook when the database was built
    }

    /** Set the initial password (first start only), check the database answers, return the Bolt port. */
    private static int await(DatabaseManagementService dbms, boolean auth, String password, int port) {
        if (auth) {
            var system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            boolean initial = system.executeTransactionally(
                    "SHOW USERS YIELD user, passwordChangeRequired WHERE user = 'neo4j' "
                            + "RETURN passwordChangeRequired AS required",
                    Map.of(), result -> result.hasNext() && Boolean.TRUE.equals(result.next().get("required")));
            if (initial) {
                system.executeTransactionally("ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                        Map.of("password", password));
            }
        }
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        int bound = port;
        var address = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        if (address != null) {
            bound = address.getPort();
        }
        return bound;
    }
}
