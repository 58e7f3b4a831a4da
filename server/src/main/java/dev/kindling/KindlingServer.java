package dev.kindling;

import dev.kindling.api.ApiServer;
import dev.kindling.api.CodeDownloads;
import dev.kindling.api.FunctionsApi;
import dev.kindling.api.InvokeApi;
import dev.kindling.invoke.Invoker;
import dev.kindling.code.CodeStore;
import dev.kindling.control.FunctionService;
import dev.kindling.store.Database;
import dev.kindling.store.SqlFunctionRepository;
import java.nio.file.Files;
import java.util.List;

/** A running Kindling: builds every component from a {@link ServerConfig}, starts them, and stops them in order. */
public final class KindlingServer implements AutoCloseable {
    private final ServerConfig config;
    private final Database database;
    private final ApiServer api;
    private final Invoker invoker;

    private KindlingServer(ServerConfig config, Database database, ApiServer api, Invoker invoker) {
        this.config = config;
        this.database = database;
        this.api = api;
        this.invoker = invoker;
    }

    public static KindlingServer start(ServerConfig config) throws Exception {
        if (!config.isLoopback() && config.credentials().containsKey(ServerConfig.DEFAULT_ACCESS_KEY)) {
            throw new IllegalArgumentException("Refusing to listen on " + config.bind() + " with the default access"
                    + " key 'test': anyone who can reach the port could use it. Configure your own key with"
                    + " KINDLING_ACCESS_KEY_ID and KINDLING_SECRET_ACCESS_KEY (or --access-key/--secret-key).");
        }
        Files.createDirectories(config.dataDir());
        Database database = Database.openSqlite(config.dataDir().resolve("kindling.db"));
        try {
            CodeStore code = new CodeStore(config.dataDir().resolve("code"));
            FunctionService functions = new FunctionService(new SqlFunctionRepository(database), code,
                    config.region(), config.accountId());
            CodeDownloads downloads = new CodeDownloads(code);
            Invoker invoker = new Invoker(config, functions, code);
            ApiServer api = new ApiServer(config.bind(), config.port(), config.credentials(), List.of(
                    new FunctionsApi(functions, downloads, config.concurrencyLimit()), downloads,
                    new InvokeApi(functions, invoker)));
            api.start();
            return new KindlingServer(config, database, api, invoker);
        } catch (Exception | Error e) {
            database.close();
            throw e;
        }
    }

    public int port() {
        return api.port();
    }

    public String endpoint() {
        String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() throws Exception {
        try {
            api.close();
            invoker.close();
        } finally {
            database.close();
        }
    }

}
