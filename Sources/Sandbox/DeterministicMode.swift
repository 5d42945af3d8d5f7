import PaystackCore

/// `--deterministic`: codes from a fixed seed and a frozen clock, set at start-up and again by a
/// reset, so the same requests in the same order give the same bytes.
public struct DeterministicMode: Sendable, Equatable {
    public var randomSeed: UInt64

    public init(randomSeed: UInt64) {
        self.randomSeed = randomSeed
    }

    /// Where the clock starts: midnight UTC after the seed's newest customer (so that new
    /// customers come after the seeded ones), and never before 2024-01-01T00:00:00.000Z.
    public static func clockStart(for seed: SeedData) -> Timestamp {
        let earliest: Int64 = 1_704_067_200
        guard let newest = seed.newestCreatedAt else { return Timestamp(seconds: earliest) }
        let nextMidnight = (newest.seconds / 86_400 + 1) * 86_400
        return Timestamp(seconds: max(earliest, nextMidnight))
    }

    /// Puts the store's code generator back at the seed and freezes its clock at the start.
    public func restart(_ store: CustomerStore, seed: SeedData) {
        store.random.restart(seed: randomSeed)
        store.clock.freeze(at: Self.clockStart(for: seed))
    }
}
