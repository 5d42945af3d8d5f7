import ArgumentParser
#if canImport(CJemalloc)
import CJemalloc  // links jemalloc as the allocator (see Sources/CJemalloc/shim.h)
#endif
import EventHTTP
import Logging
import PaystackCore
import PaystackMock
import Platform
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

// Parse by hand so that every usage error exits with status 2 (ArgumentParser's default is 64).
let options: ResolvedOptions
do {
    options = try PaystackMockCommand.parse().resolved()
} catch {
    let code = PaystackMockCommand.exitCode(for: error)
    let message = PaystackMockCommand.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    printError(message + "\n")
    exit(2)
}

let logLevel = options.logLevel
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = logLevel
    return handler
}
var logger = Logger(label: "paystack-mock")
logger.logLevel = logLevel

var seed: SeedData
do {
    switch options.seedData {
    case nil: seed = try BundledSeed.load()
    case "none"?: seed = try SeedData(integrations: [], customers: [])
    case let path?: seed = try SeedLoader.load(path: path)
    }
    try seed.addIntegrations(forSecretKeys: options.secretKeys)
} catch {
    printError("paystack-mock: cannot load seed data: \(error)\n")
    exit(1)
}

// SIGINT and SIGTERM are taken by sigwait below, so they are blocked in every thread.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGINT)
sigaddset(&stopSignals, SIGTERM)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

let application: Application
do {
    application = try Application(seed: seed, sandbox: options.sandbox, webhooks: options.webhooks, stateFile: options.stateFile,
        secretKeys: options.secretKeys)
} catch {
    printError("paystack-mock: cannot start from the state file: \(error)\n")
    exit(1)
}
for warning in application.startupWarnings { logger.warning("\(warning)") }
if options.sandbox.adminEnabled && options.sandbox.adminToken == nil && !options.isLoopbackHost {
    logger.warning("the /_sandbox/ admin routes are open to anyone who can reach \(options.host): set --admin-token or --no-admin")
}
let server = MockServer(
    application: application,
    configuration: HTTPServerConfiguration(
        host: options.host, port: options.port, workers: options.workers, maxBodySize: options.maxBody,
        timeoutSeconds: options.timeout, reusePort: options.reusePort),
    logger: logger)
do {
    try server.start()
} catch {
    printError("paystack-mock: cannot listen on \(options.host):\(options.port): \(error)\n")
    exit(1)
}
let shownHost = options.host.contains(":") ? "[\(options.host)]" : options.host
print("paystack-mock listening on http://\(shownHost):\(server.port)")
fflush(nil)
let source = options.stateFile.map { "state file \($0)" } ?? options.seedData ?? BundledSeed.name
logger.info("serving \(application.store.integrations.count) integrations and \(application.store.customerCount) customers from \(source) on \(options.workers) workers")

var received: Int32 = 0
sigwait(&stopSignals, &received)
logger.info("signal \(received): stopping")
let report = server.stop()
if !report.pendingDeliveries.isEmpty {
    logger.warning("stopped with webhook deliveries still pending (abandoned): \(report.pendingDeliveries.map(String.init).joined(separator: ", "))")
}
if report.undecidedIdentifications > 0 {
    logger.warning("stopped with \(report.undecidedIdentifications) identification outcome(s) not yet decided (abandoned)")
}
exit(0)
