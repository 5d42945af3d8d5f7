/// How the sandbox controls (everything under `/_sandbox/`, outside Paystack's namespace) behave.
public struct SandboxOptions: Sendable {
    /// False removes every `/_sandbox/` route (they answer 404).
    public var adminEnabled: Bool
    /// When set, `/_sandbox/` routes require `Authorization: Bearer <token>`.
    public var adminToken: String?
    /// `Access-Control-Allow-Origin` on every answer, for browser demos.
    public var corsOrigin: String

    /// Deterministic mode: codes from this seed, the clock frozen at `deterministicStart(for:)`; a
    /// reset restores both, so the same requests in the same order give the same bytes.
    public var deterministicSeed: UInt64?

    /// Where a deterministic clock starts: midnight UTC after the seed's newest customer (so that new
    /// customers come after the seeded ones), and never before 2024-01-01T00:00:00.000Z.
    public static func deterministicStart(for seed: SeedData) -> Timestamp {
        let earliest: Int64 = 1_704_067_200
        guard let newest = seed.newestCreatedAt else { return Timestamp(seconds: earliest) }
        let nextMidnight = (newest.seconds / 86_400 + 1) * 86_400
        return Timestamp(seconds: max(earliest, nextMidnight))
    }

    /// Puts the code generator and the clock where deterministic mode starts (at start-up and on reset).
    func applyDeterministicStart(for seed: SeedData, clock: ServerClock, random: RandomSource) {
        guard let randomSeed = deterministicSeed else { return }
        random.restart(seed: randomSeed)
        clock.freeze()
        clock.set(Self.deterministicStart(for: seed))
    }

    /// Requests per 60 s per integration (`--rate-limit`); nil: no limit (the default, since test
    /// suites would hit Paystack's 100 per minute at once).
    public var rateLimit: Int?
    /// The rate limit's window; 60 s as on Paystack (shorter in tests).
    public var rateLimitWindowSeconds: Int

    /// Requests the journal keeps (`--journal-size`); 0 turns it off.
    public var journalSize: Int

    public init(
        adminEnabled: Bool = true, adminToken: String? = nil, corsOrigin: String = "*", deterministicSeed: UInt64? = nil,
        rateLimit: Int? = nil, rateLimitWindowSeconds: Int = 60, journalSize: Int = 1000
    ) {
        self.journalSize = journalSize
        self.rateLimit = rateLimit
        self.rateLimitWindowSeconds = rateLimitWindowSeconds
        self.adminEnabled = adminEnabled
        self.adminToken = adminToken
        self.corsOrigin = corsOrigin
        self.deterministicSeed = deterministicSeed
    }
}
