import Synchronization

/// The random source of generated codes: SplitMix64 over an atomic counter, so that every loop
/// draws without a lock. Seeded from the system unless a seed is given (deterministic mode: the
/// same requests in the same order then draw the same values).
public final class RandomSource: Sendable {
    private let counter: Atomic<UInt64>

    public init(seed: UInt64? = nil) {
        counter = Atomic(seed ?? UInt64.random(in: .min ... .max))
    }

    /// Starts the sequence again from `seed` (deterministic mode's reset).
    public func restart(seed: UInt64) {
        counter.store(seed, ordering: .relaxed)
    }

    public func next() -> UInt64 {
        var z = counter.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` characters drawn uniformly (to within 2^-60) from `alphabet`.
    public func string(count: Int, from alphabet: StaticString) -> String {
        let symbols = UnsafeBufferPointer(start: alphabet.utf8Start, count: alphabet.utf8CodeUnitCount)
        let base = UInt64(symbols.count)
        var perDraw = 0
        var span: UInt64 = 1
        while span <= (UInt64(1) << 62) / base {
            span *= base
            perDraw += 1
        }
        var bits: UInt64 = 0
        var remaining = 0
        return String(unsafeUninitializedCapacity: count) { buffer in
            for index in 0..<count {
                if remaining == 0 {
                    bits = next()
                    remaining = perDraw
                }
                buffer[index] = symbols[Int(bits % base)]
                bits /= base
                remaining -= 1
            }
            return count
        }
    }
}
