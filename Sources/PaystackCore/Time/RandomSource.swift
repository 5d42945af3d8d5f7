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

    /// `prefix` then `count` characters drawn from `alphabet`, each combination with a probability
    /// within 2^-14 (relative) of uniform.
    ///
    /// Each draw is read as a fraction of 2^64 whose leading base-`alphabet` digits are the symbols:
    /// multiplying by the alphabet's size gives one in the high word and the rest of the fraction in
    /// the low one. At most 50 bits' worth are taken per draw. (Dividing by the size instead cost
    /// two 64-bit divisions per character, a visible share of a create.)
    public func string(prefix: StaticString = "", count: Int, from alphabet: StaticString) -> String {
        let symbols = UnsafeBufferPointer(start: alphabet.utf8Start, count: alphabet.utf8CodeUnitCount)
        let base = UInt64(symbols.count)
        let perDraw = max(1, 50 / (64 - base.leadingZeroBitCount))
        var fraction: UInt64 = 0
        var remaining = 0
        let prefixLength = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: prefixLength + count) { buffer in
            for index in 0..<prefixLength { buffer[index] = prefix.utf8Start[index] }
            for index in prefixLength..<(prefixLength + count) {
                if remaining == 0 {
                    fraction = next()
                    remaining = perDraw
                }
                let (symbol, rest) = fraction.multipliedFullWidth(by: base)
                buffer[index] = symbols[Int(symbol)]
                fraction = rest
                remaining -= 1
            }
            return prefixLength + count
        }
    }
}
