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
        if (args.length != 2) {
            System.err.println("usage: neo4j-launcher PORT DATA_DIR");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path home = Path.of(args[1]).toAbsolutePath();
        String password = System.getenv().getOrDefault("NEO4J_LAUNCHER_PASSWORD", "");
        boolean auth = !password.isEmpty();

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
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
            System.err.println("neo4j-launcher: startup failed: " + e);
            System.out.println("failed " + e.getMessage());
            System.out.flush();
            System.exit(1);  // runs the shutdown hook
        }
        stopped.await();
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
