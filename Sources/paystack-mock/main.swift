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

// `paystack-mock mcp [flags]`: the same server, and MCP over stdin/stdout.
var arguments = Array(CommandLine.arguments.dropFirst())
let servesMCPOnStdio = arguments.first == "mcp"
if servesMCPOnStdio { arguments.removeFirst() }

// Parse by hand so that every usage error exits with status 2 (ArgumentParser's default is 64).
let options: ResolvedOptions
do {
    options = try PaystackMockCommand.parse(arguments).resolved()
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
// Log lines (an access line per request at info) are written to stderr in batches, off the
// request path; flushed before the ready line and at exit.
let logOutput: BatchedOutput
do {
    logOutput = try BatchedOutput(descriptor: STDERR_FILENO)
} catch {
    printError("paystack-mock: cannot start the log writer: \(error)\n")
    exit(1)
}
atexit { logOutput.flush() }

/// Stops start-up: what was logged so far first, then the reason, on stderr; exit status 1.
func fail(_ message: String) -> Never {
    logOutput.flush()
    printError(message + "\n")
    exit(1)
}
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler(label: label, stream: logOutput, metadataProvider: LoggingSystem.metadataProvider)
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
    if let problem = undeliverableWebhookURL(in: seed.integrations) { throw SeedError(problem) }
} catch {
    fail("paystack-mock: cannot load seed data: \(error)")
}

// SIGINT and SIGTERM are taken by sigwait below, so they are blocked in every thread.
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGINT)
sigaddset(&stopSignals, SIGTERM)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

// HTTPS: the user's certificate, or a CA and a certificate made (once) in --tls-dir.
var tlsContext: TLSServerContext?
var sandboxOptions = options.sandbox
if let tls = options.tls {
    do {
        if let own = tls.certificate {
            tlsContext = try TLSServerContext(chainPath: own.chain, keyPath: own.key)
        } else {
            let authority = CertificateAuthority(directory: tls.directory)
            let outcome = try authority.prepare(names: tls.names)
            tlsContext = try TLSServerContext(chainPath: authority.chainPath, keyPath: authority.keyPath)
            sandboxOptions.tlsCAPath = authority.caPath
            logger.info("HTTPS certificate authority: \(authority.caPath)\(outcome.madeCA ? " (new: trust it once)" : ""); also at GET /_sandbox/tls/ca.pem")
        }
    } catch {
        fail("paystack-mock: cannot set up HTTPS: \(error)")
    }
}
if options.webhooks.insecure {
    logger.warning("--webhook-insecure: https:// webhook receivers are not verified")
}

let application: Application
do {
    application = try Application(seed: seed, sandbox: sandboxOptions, webhooks: options.webhooks, stateFile: options.stateFile,
        secretKeys: options.secretKeys)
} catch {
    fail("paystack-mock: cannot start: \(error)")
}
for warning in application.startupWarnings { logger.warning("\(warning)") }
if options.sandbox.adminEnabled && options.sandbox.adminToken == nil && !options.isLoopbackHost {
    logger.warning("the /_sandbox/ admin routes are open to anyone who can reach \(options.host): set --admin-token or --no-admin")
}
let server = MockServer(
    application: application,
    configuration: HTTPServerConfiguration(
        host: options.host, port: options.port, workers: options.workers, maxBodySize: options.maxBody,
        timeoutSeconds: options.timeout, reusePort: options.reusePort,
        tls: tlsContext.map { HTTPServerConfiguration.TLSListener(port: options.tls!.port, context: $0) },
        accessLog: logLevel <= .info ? AccessLog(output: logOutput, label: "paystack-mock") : nil),
    logger: logger)
do {
    try server.start()
} catch {
    fail("paystack-mock: cannot listen on \(options.host):\(options.port): \(error)")
}
let shownHost = options.host.contains(":") ? "[\(options.host)]" : options.host
var baseURLs = ["http://\(shownHost):\(server.port)"]
if let tlsPort = server.http.tlsPort { baseURLs.append("https://\(shownHost):\(tlsPort)") }
application.addresses.set(baseURLs)
let readyLine = "paystack-mock listening on " + baseURLs.joined(separator: " and ")
logOutput.flush()  // what was logged while starting comes before the ready line
if servesMCPOnStdio {
    // stdout carries MCP messages only.
    printError(readyLine)
    do {
        _ = try OwnedThread(name: "mcp-stdio") { [mcp = application.mcp] in
            serveMCP(mcp)
            kill(getpid(), SIGTERM)  // stdin closed: the client is done, and so are we
        }
    } catch {
        fail("paystack-mock: cannot start MCP on stdio: \(error)")
    }
} else {
    print(readyLine)
}
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
