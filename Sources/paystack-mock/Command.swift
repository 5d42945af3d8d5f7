import ArgumentParser
import EventHTTP
import Logging
import MCP
import PaystackCore
import PaystackMock
import Platform
import Sandbox
import Webhooks
#if canImport(Glibc)
import Glibc
#endif

/// `paystack-mock`: flags, each also readable from `PAYSTACK_MOCK_<NAME>` (a flag wins).
struct PaystackMockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paystack-mock",
        abstract: "A local, stateful sandbox of the Paystack Customers API, on libevent.",
        discussion: "Every option can also be set with an environment variable PAYSTACK_MOCK_<NAME> (e.g. PAYSTACK_MOCK_PORT=9000); a flag given on the command line wins. `paystack-mock mcp [options]` runs the same server and also speaks MCP on stdin/stdout (the ready line then goes to stderr); it stops when stdin closes.",
        version: SandboxAPI.version)

    static let defaultPort = 8787

    @Option(help: "Address to listen on. (env PAYSTACK_MOCK_HOST; default 127.0.0.1)")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one. (env PAYSTACK_MOCK_PORT; default \(defaultPort))")
    var port: Int?

    @Option(name: .customLong("tls-port"), help: "Also serve HTTPS on this port (443 makes a drop-in for api.paystack.co; 0 picks a free one). (env PAYSTACK_MOCK_TLS_PORT; default: off)")
    var tlsPort: Int?

    @Option(name: .customLong("tls-cert"), help: "Certificate chain (PEM) for HTTPS, with --tls-key; without them the mock makes a CA and a certificate in --tls-dir. (env PAYSTACK_MOCK_TLS_CERT)")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "Private key (PEM) of --tls-cert. (env PAYSTACK_MOCK_TLS_KEY)")
    var tlsKey: String?

    @Option(name: .customLong("tls-dir"), help: "Where the made CA and certificate are kept, so a CA trusted once stays trusted. (env PAYSTACK_MOCK_TLS_DIR; default \(CertificateAuthority.defaultDirectory))")
    var tlsDir: String?

    @Option(name: .customLong("tls-name"), help: "Another name (or address) the made certificate is for, besides localhost, 127.0.0.1, ::1, api.paystack.co and paystack-mock; repeatable. (env PAYSTACK_MOCK_TLS_NAME, comma-separated)")
    var tlsNames: [String] = []

    @Option(help: "Event loops, each on its own thread. (env PAYSTACK_MOCK_WORKERS; default: one per two cores, at least one)")
    var workers: Int?

    @Option(name: .customLong("seed-data"), help: "Seed data to start from: a folder of seed files, one state document, or none for no integrations and no customers. (env PAYSTACK_MOCK_SEED_DATA; default: the bundled seed-data, built into the binary)")
    var seedData: String?

    @Option(name: .customLong("secret-key"), help: "A secret key (sk_test_… or sk_live_…) that opens an integration of its own; repeatable. (env PAYSTACK_MOCK_SECRET_KEY, comma-separated)")
    var secretKeys: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. (env PAYSTACK_MOCK_LOG_LEVEL; default info)")
    var logLevel: String?

    @Option(name: .customLong("max-body"), help: "Largest request body in bytes; larger ones get 413. (env PAYSTACK_MOCK_MAX_BODY; default 1048576)")
    var maxBody: Int?

    @Option(help: "Seconds a connection may stall before it is closed. (env PAYSTACK_MOCK_TIMEOUT; default 30)")
    var timeout: Int?

    @Flag(name: .customLong("reuse-port"), help: "One SO_REUSEPORT socket per event loop instead of one shared socket. (env PAYSTACK_MOCK_REUSE_PORT=1)")
    var reusePort = false

    @Option(name: .customLong("admin-token"), help: "Require Authorization: Bearer <token> on /_sandbox/ routes. (env PAYSTACK_MOCK_ADMIN_TOKEN)")
    var adminToken: String?

    @Option(name: .customLong("allowed-host"), help: "A host name the admin routes (/_sandbox/, /mcp) admit besides loopback ones, e.g. the name a container is reached by; repeatable. (env PAYSTACK_MOCK_ALLOWED_HOST, comma-separated)")
    var allowedHosts: [String] = []

    @Flag(name: .customLong("no-admin"), help: "Remove the /_sandbox/ routes (they answer 404). (env PAYSTACK_MOCK_NO_ADMIN=1)")
    var noAdmin = false

    @Option(name: .customLong("cors-origin"), help: "Access-Control-Allow-Origin on every answer. (env PAYSTACK_MOCK_CORS_ORIGIN; default *)")
    var corsOrigin: String?

    @Flag(help: "Reproducible ids, customer codes and timestamps: the clock starts frozen at midnight UTC after the seed's newest customer. (env PAYSTACK_MOCK_DETERMINISTIC=1)")
    var deterministic = false

    @Option(name: .customLong("random-seed"), help: "Seed of deterministic mode's codes (implies --deterministic; default 0). (env PAYSTACK_MOCK_RANDOM_SEED)")
    var randomSeed: UInt64?

    @Option(name: .customLong("rate-limit"), help: "Requests per 60 s per integration; over it: 429 with x-ratelimit-* headers. (env PAYSTACK_MOCK_RATE_LIMIT; default: no limit)")
    var rateLimit: Int?

    @Option(name: .customLong("journal-size"), help: "Requests the journal at /_sandbox/requests keeps; 0 turns it off. (env PAYSTACK_MOCK_JOURNAL_SIZE; default 1000)")
    var journalSize: Int?

    @Option(name: .customLong("state-file"), help: "Keep the state in this file (and PATH.log) across restarts; every acknowledged write is on disk first. (env PAYSTACK_MOCK_STATE_FILE)")
    var stateFile: String?

    @Option(name: .customLong("kyc-delay"), help: "Time from an accepted identification to its outcome and webhook: seconds (2, 0.5) or with a unit (500ms, 2s); 0 allowed. (env PAYSTACK_MOCK_KYC_DELAY; default 2)")
    var kycDelay: String?

    @Option(name: .customLong("kyc-outcome"), help: "success, failed, or rules (the README's table). (env PAYSTACK_MOCK_KYC_OUTCOME; default rules)")
    var kycOutcome: String?

    @Option(name: .customLong("webhook-url"), help: "Webhook URL for integrations whose seed has none. (env PAYSTACK_MOCK_WEBHOOK_URL)")
    var webhookURL: String?

    @Option(name: .customLong("webhook-retries"), help: "Waits before each retry of a failed delivery, e.g. 1s,5s,30s,2m; none for no retries. (env PAYSTACK_MOCK_WEBHOOK_RETRIES; default 1s,5s,30s,2m)")
    var webhookRetries: String?

    @Option(name: .customLong("webhook-ca-file"), help: "A CA (PEM) trusted for https:// webhook receivers besides the system's, e.g. a receiver's own. (env PAYSTACK_MOCK_WEBHOOK_CA_FILE)")
    var webhookCAFile: String?

    @Flag(name: .customLong("webhook-insecure"), help: "Deliver to https:// receivers without verifying their certificates (logged as a warning). (env PAYSTACK_MOCK_WEBHOOK_INSECURE=1)")
    var webhookInsecure = false

    @Option(name: .customLong("webhook-timeout"), help: "How long one delivery attempt may take: seconds or with a unit (30, 500ms, 1m). (env PAYSTACK_MOCK_WEBHOOK_TIMEOUT; default 30)")
    var webhookTimeout: String?

    /// Flag, else environment, else default; a bad environment value is a usage error.
    func resolved() throws -> ResolvedOptions {
        let environment = Environment()
        let options = ResolvedOptions(
            host: host ?? environment.string("HOST") ?? "127.0.0.1",
            port: try port ?? environment.int("PORT") ?? Self.defaultPort,
            tls: try tlsOptions(environment),
            workers: try workers ?? environment.int("WORKERS") ?? HTTPServerConfiguration.defaultWorkers,
            seedData: seedData ?? environment.string("SEED_DATA"),
            secretKeys: secretKeys.isEmpty ? environment.list("SECRET_KEY") : secretKeys,
            logLevel: try level(logLevel ?? environment.string("LOG_LEVEL") ?? "info"),
            maxBody: try maxBody ?? environment.int("MAX_BODY") ?? (1 << 20),
            timeout: try timeout ?? environment.int("TIMEOUT") ?? 30,
            reusePort: try reusePort || (environment.int("REUSE_PORT") ?? 0) != 0,
            stateFile: stateFile ?? environment.string("STATE_FILE"),
            webhooks: try webhookOptions(environment),
            sandbox: SandboxOptions(
                adminEnabled: try !(noAdmin || (environment.int("NO_ADMIN") ?? 0) != 0),
                adminToken: adminToken ?? environment.string("ADMIN_TOKEN"),
                allowedHosts: (allowedHosts.isEmpty ? environment.list("ALLOWED_HOST") : allowedHosts)
                    + [host ?? environment.string("HOST") ?? "127.0.0.1"] + TLSOptions.builtInNames + (tlsNames.isEmpty ? environment.list("TLS_NAME") : tlsNames),
                corsOrigin: corsOrigin ?? environment.string("CORS_ORIGIN") ?? "*",
                deterministic: try deterministicSeed(environment).map(DeterministicMode.init(randomSeed:)),
                rateLimit: try rateLimit ?? environment.int("RATE_LIMIT"),
                journalSize: try journalSize ?? environment.int("JOURNAL_SIZE") ?? 1000))
        guard (0...65535).contains(options.port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let tls = options.tls, !(0...65535).contains(tls.port) { throw ValidationError("--tls-port must be between 0 and 65535") }
        guard (1...256).contains(options.workers) else { throw ValidationError("--workers must be between 1 and 256") }
        guard options.maxBody >= 1 else { throw ValidationError("--max-body must be at least 1") }
        guard options.timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second") }
        guard (0...1_000_000).contains(options.sandbox.journalSize) else { throw ValidationError("--journal-size must be between 0 and 1000000") }
        if let limit = options.sandbox.rateLimit, limit < 1 { throw ValidationError("--rate-limit must be at least 1") }
        for key in options.secretKeys where !key.isASCIIToken || !(key.hasBytePrefix("sk_test_") || key.hasBytePrefix("sk_live_")) || key.utf8.count <= 8 {
            throw ValidationError("--secret-key must be printable ASCII starting with sk_test_ or sk_live_ (got \(key.prefix(8))…)")
        }
        return options
    }

    private func webhookOptions(_ environment: Environment) throws -> WebhookOptions {
        func seconds(_ value: String?, _ name: String, _ flag: String, _ fallback: Int) throws -> Int {
            guard let text = value ?? environment.string(name) else { return fallback }
            guard let milliseconds = parseDuration(text) else {
                throw ValidationError("\(flag) must be a time from 0 to 86400 seconds, such as 2, 0.5, 500ms or 1m (not \(text))")
            }
            return milliseconds
        }
        let outcomeText = kycOutcome ?? environment.string("KYC_OUTCOME") ?? "rules"
        guard let outcome = KYCOutcomeMode(rawValue: outcomeText) else { throw ValidationError("--kyc-outcome must be success, failed or rules") }
        let url = webhookURL ?? environment.string("WEBHOOK_URL")
        if let url, case .failure(let error) = DeliveryTarget.parse(url) {
            throw ValidationError("--webhook-url must be an http:// or https:// URL (\(error.description))")
        }
        let retriesText = webhookRetries ?? environment.string("WEBHOOK_RETRIES")
        let retries = try retriesText.map { text -> [Int] in
            guard let parsed = parseDurations(text) else {
                throw ValidationError("--webhook-retries must be a list such as 1s,5s,30s,2m (units ms, s, m, h), or none")
            }
            return parsed
        } ?? WebhookOptions.defaultRetries
        let caFile = webhookCAFile ?? environment.string("WEBHOOK_CA_FILE")
        if let caFile, access(caFile, R_OK) != 0 { throw ValidationError("--webhook-ca-file \(caFile) cannot be read") }
        let insecure = try webhookInsecure || (environment.int("WEBHOOK_INSECURE") ?? 0) != 0
        let timeout = try seconds(webhookTimeout, "WEBHOOK_TIMEOUT", "--webhook-timeout", 30_000)
        guard timeout >= 1 else { throw ValidationError("--webhook-timeout must be above 0") }
        return WebhookOptions(
            kycDelayMilliseconds: try seconds(kycDelay, "KYC_DELAY", "--kyc-delay", 2_000), kycOutcome: outcome, defaultURL: url,
            retryMilliseconds: retries, timeoutMilliseconds: timeout, caFile: caFile, insecure: insecure)
    }

    private func tlsOptions(_ environment: Environment) throws -> TLSOptions? {
        let cert = tlsCert ?? environment.string("TLS_CERT"), key = tlsKey ?? environment.string("TLS_KEY")
        guard (cert == nil) == (key == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard let port = try tlsPort ?? environment.int("TLS_PORT") else {
            if cert != nil { throw ValidationError("--tls-cert needs --tls-port") }
            return nil
        }
        let names = tlsNames.isEmpty ? environment.list("TLS_NAME") : tlsNames
        return TLSOptions(
            port: port, certificate: cert.map { ($0, key!) }, directory: tlsDir ?? environment.string("TLS_DIR") ?? CertificateAuthority.defaultDirectory,
            names: TLSOptions.builtInNames + names.filter { !TLSOptions.builtInNames.contains($0) })
    }

    private func deterministicSeed(_ environment: Environment) throws -> UInt64? {
        let seedText = environment.string("RANDOM_SEED")
        let seed = try randomSeed ?? seedText.map { text in
            guard let value = UInt64(text) else { throw ValidationError("PAYSTACK_MOCK_RANDOM_SEED must be a whole number, not \(text)") }
            return value
        }
        let enabled = try deterministic || seed != nil || (environment.int("DETERMINISTIC") ?? 0) != 0
        return enabled ? (seed ?? 0) : nil
    }

    private func level(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }
}

/// `--tls-*`: HTTPS on a second port, with a certificate of the user's own or one the mock makes.
struct TLSOptions {
    /// The names a made certificate always has (the drop-in for api.paystack.co included).
    static let builtInNames = ["localhost", "127.0.0.1", "::1", "api.paystack.co", "paystack-mock"]

    var port: Int
    /// Chain and key files given with --tls-cert and --tls-key.
    var certificate: (chain: String, key: String)?
    var directory: String
    var names: [String]
}

struct ResolvedOptions {
    var host: String
    var port: Int
    var tls: TLSOptions?
    var workers: Int
    /// nil: the bundled seed; `none`: nothing.
    var seedData: String?
    var secretKeys: [String]
    var logLevel: Logger.Level
    var maxBody: Int
    var timeout: Int
    var reusePort: Bool
    var stateFile: String?
    var webhooks: WebhookOptions
    var sandbox: SandboxOptions

    /// Whether the address only accepts connections from this machine.
    var isLoopbackHost: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// `1s,5s,30s,2m` (or bare seconds, `1,5,30`) → milliseconds; `none` (or nothing) → no retries; nil when malformed.
func parseDurations(_ text: String) -> [Int]? {
    let trimmed = text.trimmingSpaces
    if trimmed.isEmpty || trimmed == "none" { return [] }
    var result: [Int] = []
    for part in trimmed.split(separator: ",") {
        guard let milliseconds = parseDuration(String(part)) else { return nil }
        result.append(milliseconds)
    }
    return result
}

/// `500ms`, `2s`, `1.5m`, `1h`, or a bare number of seconds → milliseconds (at most a day).
func parseDuration(_ text: String) -> Int? {
    let item = text.trimmingSpaces
    let units: [(suffix: String, factor: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("", 1000)]
    guard let unit = units.first(where: { item.hasSuffix($0.suffix) && Double(item.dropLast($0.suffix.count)) != nil }),
          let number = Double(item.dropLast(unit.suffix.count)), number >= 0, number.isFinite, number * unit.factor <= 86_400_000
    else { return nil }
    return Int((number * unit.factor).rounded())
}

/// `PAYSTACK_MOCK_<NAME>` variables.
struct Environment {
    func string(_ name: String) -> String? {
        guard let value = getenv("PAYSTACK_MOCK_" + name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    func int(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw ValidationError("PAYSTACK_MOCK_\(name) must be an integer, not \(text)") }
        return value
    }

    func list(_ name: String) -> [String] {
        string(name)?.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty } ?? []
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    _ = line.withCString { write(2, $0, strlen($0)) }
}

/// MCP over stdio: one JSON-RPC message per line in, one answer per line out (notifications get
/// none), until stdin closes.
func serveMCP(_ mcp: MCPServer) {
    while let line = readLine(strippingNewline: true) {
        guard !line.isEmpty else { continue }
        guard let body = mcp.handle(Array(line.utf8), over: .stdio).body else { continue }
        var out = body
        out.append(UInt8(ascii: "\n"))
        out.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
