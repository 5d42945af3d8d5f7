import Platform

/// How the sandbox controls (everything under `/_sandbox/`, outside Paystack's namespace) behave.
public struct SandboxOptions: Sendable {
    /// False removes every `/_sandbox/` route (they answer 404).
    public var adminEnabled: Bool
    /// When set, `/_sandbox/` routes require `Authorization: Bearer <token>`.
    public var adminToken: String?
    /// Host names the admin routes admit besides the loopback ones (`--allowed-host`, the TLS names).
    public var allowedHosts: [String]
    public var adminPolicy: AdminPolicy { AdminPolicy(token: adminToken, allowedHosts: allowedHosts) }
    /// `Access-Control-Allow-Origin` on every answer, for browser demos.
    public var corsOrigin: String

    /// `--deterministic`; nil for real randomness and time.
    public var deterministic: DeterministicMode?

    /// Requests per 60 s per integration (`--rate-limit`); nil: no limit (the default, since test
    /// suites would hit Paystack's 100 per minute at once).
    public var rateLimit: Int?

    /// Requests the journal keeps (`--journal-size`); 0 turns it off.
    public var journalSize: Int

    /// The local CA of the HTTPS listener, served at `GET /_sandbox/tls/ca.pem`; nil when HTTPS is
    /// off or uses a certificate of the user's own.
    public var tlsCAPath: String?

    /// Where the server listens, filled in once it does.
    public var addresses = ListeningAddresses()

    public init(
        adminEnabled: Bool = true, adminToken: String? = nil, allowedHosts: [String] = [], corsOrigin: String = "*", deterministic: DeterministicMode? = nil,
        rateLimit: Int? = nil, journalSize: Int = 1000, tlsCAPath: String? = nil
    ) {
        self.tlsCAPath = tlsCAPath
        self.journalSize = journalSize
        self.rateLimit = rateLimit
        self.adminEnabled = adminEnabled
        self.adminToken = adminToken
        self.allowedHosts = allowedHosts
        self.corsOrigin = corsOrigin
        self.deterministic = deterministic
    }
}

/// The base URLs a server listens on (`http://127.0.0.1:8787`, `https://…`), set once it listens.
public final class ListeningAddresses: Sendable {
    private let urls = LockedValue<[String]>([])

    public init() {}

    public var all: [String] { urls.value }

    public func set(_ all: [String]) {
        urls.withLock { $0 = all }
    }
}
